package io.dockevos.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootFeaturesTest {
  @TempDir Path home;

  private Settings settings(String... features) throws IOException {
    return Settings.resolve(home, null, null, List.of(features), Map.of(), null, Duration.ofSeconds(5));
  }

  private void feature(String name, String json) throws IOException {
    Files.createDirectories(home.resolve("system/features"));
    Files.writeString(home.resolve("system/features/" + name + ".json"), json);
  }

  @Test
  void anUnknownFeatureIsNamed() throws IOException {
    IOException e = assertThrows(IOException.class, () -> BootFeatures.load(settings("no-such-feature")));
    assertTrue(e.getMessage().contains("unknown feature no-such-feature"), e.getMessage());
  }

  @Test
  void anInvalidFeatureFileIsNamedWithItsCause() throws IOException {
    feature("broken", "{ \"feature-resource-version\": \"1.0\", \"id\": ");
    IOException e = assertThrows(IOException.class, () -> BootFeatures.load(settings("broken")));
    assertTrue(e.getMessage().contains("broken.json is not valid"), e.getMessage());
  }

  @Test
  void aMissingBundleIsNamedWithWhereItWasLookedFor() throws IOException {
    feature("lost", """
        { "feature-resource-version": "1.0", "id": "t:lost:1.0.0",
          "bundles": [ { "id": "org.example.none:not-there:9.9.9" } ] }""");
    IOException e = assertThrows(IOException.class, () -> BootFeatures.load(settings("lost")));
    assertTrue(e.getMessage().contains("org.example.none:not-there:9.9.9"), e.getMessage());
    assertTrue(e.getMessage().contains(home.resolve("system").toString()), e.getMessage());
  }

  @Test
  void aBundleInSystemIsFoundInMavenLayout() throws IOException {
    Path jar = home.resolve("system/org/example/thing/1.0.0/thing-1.0.0.jar");
    Files.createDirectories(jar.getParent());
    Files.write(jar, new byte[] {1});
    feature("one", """
        { "feature-resource-version": "1.0", "id": "t:one:1.0.0",
          "bundles": [ { "id": "org.example:thing:1.0.0", "start-order": 3 } ] }""");
    BootFeatures.load(settings("one"));
    assertEquals(jar, BootFeatures.locate(home, org.apache.felix.feature.impl.IDImpl.fromMavenID("org.example:thing:1.0.0")).orElseThrow().file());
  }

  @Test
  void theBootFeatureAndItsBundlesComeFromTheClassPathWithoutAHome() throws IOException {
    BootFeatures.load(settings("dockevos-core"));
    var scr = BootFeatures.locate(home,
        org.apache.felix.feature.impl.IDImpl.fromMavenID("org.apache.felix:org.apache.felix.scr:2.2.18")).orElseThrow();
    assertTrue(scr.location().startsWith(BootFeatures.CLASSPATH_LOCATION_PREFIX), scr.location());
  }
}
