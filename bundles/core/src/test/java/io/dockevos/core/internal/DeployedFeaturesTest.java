package io.dockevos.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which .json files in deploy/ are features (for the feature manager) and which are configurations. */
class DeployedFeaturesTest {
  @TempDir Path dir;

  private boolean isFeature(String json) throws Exception {
    return DeployedFeatures.isFeature(Files.writeString(dir.resolve("f.json"), json));
  }

  @Test
  void aFeatureIsRecognisedByItsResourceVersionOrItsMavenBundles() throws Exception {
    assertTrue(isFeature("{ \"feature-resource-version\": \"1.0\", \"id\": \"g:a:1\" }"));
    assertTrue(isFeature("{ \"id\": \"g:a:1\", \"bundles\": [ { \"id\": \"org.example:api:1.0.0\" } ] }"));
    assertTrue(isFeature("{ \"bundles\": [ { \"id\": \"org.example:api:jar:linux:1.0.0\", \"start-order\": 3 } ] }"));
  }

  @Test
  void aConfigurationIsNotAFeature() throws Exception {
    assertFalse(isFeature("{ \"port:Integer\": 8080, \"host\": \"localhost\" }"));
    assertFalse(isFeature("{ \"bundles\": [ \"a\", \"b\" ] }"), "a configuration may have a property named bundles");
    assertFalse(isFeature("{ \"bundles\": [ { \"id\": \"not maven\" } ] }"));
    assertFalse(isFeature("[ 1, 2 ]"));
  }

  @Test
  void aFeatureThatDoesNotParseStillGoesToTheFeatureManagerToBeExplained() throws Exception {
    assertTrue(isFeature("{ \"feature-resource-version\": \"1.0\", \"id\": \"g:a:1\" "));
    assertTrue(isFeature("{ \"id\": \"g:a:1\",\n  \"bundles\": [ { \"id\": \"g:b:1\" } \n  { } ] }"));
    assertFalse(isFeature("{ \"port:Integer\": 8080, "), "a broken configuration stays a configuration");
  }
}
