package io.dockevos.plugin.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures, not assertions on time: the index of a synthetic local Maven repository of 5,000 tiny
 * bundles, cold and warm. Run with {@code -Dtest=RepositoryIndexBenchmark -Drepo.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "repo.benchmark", matches = "true")
class RepositoryIndexBenchmark {
  static final int BUNDLES = Integer.getInteger("repo.benchmark.bundles", 5_000);

  @TempDir Path tmp;

  @Test
  void figures() throws Exception {
    Path root = System.getProperty("repo.benchmark.dir") != null ? Path.of(System.getProperty("repo.benchmark.dir")) : tmp;
    Path maven = root.resolve("m2");
    Path state = root.resolve("state");
    long t = System.nanoTime();
    boolean generate = !java.nio.file.Files.isDirectory(maven);
    for (int i = 0; generate && i < BUNDLES; i++) {
      String g = "org/example/g" + (i % 50);
      String a = "bundle" + i;
      Path dir = maven.resolve(g).resolve(a).resolve("1.0." + (i % 7));
      TestBundles.bundle(dir.resolve(a + "-1.0." + (i % 7) + ".jar"), "org.example." + a, "1.0." + (i % 7),
          "org.example." + a + ".api;version=1.0.0,org.example." + a + ".spi;version=1.0.0,org.example." + a
              + ".util;version=1.0.0",
          "org.example.bundle" + ((i + 1) % BUNDLES) + ".api;version=\"[1,2)\",org.osgi.framework;version=\"[1.8,2)\"");
    }
    print("generate %d bundles", t, BUNDLES);

    if (java.nio.file.Files.isDirectory(state)) {
      try (var files = java.nio.file.Files.list(state)) {
        for (Path f : files.toList()) {
          java.nio.file.Files.delete(f);
        }
      }
    }
    t = System.nanoTime();
    RepositoryIndex cold = new RepositoryIndex(null, maven, state);
    cold.refresh();
    print("cold build (read every manifest, write the index)", t);
    assertEquals(BUNDLES, cold.list().get(1).resources());

    for (int k = 0; k < 3; k++) {
      t = System.nanoTime();
      IndexCache.read(state.resolve("maven-local.idx"), maven.toAbsolutePath().normalize());
      print("  read the index file alone, run " + k, t);
    }
    t = System.nanoTime();
    RepositoryIndex warm = new RepositoryIndex(null, maven, state);
    int found = warm.findProviders(RepositoryIndexTest.pkg("org.example.bundle42.api", "[1,2)")).size();
    print("warm load + first query (read the index, stat every jar, one query)", t);
    assertEquals(1, found);
    assertEquals(0, warm.manifestReads());

    t = System.nanoTime();
    warm.refresh();
    print("refresh, nothing changed", t);

    t = System.nanoTime();
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      warm.findProviders(RepositoryIndexTest.pkg("org.example.bundle" + (i % BUNDLES) + ".spi", "[1,2)"));
    }
    long perQuery = (System.nanoTime() - t) / n;
    System.out.printf(Locale.ROOT, "FIGURE findProviders(package, range): %.1f us a query (mean of %d)%n",
        perQuery / 1000.0, n);

    TestBundles.bundle(maven.resolve("org/example/g0/bundle0/1.0.0/bundle0-1.0.0.jar"), "org.example.bundle0",
        "1.0.0", "org.example.changed;version=1.0.0", null);
    java.nio.file.Files.setLastModifiedTime(maven.resolve("org/example/g0/bundle0/1.0.0/bundle0-1.0.0.jar"),
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    t = System.nanoTime();
    warm.refresh();
    print("refresh, one jar changed (read it, rebuild the snapshot, write the index)", t);
    assertEquals(1, warm.manifestReads());
    System.out.printf(Locale.ROOT, "FIGURE index on disk: %d KB%n",
        java.nio.file.Files.size(state.resolve("maven-local.idx")) / 1024);
  }

  static void print(String what, long start, Object... args) {
    System.out.printf(Locale.ROOT, "FIGURE %s: %d ms%n", String.format(Locale.ROOT, what, args),
        (System.nanoTime() - start) / 1_000_000);
  }
}
