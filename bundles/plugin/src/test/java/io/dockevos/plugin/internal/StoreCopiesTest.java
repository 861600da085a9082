package io.dockevos.plugin.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;

/** The rollback copies of installed jars, against a real Felix framework and its cache. */
class StoreCopiesTest {
  @TempDir
  Path dir;
  Path cache;
  Felix felix;

  @BeforeEach
  void start() throws Exception {
    cache = dir.resolve("cache");
    felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, cache.toString(), Constants.FRAMEWORK_STORAGE_CLEAN,
        Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
    felix.start();
  }

  @AfterEach
  void stop() throws Exception {
    felix.stop();
    felix.waitForStop(10_000);
  }

  private Path jar(String name) throws Exception {
    Path jar = dir.resolve(name + ".jar");
    Manifest mf = new Manifest();
    mf.getMainAttributes().putValue("Manifest-Version", "1.0");
    mf.getMainAttributes().putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
    mf.getMainAttributes().putValue(Constants.BUNDLE_SYMBOLICNAME, name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
      out.putNextEntry(new java.util.zip.ZipEntry("content.txt"));
      out.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return jar;
  }

  private Bundle install(Path jar) throws Exception {
    try (InputStream in = Files.newInputStream(jar)) {
      return felix.getBundleContext().installBundle("test:" + jar.getFileName(), in);
    }
  }

  @Test
  void theCopyOutlivesTheFrameworksOwnAndTheUserChangingTheJar() throws Exception {
    Path jar = jar("com.example.kept");
    byte[] original = Files.readAllBytes(jar);
    Bundle b = install(jar);
    StoreCopies copies = new StoreCopies(dir.resolve("store"), cache);

    copies.keep(b, jar);

    Path copy = copies.file(b);
    assertEquals(dir.resolve("store").resolve(b.getBundleId() + ".jar"), copy);
    assertArrayEquals(original, Files.readAllBytes(copy));
    // The user writes over the jar in place: the copy keeps what was installed.
    Files.write(jar, new byte[] {1, 2, 3});
    assertArrayEquals(original, Files.readAllBytes(copy));
    // The framework deletes its own copy when the bundle goes: the rollback copy stays whole.
    b.uninstall();
    java.util.concurrent.CountDownLatch refreshed = new java.util.concurrent.CountDownLatch(1);
    felix.adapt(FrameworkWiring.class).refreshBundles(java.util.List.of(b), e -> refreshed.countDown());
    assertTrue(refreshed.await(10, java.util.concurrent.TimeUnit.SECONDS));
    assertFalse(Files.exists(cache.resolve("bundle" + b.getBundleId())), "the framework's cache folder is gone");
    assertArrayEquals(original, Files.readAllBytes(copy));
    assertEquals(1, Files.list(dir.resolve("store")).count(), "no temporary file is left beside it");

    copies.forget(b);
    assertFalse(Files.exists(copy));
  }

  @Test
  void withoutTheFrameworksCacheTheJarIsCopied() throws Exception {
    Path jar = jar("com.example.copied");
    byte[] original = Files.readAllBytes(jar);
    Bundle b = install(jar);
    StoreCopies copies = new StoreCopies(dir.resolve("store"), null);

    copies.keep(b, jar);
    Files.write(jar, new byte[] {1, 2, 3});

    assertArrayEquals(original, Files.readAllBytes(copies.file(b)));
  }
}
