package io.dockevos.feature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding features: versions and references. */
class FeatureCatalogTest {
  @Test
  void versionsCompareByTheirNumbers() {
    List<String> versions = new ArrayList<>(List.of("1.10.0", "1.2.0", "1.9.1", "1.0.0-SNAPSHOT", "1.0.0", "2"));
    versions.sort(FeatureCatalog::compareVersions);
    assertEquals(List.of("1.0.0-SNAPSHOT", "1.0.0", "1.2.0", "1.9.1", "1.10.0", "2"), versions);
    assertEquals(0, FeatureCatalog.compareVersions("1.0", "1.0"));
    assertTrue(FeatureCatalog.compareVersions("1.0.1", "1.0") > 0);
  }

  @Test
  void aReferenceIsAFileWhenItLooksLikeOne() {
    assertTrue(FeatureCatalog.isLocation("deploy/extra.json"));
    assertTrue(FeatureCatalog.isLocation("/tmp/extra.json"));
    assertTrue(FeatureCatalog.isLocation("https://example.org/features/x"));
    assertTrue(FeatureCatalog.isLocation("file:/tmp/x"));
    assertFalse(FeatureCatalog.isLocation("example"));
    assertFalse(FeatureCatalog.isLocation("example/1.0.0"));
    assertFalse(FeatureCatalog.isLocation("org.example:example:1.0.0"));
  }
}
