package io.dockevos.feature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a copied or moved home reads back: its own feature files, not the old home's. */
class FeatureRegistryTest {
  @TempDir Path dir;

  @Test
  void sourcesInsideTheHomeAreStoredRelativeAndReadUnderTheHomeThatRuns() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path data = home.resolve("data/features");
    FeatureRegistry registry = new FeatureRegistry(data, home);
    String inside = home.resolve("deploy/app.json").toString();
    String outside = dir.resolve("elsewhere/app.json").toString();
    String url = "https://example.org/features.json";
    registry.put(new FeatureRegistry.Installed("a:app:1", "app", "1", inside, "d", Instant.now(), List.of(), List.of()), "{}");
    registry.put(new FeatureRegistry.Installed("a:out:1", "out", "1", outside, "d", Instant.now(), List.of(), List.of()), "{}");
    registry.addRepository(home.resolve("repo/features.json").toString());
    registry.addRepository(url);
    String file = Files.readString(data.resolve("registry.json"));
    assertFalse(file.contains(home.toString()), () -> "nothing inside the home is stored absolute: " + file);
    assertTrue(file.contains(outside), file);

    Path copy = dir.resolve("copy");
    try (var files = Files.walk(home)) {
      for (Path p : files.toList()) {
        Files.copy(p, copy.resolve(home.relativize(p).toString()));
      }
    }
    FeatureRegistry moved = new FeatureRegistry(copy.resolve("data/features"), copy);
    assertEquals(copy.resolve("deploy/app.json").toString(), moved.get("a:app:1").orElseThrow().source());
    assertEquals(outside, moved.get("a:out:1").orElseThrow().source());
    assertEquals(List.of(copy.resolve("repo/features.json").toString(), url), moved.repositories());
  }
}
