package io.dockevos.plugin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarWatchTest {
  @TempDir
  Path dir;

  private static byte[] jar(String version) throws IOException {
    Manifest mf = new Manifest();
    mf.getMainAttributes().putValue("Manifest-Version", "1.0");
    mf.getMainAttributes().putValue("Bundle-Version", version);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
      out.putNextEntry(new ZipEntry("a/B.class"));
      out.write(new byte[4096]);
      out.closeEntry();
    }
    return bytes.toByteArray();
  }

  /** Writes bytes with a modification time of its own, as a build does a little later. */
  private static void write(Path file, byte[] bytes, long modified) throws IOException {
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
  }

  @Test
  void theJarAsItIsAtTheStartIsNoChange() throws IOException {
    Path file = dir.resolve("p.jar");
    write(file, jar("1.0.0"), 1_000_000);
    JarWatch w = new JarWatch(file);
    assertInstanceOf(JarWatch.Nothing.class, w.poll(0));
  }

  @Test
  void aJarWrittenInStepsIsTakenOnceWholeAndOnlyOnce() throws IOException {
    Path file = dir.resolve("p.jar");
    write(file, jar("1.0.0"), 1_000_000);
    JarWatch w = new JarWatch(file);
    byte[] next = jar("2.0.0");
    write(file, Arrays.copyOf(next, next.length / 2), 2_000_000);
    assertInstanceOf(JarWatch.Nothing.class, w.poll(10), "half a jar is still being written");
    assertInstanceOf(JarWatch.Nothing.class, w.poll(20));
    write(file, next, 2_000_100);
    JarWatch.Seen seen = w.poll(30);
    assertInstanceOf(JarWatch.Ready.class, seen);
    assertEquals(2_000_100, ((JarWatch.Ready) seen).savedMillis());
    assertInstanceOf(JarWatch.Nothing.class, w.poll(40), "a new jar is reported once");
  }

  @Test
  void aFileThatStaysBrokenIsReportedOnceNamingTheCauseAndAgainAfterItChanges() throws IOException {
    Path file = dir.resolve("p.jar");
    write(file, jar("1.0.0"), 1_000_000);
    JarWatch w = new JarWatch(file);
    write(file, "not a zip at all".getBytes(), 2_000_000);
    assertInstanceOf(JarWatch.Nothing.class, w.poll(0));
    assertInstanceOf(JarWatch.Nothing.class, w.poll(JarWatch.QUIET_MILLIS - 1), "it may still be written");
    JarWatch.Seen seen = w.poll(JarWatch.QUIET_MILLIS);
    assertInstanceOf(JarWatch.Broken.class, seen);
    assertTrue(((JarWatch.Broken) seen).cause().startsWith("it is not a complete jar (zip)"), seen::toString);
    assertInstanceOf(JarWatch.Nothing.class, w.poll(JarWatch.QUIET_MILLIS * 3), "reported once");
    write(file, jar("3.0.0"), 3_000_000);
    assertInstanceOf(JarWatch.Ready.class, w.poll(JarWatch.QUIET_MILLIS * 4), "a good jar after it is taken");
  }

  @Test
  void aJarDeletedByACleanBuildIsNoChange() throws IOException {
    Path file = dir.resolve("p.jar");
    write(file, jar("1.0.0"), 1_000_000);
    JarWatch w = new JarWatch(file);
    Files.delete(file);
    assertInstanceOf(JarWatch.Nothing.class, w.poll(0));
    assertInstanceOf(JarWatch.Nothing.class, w.poll(JarWatch.QUIET_MILLIS * 2));
  }
}
