package io.dockevos.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks that decide whether a jar in deploy/ is complete, and what is wrong with it. */
class DeployFolderTest {
  @TempDir Path dir;

  private Path jar(String name, String bsn) throws Exception {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (bsn != null) {
      mf.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
    }
    Path p = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(out, mf)) {
      jar.putNextEntry(new ZipEntry("data.txt"));
      jar.write(new byte[4096]);
    }
    return p;
  }

  private static final long MAX = 2L << 20;

  @Test
  void aCompleteBundleIsAccepted() throws Exception {
    assertNull(JarCheck.check(jar("ok.jar", "a.b"), MAX));
  }

  @Test
  void aTruncatedJarIsNotYetCorrupt() throws Exception {
    Path full = jar("full.jar", "a.b");
    byte[] bytes = Files.readAllBytes(full);
    Path half = dir.resolve("half.jar");
    Files.write(half, Arrays.copyOf(bytes, bytes.length / 2));
    var verdict = JarCheck.check(half, MAX);
    assertFalse(verdict.definite(), "a half-written jar may still be completed");
    assertTrue(verdict.reason().contains("not a valid jar"), verdict.reason());
  }

  @Test
  void aJarWithoutBundleHeadersIsDefinitelyRejected() throws Exception {
    var verdict = JarCheck.check(jar("plain.jar", null), MAX);
    assertTrue(verdict.definite());
    assertTrue(verdict.reason().contains("no Bundle-SymbolicName"), verdict.reason());
  }

  @Test
  void aManifestOverTheLimitIsRefusedUnread() throws Exception {
    Path big = jar("big.jar", "a.b"); // a manifest of about 60 bytes
    var verdict = JarCheck.check(big, 40);
    assertTrue(verdict.definite());
    assertTrue(verdict.reason().startsWith("has a manifest (META-INF/MANIFEST.MF) of "), verdict.reason());
    assertTrue(verdict.reason().contains("over the limit of 40 bytes (maxManifestBytes of the configuration dockevos.deploy)"),
        verdict.reason());
    assertNull(JarCheck.check(big, 4096));
  }

  @Test
  void aFileThatDoesNotBeginAsAZipIsDefinitelyCorrupt() throws Exception {
    Path text = Files.writeString(dir.resolve("text.jar"), "this is no jar at all\n");
    var verdict = JarCheck.check(text, MAX);
    assertTrue(verdict.definite(), "no writer can make it a zip by writing on: it does not begin as one");
    assertTrue(verdict.reason().contains("does not begin as a zip file"), verdict.reason());
  }

  @Test
  void aFileTooShortToTellMayStillBeWritten() throws Exception {
    var verdict = JarCheck.check(Files.write(dir.resolve("two.jar"), new byte[] {'P', 'K'}), MAX);
    assertFalse(verdict.definite(), "two bytes of a zip's beginning: the rest may come");
    assertFalse(JarCheck.check(Files.write(dir.resolve("empty.jar"), new byte[0]), MAX).definite(), "an empty file");
  }

  @Test
  void aWholeZipThatIsBrokenInsideIsDefinitelyCorrupt() throws Exception {
    Path full = jar("full.jar", "a.b");
    byte[] bytes = Files.readAllBytes(full);
    // Its end record (written last) is there, but the central directory it points to is overwritten.
    int end = bytes.length - 22;
    assertTrue(bytes[end] == 'P' && bytes[end + 1] == 'K' && bytes[end + 2] == 5 && bytes[end + 3] == 6, "the end record");
    Arrays.fill(bytes, end - 40, end, (byte) 'x');
    Path broken = Files.write(dir.resolve("broken.jar"), bytes);
    var verdict = JarCheck.check(broken, MAX);
    assertTrue(verdict.definite(), "a zip's end record is written last: the file is whole, and broken");
    assertTrue(verdict.reason().contains("not a valid jar"), verdict.reason());
  }
}
