package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.ComponentDiagnosis;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.Diagnostics.Depth;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.PluginState;
import io.dockevos.test.tiny.TinyBundles;
import java.io.InputStream;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The diagnostics service in a real Felix: a bundle that lacks a package and a component that waits
 * for a service, as typed values; and {@code plugin:diag} and the error handler saying what it
 * says, in its words.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class DiagnosticsTest {
  private static final String NEEDS_WANTED = "io.dockevos.test.unsatisfied.NeedsWanted";

  @InjectBundleContext
  BundleContext context;

  @InjectService
  Diagnostics diagnostics;

  @InjectService
  CommandProcessor shell;

  @InjectService
  ConfigurationAdmin configAdmin;

  @InjectService
  ErrorHandler errors;

  private Bundle install(String tiny) throws Exception {
    try (InputStream in = TinyBundles.open(tiny)) {
      return context.installBundle("diagnostics-test:" + tiny, in);
    }
  }

  @Test
  void aBundleThatLacksAPackageIsUnhealthyWithTheRequirementAsAValue() throws Exception {
    Bundle b = install(TinyBundles.NEEDS_MISSING);
    long id = b.getBundleId();
    try {
      assertFalse(context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(b)), "it cannot resolve");
      BundleDiagnosis d = diagnostics.diagnose(id, Depth.RUNTIME).orElseThrow();
      assertEquals("io.dockevos.test.needsmissing", d.symbolicName());
      assertEquals("1.0.0", d.version());
      assertEquals(PluginState.INSTALLED, d.state());
      assertFalse(d.healthy());
      assertEquals(1, d.missing().size(), d.missing()::toString);
      MissingRequirement m = d.missing().get(0);
      assertEquals("osgi.wiring.package", m.namespace());
      assertEquals("(&(osgi.wiring.package=io.dockevos.test.missing)(version>=1.0.0)(!(version>=2.0.0)))", m.filter());
      assertEquals("package io.dockevos.test.missing [1.0.0,2.0.0)", m.description());
      assertEquals("io.dockevos.test.needsmissing 1.0.0", m.requiringBundle());
      assertEquals(List.of(), m.candidates(), "RUNTIME does not look at the repositories");
      assertEquals(List.of(), d.components());
      assertTrue(diagnostics.unhealthy(Depth.RUNTIME).stream().anyMatch(x -> x.bundleId() == id),
          "listed among the unhealthy bundles");

      // plugin:diag says what the diagnosis says, in its words.
      BundleDiagnosis full = diagnostics.diagnose(id, Depth.CANDIDATES).orElseThrow();
      assertTrue(full.problems().get(0).startsWith("io.dockevos.test.needsmissing 1.0.0 does not resolve; it requires:"
          + "\n  - package io.dockevos.test.missing [1.0.0,2.0.0)"), full.problems()::toString);
      String out = Shell.run(shell, "plugin:diag " + id).out();
      for (String line : full.problems()) {
        assertTrue(out.contains(line), () -> "plugin:diag shows '" + line + "'\n" + out);
      }
      for (String fix : full.fixes()) {
        assertTrue(out.contains("  " + fix), () -> "plugin:diag shows the fix '" + fix + "'\n" + out);
      }
    } finally {
      b.uninstall();
    }
    assertEquals(Optional.empty(), diagnostics.diagnose(id, Depth.RUNTIME), "an uninstalled bundle has no diagnosis");
    assertTrue(diagnostics.unhealthy(Depth.RUNTIME).stream().noneMatch(x -> x.bundleId() == id));
  }

  @Test
  void aComponentThatWaitsForAServiceIsUnhealthyWithItsReferenceUntilAServiceComes() throws Exception {
    Configuration errorsConfig = configAdmin.getConfiguration("dockevos.errors", "?");
    Dictionary<String, Object> before = errorsConfig.getProperties();
    Hashtable<String, Object> shortGrace = new Hashtable<>();
    shortGrace.put("gracePeriodSeconds", 1);
    errorsConfig.update(shortGrace);
    Bundle b = install(TinyBundles.UNSATISFIED);
    Bundle provider = null;
    long id = b.getBundleId();
    try {
      b.start();
      BundleDiagnosis d = Await.until(() -> diagnostics.diagnose(id, Depth.RUNTIME).orElseThrow(),
          x -> !x.failing().isEmpty(), "the component waits for its service");
      assertEquals(PluginState.ACTIVE, d.state(), "the bundle itself is ACTIVE");
      assertFalse(d.healthy());
      assertEquals(List.of(), d.missing());
      ComponentDiagnosis c = d.component(NEEDS_WANTED).orElseThrow();
      assertEquals(ComponentDiagnosis.State.UNSATISFIED_REFERENCE, c.state());
      assertEquals(NEEDS_WANTED, c.implementation());
      assertEquals(List.of(new ComponentDiagnosis.Reference("wanted", "io.dockevos.test.wanted.Wanted", null)),
          c.unsatisfied());
      assertEquals(null, c.failure());
      String explained = "the component " + NEEDS_WANTED + " of io.dockevos.test.unsatisfied 1.0.0 waits for a service"
          + " io.dockevos.test.wanted.Wanted (reference wanted), which nothing provides";
      assertEquals(explained, c.explained(d.who()));
      assertTrue(diagnostics.unhealthy(Depth.RUNTIME).stream().anyMatch(x -> x.bundleId() == id));
      String sentence = "T" + explained.substring(1);

      // plugin:diag and the error handler say the same, in the same words.
      String out = Shell.run(shell, "plugin:diag " + id).out();
      assertTrue(out.contains(sentence + "."), () -> "plugin:diag\n" + out);
      assertTrue(out.contains("  install or start a plugin that provides io.dockevos.test.wanted.Wanted"), out);
      Incident i = Await.until(() -> errors.incidents(false).stream().filter(x -> ("io.dockevos.test.unsatisfied/"
          + NEEDS_WANTED).equals(x.properties().get(IncidentProperties.SUBJECT))).findFirst(), Optional::isPresent,
          "the error handler's incident for the component").get();
      assertEquals(sentence, i.summary());
      assertEquals("io.dockevos.test.wanted.Wanted", i.properties().get(IncidentProperties.REFERENCE_INTERFACE));
      assertEquals("wanted", i.properties().get(IncidentProperties.REFERENCE));
      assertEquals(String.valueOf(id), i.properties().get(IncidentProperties.BUNDLE_ID));

      provider = install(TinyBundles.PROVIDES_WANTED);
      provider.start();
      BundleDiagnosis healthy = Await.until(() -> diagnostics.diagnose(id, Depth.RUNTIME).orElseThrow(),
          BundleDiagnosis::healthy, "healthy once a Wanted service is there");
      assertEquals(ComponentDiagnosis.State.ACTIVE, healthy.component(NEEDS_WANTED).orElseThrow().state());
      assertEquals(List.of(), healthy.problems());
      assertTrue(diagnostics.unhealthy(Depth.RUNTIME).stream().noneMatch(x -> x.bundleId() == id));
      Await.until(() -> errors.incident(i.id()).orElseThrow().status(), s -> s == Incident.Status.FIXED,
          "the incident is FIXED once the component is satisfied");
      errors.clear(i.id());
    } finally {
      if (provider != null) {
        provider.uninstall();
      }
      b.uninstall();
      if (before != null) {
        errorsConfig.update(before);
      } else {
        Hashtable<String, Object> defaults = new Hashtable<>();
        defaults.put("gracePeriodSeconds", 10);
        errorsConfig.update(defaults);
      }
    }
  }
}
