package io.dockevos.feature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.feature.FeatureException;
import io.dockevos.install.Change;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a feature install takes, worked out without a framework. */
class FeaturePlannerTest {
  @TempDir
  Path system;
  FeaturePlanner planner;

  @BeforeEach
  void repository() throws Exception {
    jar("api", "org.example.api");
    jar("impl", "org.example.impl");
    jar("extra", "org.example.extra");
    planner = new FeaturePlanner(new BundleFinder(system, system.resolve("no-maven-repo")));
  }

  /** A bundle org.example:ARTIFACT:1.0.0 in system/, Maven layout. */
  private void jar(String artifact, String symbolicName) throws Exception {
    Path dir = Files.createDirectories(system.resolve("org/example/" + artifact + "/1.0.0"));
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
    mf.getMainAttributes().putValue("Bundle-Version", "1.0.0");
    try (OutputStream out = Files.newOutputStream(dir.resolve(artifact + "-1.0.0.jar"));
        JarOutputStream jar = new JarOutputStream(out, mf)) {
      jar.flush();
    }
  }

  static Descriptor.BundleSpec spec(String artifact, int startOrder) {
    return new Descriptor.BundleSpec("org.example:" + artifact + ":1.0.0", "org.example", artifact, "1.0.0", null,
        null, startOrder);
  }

  static Descriptor feature(List<String> extensions, Descriptor.BundleSpec... bundles) {
    return new Descriptor("org.example:greeter:1.0.0", "greeter", "1.0.0", null, null, Map.of(), List.of(bundles),
        List.of(), Map.of(), extensions, "greeter.json", "digest", "{}");
  }

  @Test
  void theChangeInstallsOnlyWhatIsNotInstalledEachAtItsStartOrderFromTheGivenSourcesOnly() throws Exception {
    FeaturePlanner.Result r = planner.plan(feature(List.of(), spec("api", 60), spec("impl", 0), spec("extra", 61)), 100,
        Set.of("org.example.impl 1.0.0"), null);
    assertEquals(Change.Scope.GIVEN, r.change().scope(), "a feature names its bundles");
    assertEquals("feature:install greeter", r.change().origin());
    assertEquals(List.of(system.resolve("org/example/api/1.0.0/api-1.0.0.jar").toString(),
        system.resolve("org/example/extra/1.0.0/extra-1.0.0.jar").toString()),
        r.change().items().stream().map(Change.Item::source).toList());
    assertEquals(List.of(60, 61), r.change().items().stream().map(Change.Item::startLevel).toList());
    assertEquals(List.of("org.example.impl 1.0.0"), r.present().stream().map(FeaturePlanner.Planned::key).toList());
    assertEquals(3, r.bundles().size(), "every bundle of the feature, in its order");
    assertEquals("org.example.api 1.0.0 (org.example:api:1.0.0)", r.bundles().get(0).label());
    assertTrue(r.bundles().get(0).owned());
    assertFalse(r.bundles().get(1).owned(), "installed before the feature: not its to uninstall");
  }

  @Test
  void aRepairKeepsOwningTheBundlesTheFeatureHadInstalled() throws Exception {
    FeatureRegistry.Installed before = new FeatureRegistry.Installed("org.example:greeter:1.0.0", "greeter", "1.0.0",
        "greeter.json", "digest", Instant.EPOCH, List.of(new FeatureRegistry.Bundle("org.example:api:1.0.0",
            "org.example.api", "1.0.0", true), new FeatureRegistry.Bundle("org.example:impl:1.0.0", "org.example.impl",
            "1.0.0", true)), List.of());
    FeaturePlanner.Result r = planner.plan(feature(List.of(), spec("api", 0), spec("impl", 0)), 100,
        Set.of("org.example.api 1.0.0"), before);
    assertEquals(1, r.change().items().size(), "only the missing impl is installed again");
    assertTrue(r.bundles().get(0).present() && r.bundles().get(0).owned());
  }

  @Test
  void everyBundleThatCannotBeFoundOrWouldNeverStartIsNamedAndNothingIsPlanned() {
    FeatureException e = assertThrows(FeatureException.class, () -> planner.plan(feature(List.of(), spec("api", 120),
        spec("nowhere", 0)), 100, Set.of(), null));
    assertTrue(e.getMessage().startsWith("Cannot install feature greeter 1.0.0: "), e.getMessage());
    assertTrue(e.getMessage().contains("bundle org.example:api:1.0.0 has start-order 120, above the framework's start"
        + " level 100, so it would never start"), e.getMessage());
    assertTrue(e.getMessage().contains("bundle org.example:nowhere:1.0.0 is neither in "
        + system.resolve("org/example/nowhere/1.0.0/nowhere-1.0.0.jar")), e.getMessage());
    assertTrue(e.getMessage().endsWith("Nothing was installed."), e.getMessage());
  }

  @Test
  void aMandatoryExtensionIsRefused() {
    FeatureException e = assertThrows(FeatureException.class, () -> planner.plan(feature(List.of("content-x"),
        spec("api", 0)), 100, Set.of(), null));
    assertTrue(e.getMessage().contains("it has the mandatory extension content-x"), e.getMessage());
  }

  @Test
  void aBundleNamedTwiceIsPlannedOnce() throws Exception {
    FeaturePlanner.Result r = planner.plan(feature(List.of(), spec("api", 0), spec("api", 0)), 100, Set.of(), null);
    assertEquals(1, r.change().items().size());
    assertEquals(0, r.change().items().get(0).startLevel(), "no start-order: the framework's initial level");
  }
}
