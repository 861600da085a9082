package io.dockevos.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the framework shares from a program's class path: the API jar's packages, and Logback's only when it is there. */
class HostApiTest {
  static final String EXTRA = "org.slf4j;version=2.0.17,ch.qos.logback.classic;version=1.5.38,"
      + "org.example;version=\"[1,2)\"";

  private static Path jar(Path dir, String bsn, String exports) throws Exception {
    Manifest mf = new Manifest();
    mf.getMainAttributes().putValue("Manifest-Version", "1.0");
    mf.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
    mf.getMainAttributes().putValue("Export-Package", exports);
    Path jar = dir.resolve(bsn + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
      if (bsn.startsWith(HostApi.BUNDLE)) {
        out.putNextEntry(new java.util.zip.ZipEntry("io/dockevos/api/Host.class")); // what the launcher looks for first
      }
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void theApiJarOnTheClassPathIsSharedAndLogbackOnlyWhenItIsThere(@TempDir Path dir) throws Exception {
    Path api = jar(dir, "io.dockevos.api;singleton:=false", "io.dockevos.plugin;version=\"0.1.0\";uses:=\"io.dockevos.security\","
        + "io.dockevos.security;version=\"0.1.0\"");
    Path other = jar(dir, "com.example.other", "com.example.other;version=\"1.0.0\"");
    // No parent: neither Logback nor the API but these jars.
    try (URLClassLoader host = new URLClassLoader(new URL[] {other.toUri().toURL(), api.toUri().toURL()}, null)) {
      assertEquals(List.of("org.slf4j;version=2.0.17", "org.example;version=\"[1,2)\"",
          "io.dockevos.plugin;version=\"0.1.0\";uses:=\"io.dockevos.security\"", "io.dockevos.security;version=\"0.1.0\""),
          HostApi.clauses(HostApi.extra(EXTRA, host)));
    }
    try (URLClassLoader none = new URLClassLoader(new URL[] {other.toUri().toURL()}, null)) {
      assertNull(HostApi.exports(none));
      assertEquals("org.slf4j;version=2.0.17,org.example;version=\"[1,2)\"", HostApi.extra(EXTRA, none));
    }
    // The launcher's own class path (this test's) has Logback: its packages stay.
    assertEquals(EXTRA, HostApi.extra(EXTRA, HostApiTest.class.getClassLoader()));
  }
}
