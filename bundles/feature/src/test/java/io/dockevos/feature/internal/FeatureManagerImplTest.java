package io.dockevos.feature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the feature manager that need no framework. */
class FeatureManagerImplTest {
  @Test
  void versionsCompareByTheirNumbers() {
    List<String> versions = new ArrayList<>(List.of("1.10.0", "1.2.0", "1.9.1", "1.0.0-SNAPSHOT", "1.0.0", "2"));
    versions.sort(FeatureManagerImpl::compareVersions);
    assertEquals(List.of("1.0.0-SNAPSHOT", "1.0.0", "1.2.0", "1.9.1", "1.10.0", "2"), versions);
    assertEquals(0, FeatureManagerImpl.compareVersions("1.0", "1.0"));
    assertTrue(FeatureManagerImpl.compareVersions("1.0.1", "1.0") > 0);
  }

  @Test
  void aReferenceIsAFileWhenItLooksLikeOne() {
    assertTrue(FeatureManagerImpl.isLocation("deploy/extra.json"));
    assertTrue(FeatureManagerImpl.isLocation("/tmp/extra.json"));
    assertTrue(FeatureManagerImpl.isLocation("https://example.org/features/x"));
    assertTrue(FeatureManagerImpl.isLocation("file:/tmp/x"));
    assertFalse(FeatureManagerImpl.isLocation("example"));
    assertFalse(FeatureManagerImpl.isLocation("example/1.0.0"));
    assertFalse(FeatureManagerImpl.isLocation("org.example:example:1.0.0"));
  }
}
