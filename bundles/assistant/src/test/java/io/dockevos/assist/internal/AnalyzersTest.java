package io.dockevos.assist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.Incident;
import io.dockevos.fallback.Procedure;
import io.dockevos.fallback.ProcedureCatalog;
import io.dockevos.plugin.PluginState;
import io.dockevos.plugin.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each built-in analyzer on a crafted incident: the cause it names, and the fix's dry run. */
class AnalyzersTest {
  private static final String FILTER = "(&(osgi.wiring.package=io.dockevos.test.missing)(version>=1.0.0)(!(version>=2.0.0)))";
  private static final Provider SYSTEM_PROVIDER = new Provider(Provider.Kind.SYSTEM, "io.dockevos.test.providesmissing",
      "1.0.0", "system/io/dockevos/test/provides/1.0.0/provides-1.0.0.jar",
      "/opt/dockevos/system/io/dockevos/test/provides/1.0.0/provides-1.0.0.jar");

  @Test
  void anUnresolvedRequirementNamesThePackageAndTheBundleInSystemAndOffersToInstallIt() {
    Fakes.Plugins plugins = new Fakes.Plugins().add(Fakes.plugin(12, "io.dockevos.test.needsmissing", PluginState.INSTALLED));
    plugins.providers.put(FILTER, List.of(SYSTEM_PROVIDER));
    Incident i = Fakes.incident("framework", "io.dockevos.test.needsmissing", "io.dockevos.test.needsmissing does not resolve",
        Map.of("requirement", "osgi.wiring.package; " + FILTER));

    List<Diagnosis> d = new UnresolvedRequirementAnalyzer(plugins.manager(), null).analyze(i);

    assertEquals(1, d.size(), d.toString());
    String cause = d.get(0).cause();
    assertTrue(cause.contains("package io.dockevos.test.missing [1.0.0,2.0.0)"), cause);
    assertTrue(cause.contains("io.dockevos.test.providesmissing 1.0.0 in system/io/dockevos/test/provides/1.0.0/provides-1.0.0.jar"), cause);
    Fix fix = d.get(0).fixes().get(0);
    assertEquals(Risk.SAFE, fix.risk());
    assertEquals("install io.dockevos.test.providesmissing 1.0.0 in system/io/dockevos/test/provides/1.0.0/provides-1.0.0.jar"
        + " and start io.dockevos.test.needsmissing", fix.description());
    assertEquals("install io.dockevos.test.providesmissing 1.0.0 in system/io/dockevos/test/provides/1.0.0/provides-1.0.0.jar:"
        + " plugin:install /opt/dockevos/system/io/dockevos/test/provides/1.0.0/provides-1.0.0.jar\n"
        + "start io.dockevos.test.needsmissing (now INSTALLED)", fix.dryRun());
    assertTrue(plugins.calls.contains("providers osgi.wiring.package " + FILTER), plugins.calls.toString());
  }

  @Test
  void anUnresolvedRequirementReadFromFelixsMessageWithNoProviderSaysSoAndOffersNoFix() {
    Fakes.Plugins plugins = new Fakes.Plugins();
    Incident i = Fakes.incident("deploy", "io.x", "cannot resolve", Map.of("reason", "Unable to resolve io.x [7](R 7.0):"
        + " missing requirement [io.x [7](R 7.0)] osgi.wiring.package; (&(osgi.wiring.package=org.nowhere)(version>=2.0.0))"
        + " Unresolved requirements: [[io.x [7](R 7.0)] osgi.wiring.package; (&(osgi.wiring.package=org.nowhere)(version>=2.0.0))]"));
    List<Diagnosis> d = new UnresolvedRequirementAnalyzer(plugins.manager(), null).analyze(i);
    assertEquals(1, d.size(), "one requirement, named twice in the message: " + d);
    assertTrue(d.get(0).cause().contains("package org.nowhere [2.0.0,\u221e)"), d.get(0).cause());
    assertTrue(d.get(0).cause().contains("neither system/, a feature nor the local Maven repository"), d.get(0).cause());
    assertTrue(d.get(0).fixes().isEmpty());
  }

  @Test
  void aPluginWhoseInstallWasRefusedIsInstalledAgainFromItsJarAfterTheProvider() throws Exception {
    Fakes.Plugins plugins = new Fakes.Plugins();
    plugins.providers.put(FILTER, List.of(SYSTEM_PROVIDER));
    java.nio.file.Path jar = java.nio.file.Files.createTempFile("needs-missing", ".jar");
    try {
      Incident i = Fakes.incident("plugin", "io.dockevos.test.needsmissing", "install refused",
          Map.of("requirement", "osgi.wiring.package; " + FILTER, "file", jar.toString()));
      Diagnosis d = new UnresolvedRequirementAnalyzer(plugins.manager(), null).analyze(i).get(0);
      Fix fix = d.fixes().get(0);
      assertTrue(fix.description().endsWith(" and install io.dockevos.test.needsmissing again from " + jar), fix.description());
      assertTrue(fix.dryRun().endsWith("\ninstall io.dockevos.test.needsmissing again: plugin:install " + jar), fix.dryRun());
    } finally {
      java.nio.file.Files.delete(jar);
    }
  }

  @Test
  void anAlreadyInstalledProviderIsNotOfferedAgain() {
    Fakes.Plugins plugins = new Fakes.Plugins().add(Fakes.plugin(3, "io.dockevos.test.providesmissing", PluginState.RESOLVED));
    plugins.providers.put(FILTER, List.of(SYSTEM_PROVIDER));
    Incident i = Fakes.incident("framework", "io.y", "x", Map.of("requirement", "osgi.wiring.package; " + FILTER));
    assertTrue(new UnresolvedRequirementAnalyzer(plugins.manager(), null).analyze(i).get(0).fixes().isEmpty());
  }

  @Test
  void aMissingClassNamesItsPackageAndTheProvider() {
    Fakes.Plugins plugins = new Fakes.Plugins();
    plugins.providers.put("(osgi.wiring.package=io.dockevos.test.missing)", List.of(SYSTEM_PROVIDER));
    Incident i = Fakes.incident("framework", "io.x", "io.x failed to start",
        Map.of("exception", "java.lang.NoClassDefFoundError", "message", "io/dockevos/test/missing/Missing"));
    List<Diagnosis> d = new MissingClassAnalyzer(plugins.manager(), null).analyze(i);
    String cause = d.get(0).cause();
    assertTrue(cause.contains("cannot load the class io.dockevos.test.missing.Missing"), cause);
    assertTrue(cause.contains("no installed bundle exports the package io.dockevos.test.missing"), cause);
    assertTrue(cause.contains("io.dockevos.test.providesmissing 1.0.0 in system/"), cause);
    assertTrue(d.get(0).fixes().get(0).dryRun().contains("plugin:install /opt/dockevos/system/"), d.get(0).fixes().get(0).dryRun());
  }

  @Test
  void aClassNotFoundExceptionInTheStackTraceIsFoundToo() {
    Incident i = Fakes.incident("log", null, "Component failed", Map.of("reason",
        "org.osgi.framework.BundleException: Activator start error\nCaused by: java.lang.ClassNotFoundException:"
            + " org.example.api.Thing not found by org.example.impl [14]"));
    assertEquals("org.example.api.Thing", MissingClassAnalyzer.missingClass(i));
    Incident init = Fakes.incident("log", null, "x", Map.of("exception", "java.lang.NoClassDefFoundError",
        "message", "Could not initialize class org.example.Broken"));
    assertEquals(null, MissingClassAnalyzer.missingClass(init), "a failed static initializer is not a missing package");
  }

  @Test
  void anUnsatisfiedReferenceNamesTheServiceAndOffersTheAlternative() {
    Fakes.Plugins plugins = new Fakes.Plugins();
    plugins.providers.put("(objectClass=io.dockevos.runner.Runner)", List.of(new Provider(Provider.Kind.FEATURE,
        "io.dockevos.alternative", "0.1.0", "dockevos-alternative", "dockevos-alternative")));
    Incident i = Fakes.incident("component", "io.x", "Component io.x.Jobs is unsatisfied",
        Map.of("component.name", "io.x.Jobs", "reference.interface", "io.dockevos.runner.Runner"));
    List<Diagnosis> d = new UnsatisfiedReferenceAnalyzer(plugins.manager(), null).analyze(i);
    String cause = d.get(0).cause();
    assertTrue(cause.startsWith("The component io.x.Jobs of io.x waits for a service io.dockevos.runner.Runner"), cause);
    assertTrue(cause.contains("io.dockevos.alternative 0.1.0 in the feature dockevos-alternative"), cause);
    Fix fix = d.get(0).fixes().get(0);
    assertEquals("enable the alternative: install the feature dockevos-alternative (with io.dockevos.alternative 0.1.0)",
        fix.description());
    assertTrue(fix.dryRun().contains("feature:install dockevos-alternative"), fix.dryRun());
    assertEquals(Risk.SAFE, fix.risk());
  }

  @Test
  void anUnsatisfiedReferenceWithNoProviderSaysWhatToInstall() {
    Incident i = Fakes.incident("component", "io.x", "waits", Map.of("reference.interface", "org.example.Api"));
    List<Diagnosis> d = new UnsatisfiedReferenceAnalyzer(new Fakes.Plugins().manager(), null).analyze(i);
    assertTrue(d.get(0).cause().contains("install a plugin that provides org.example.Api"), d.get(0).cause());
    assertTrue(d.get(0).fixes().isEmpty());
  }

  @Test
  void aCrashLoopOffersToDisableThePlugin() throws Exception {
    Fakes.Plugins plugins = new Fakes.Plugins().add(Fakes.plugin(21, "io.crashy", PluginState.FAILED));
    Instant last = Instant.parse("2026-12-01T08:00:00Z");
    Incident loop = Fakes.incident("plugin", "io.crashy", "io.crashy failed", Map.of(), 3, last.minusSeconds(30), last);
    CrashLoopAnalyzer analyzer = new CrashLoopAnalyzer(plugins.manager(), 3, Duration.ofMinutes(10));
    List<Diagnosis> d = analyzer.analyze(loop);
    assertEquals("io.crashy is in a crash loop: it failed 3 times within 600 s", d.get(0).cause());
    Fix fix = d.get(0).fixes().get(0);
    assertEquals(Risk.MODERATE, fix.risk());
    assertTrue(fix.dryRun().startsWith("plugin:disable 21: io.crashy stops (now FAILED)"), fix.dryRun());
    assertEquals("disabled io.crashy: DISABLED", fix.apply());
    assertEquals(Optional.empty(), fix.verify());
    assertEquals(List.of("disable 21"), plugins.calls);

    Incident slow = Fakes.incident("plugin", "io.crashy", "io.crashy failed", Map.of(), 3, last.minus(Duration.ofHours(2)), last);
    assertTrue(analyzer.analyze(slow).isEmpty(), "3 failures in 2 hours are no loop");
    Incident twice = Fakes.incident("plugin", "io.crashy", "io.crashy failed", Map.of(), 2, last.minusSeconds(5), last);
    assertTrue(analyzer.analyze(twice).isEmpty(), "2 failures are below the threshold");
  }

  @Test
  void anUnreachableContainerEngineOffersTheManualProcedureOfTheCatalog() {
    ContainerEngineAnalyzer analyzer = new ContainerEngineAnalyzer();
    Incident i = Fakes.incident("docker", null, "The container engine is DOWN",
        Map.of("reason", "connect: no such file", "engine.endpoint", "unix:///var/run/docker.sock"));
    List<Diagnosis> d = analyzer.analyze(i);
    assertEquals("The container engine cannot be reached at unix:///var/run/docker.sock: connect: no such file",
        d.get(0).cause());
    assertEquals(Risk.MANUAL, d.get(0).fixes().get(0).risk());
    assertTrue(d.get(0).fixes().get(0).dryRun().contains("feature:install dockevos-alternative"));

    analyzer.catalog = catalog(new Procedure(Procedure.CONTAINER_ENGINE_MISSING, "Install a container engine",
        List.of("sudo apt-get install docker.io", "sudo systemctl enable --now docker")));
    Fix manual = analyzer.analyze(i).get(0).fixes().get(0);
    assertEquals("Install a container engine", manual.description());
    assertEquals("nothing is changed: follow these steps\n1. sudo apt-get install docker.io\n"
        + "2. sudo systemctl enable --now docker", manual.dryRun());
    assertTrue(analyzer.analyze(Fakes.incident("log", null, "x", Map.of())).isEmpty());
  }

  @Test
  void aMissingToolGivesTheCatalogsProcedureOrElseTheHint() {
    MissingToolAnalyzer analyzer = new MissingToolAnalyzer();
    Incident i = Fakes.incident("hardware", "io.git.plugin", "git is missing",
        Map.of("tool", "git", "hint", "sudo apt-get install git", "tool.required", ">=2.30"));
    Diagnosis d = analyzer.analyze(i).get(0);
    assertEquals("The system tool git is missing, >=2.30 required; io.git.plugin needs it", d.cause());
    assertEquals(Risk.MANUAL, d.fixes().get(0).risk());
    assertTrue(d.fixes().get(0).dryRun().contains("1. sudo apt-get install git"), d.fixes().get(0).dryRun());

    analyzer.catalog = catalog(new Procedure("tool-missing/git", "Install git", List.of("apt-get install git-core")));
    assertEquals("nothing is changed: follow these steps\n1. apt-get install git-core",
        analyzer.analyze(i).get(0).fixes().get(0).dryRun());
  }

  private static ProcedureCatalog catalog(Procedure p) {
    return new ProcedureCatalog() {
      @Override
      public List<Procedure> procedures() {
        return List.of(p);
      }

      @Override
      public Optional<Procedure> find(String problem) {
        return p.problem().equals(problem) ? Optional.of(p) : Optional.empty();
      }
    };
  }

  @Test
  void requirementsAreReadFromTheErrorHandlersKeyAndDescribed() {
    List<Requirements.Req> r = Requirements.parse("osgi.wiring.package; " + FILTER);
    assertEquals(List.of(new Requirements.Req("osgi.wiring.package", FILTER)), r);
    assertEquals("package io.dockevos.test.missing [1.0.0,2.0.0)", Requirements.describe(r.get(0)));
    assertEquals("service org.x.Api", Requirements.describe(new Requirements.Req("osgi.service", "(objectClass=org.x.Api)")));
  }
}
