package io.dockevos.feature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.install.Change;
import io.dockevos.install.Plan;
import io.dockevos.install.ApplyException;
import io.dockevos.install.PlanException;
import io.dockevos.plugin.MissingRequirement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

/** The parts of applying a feature that need no framework: values, and what its errors say. */
class FeatureApplierTest {
  static final Descriptor.BundleSpec API = FeaturePlannerTest.spec("api", 0);
  static final Descriptor.BundleSpec IMPL = FeaturePlannerTest.spec("impl", 0);

  static FeaturePlanner.Result planned() {
    Descriptor d = FeaturePlannerTest.feature(List.of(), API, IMPL);
    List<FeaturePlanner.Planned> bundles = List.of(
        new FeaturePlanner.Planned(API, Path.of("/s/api.jar"), new BundleFinder.Identity("org.example.api",
            Version.parseVersion("1.0.0")), false, true),
        new FeaturePlanner.Planned(IMPL, Path.of("/s/impl.jar"), new BundleFinder.Identity("org.example.impl",
            Version.parseVersion("1.0.0")), false, true));
    return new FeaturePlanner.Result(d, bundles, new Change(List.of(Change.Item.install("/s/api.jar"),
        Change.Item.install("/s/impl.jar")), Change.Scope.GIVEN, Set.of(), "feature:install greeter"));
  }

  @Test
  void variablesComeFromTheFeatureThenTheProperties() {
    Map<String, Object> variables = Map.of("port", 8080);
    assertEquals("hello from /opt/d on 8080, ${unknown}", FeatureApplier.expand(
        "hello from ${dockevos.home} on ${port}, ${unknown}", variables, n -> n.equals("dockevos.home") ? "/opt/d" : null));
    assertEquals("no ${ end", FeatureApplier.expand("no ${ end", variables, n -> null));
  }

  @Test
  void aBundleThatDoesNotResolveIsNamedByItsMavenIdWithWhatItMisses() {
    PlanException e = new PlanException("Cannot install /s/api.jar, /s/impl.jar: no plan fits; nothing was installed.",
        List.of(new MissingRequirement("osgi.wiring.package", "(osgi.wiring.package=org.example.spi)",
            "package org.example.spi [1.0.0,2.0.0)", "org.example.impl 1.0.0", List.of("org.example.impl 1.0.0"),
            List.of())));
    assertEquals("bundle org.example.impl 1.0.0 (org.example:impl:1.0.0) does not resolve; it requires:\n"
        + "  - package org.example.spi [1.0.0,2.0.0) (nothing installed or known provides it)",
        FeatureApplier.unresolved(planned(), e));
  }

  @Test
  void aStartFailureNamesTheBundleAndTheGateItsReason() {
    String why = "org.example.impl 1.0.0 failed to start: its activator threw java.lang.IllegalStateException: no";
    assertEquals("bundle org.example:impl:1.0.0: " + why + ".", FeatureApplier.applyFailure(planned(),
        new ApplyException("Cannot install /s/api.jar, /s/impl.jar: " + why + ". Everything was put back as it was.",
            ApplyException.Stage.START, "org.example.impl 1.0.0", why, null, List.of())));
    String gateWhy = "the health gate failed after 10.0 s: the component x of org.example.impl 1.0.0 waits for a service"
        + " org.example.Wanted (reference wanted), which nothing provides";
    String gate = FeatureApplier.applyFailure(planned(), new ApplyException("Cannot install /s/api.jar, /s/impl.jar: "
        + gateWhy + ". Everything was put back as it was.", ApplyException.Stage.GATE, null, gateWhy, null, List.of()));
    assertEquals(gateWhy + ".", gate);
  }

  @Test
  void theDryRunPlanListsTheConfigurations() {
    Descriptor d = new Descriptor("org.example:greeter:1.0.0", "greeter", "1.0.0", null, null, Map.of(), List.of(),
        List.of(new Descriptor.ConfigSpec("org.example.greeter", null, null, Map.of())), Map.of(), List.of(), "g.json",
        "digest", "{}");
    Plan plan = new Plan(planned().change(), List.of(), List.of(), List.of(), List.of(), List.of());
    Plan shown = FeatureApplier.withConfigurations(plan, d);
    assertEquals(List.of("org.example.greeter"), shown.configurations());
    assertTrue(shown.steps().isEmpty());
  }
}
