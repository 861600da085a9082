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
}
