package io.dockevos.plugin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.plugin.Provider;
import io.dockevos.plugin.internal.repo.RepositoryIndex;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Providers answers from the repository index: the same bundles a plan sees. */
class ProvidersTest {
  @TempDir Path tmp;

  static void bundle(Path file, String bsn, String exports) throws Exception {
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Bundle-ManifestVersion", "2");
    a.putValue("Bundle-SymbolicName", bsn);
    a.putValue("Bundle-Version", "1.0.0");
    a.putValue("Export-Package", exports);
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, mf)) {
      // a manifest is all it needs
    }
  }

  @Test
  void answersFromTheSharedIndexWhenTheServiceRuns() throws Exception {
    Path system = tmp.resolve("home/system");
    Path maven = tmp.resolve("m2");
    bundle(system.resolve("org/example/a/1.0.0/a-1.0.0.jar"), "org.example.a", "org.example.a;version=1.0.0");
    bundle(maven.resolve("org/example/b/1.0.0/b-1.0.0.jar"), "org.example.b", "org.example.b;version=1.1.0");
    RepositoryIndex index = new RepositoryIndex(system, maven, tmp.resolve("state"));
    index.share();
    try {
      Providers providers = new Providers(system, maven);
      List<Provider> a = providers.providers("osgi.wiring.package", "(osgi.wiring.package=org.example.a)");
      assertEquals(1, a.size());
      assertEquals(Provider.Kind.SYSTEM, a.get(0).kind());
      assertEquals("system/org/example/a/1.0.0/a-1.0.0.jar", a.get(0).location());

      List<Provider> b = providers.providers("osgi.wiring.package",
          "(&(osgi.wiring.package=org.example.b)(version>=1.1.0))");
      assertEquals(List.of(new Provider(Provider.Kind.MAVEN, "org.example.b", "1.0.0",
          maven.resolve("org/example/b/1.0.0/b-1.0.0.jar").toAbsolutePath().toString(),
          "mvn:org.example/b/1.0.0")), b);
      assertTrue(Files.isRegularFile(tmp.resolve("state/maven-local.idx")), "the shared index's state was used");
      assertTrue(providers.providers("osgi.wiring.package", "(osgi.wiring.package=org.example.c)").isEmpty());
      assertThrows(IllegalArgumentException.class, () -> providers.providers("osgi.wiring.package", "(x"));
    } finally {
      index.unshare();
    }
  }

  @Test
  void keepsAnIndexOfItsOwnUnderDataWhenTheServiceDoesNotRun() throws Exception {
    Path system = tmp.resolve("home/system");
    Path maven = tmp.resolve("m2");
    bundle(maven.resolve("org/example/b/1.0.0/b-1.0.0.jar"), "org.example.b", "org.example.b;version=1.1.0");
    Providers providers = new Providers(system, maven);
    assertEquals(1, providers.providers("osgi.wiring.package", "(osgi.wiring.package=org.example.b)").size());
    assertTrue(Files.isRegularFile(tmp.resolve("home/data/plugins/repo/maven-local.idx")));
  }
}
