package io.dockevos.assist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.Incident;
import io.dockevos.fallback.Procedure;
import io.dockevos.fallback.ProcedureCatalog;
import io.dockevos.install.Change;
import io.dockevos.install.Plan;
import io.dockevos.install.PlanException;
import io.dockevos.plugin.MissingRequirement;
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

  private static final String DATABIND = "com.fasterxml.jackson.core.jackson-databind";
  private static final String CORE = "com.fasterxml.jackson.core.jackson-core";
  private static final String ANNOTATIONS = "com.fasterxml.jackson.core.jackson-annotations";

  private static Provider maven(String bsn, String artifact, String version) {
    return new Provider(Provider.Kind.MAVEN, bsn, version, "/m2/com/fasterxml/jackson/core/" + artifact + "/" + version,
        "mvn:com.fasterxml.jackson.core/" + artifact + "/" + version);
  }

  private static MissingRequirement pkg(String name, Provider... candidates) {
    return new MissingRequirement("osgi.wiring.package", "(&(osgi.wiring.package=" + name + ")(version>=2.17.0)(!(version>=3.0.0)))",
        "package " + name + " [2.17.0,3.0.0)", DATABIND + " 2.17.2", List.of(DATABIND + " 2.17.2"), List.of(candidates));
  }

  private static Plan.Step step(String bsn, String artifact, String version, String why) {
    return new Plan.Step(Change.Op.INSTALL, bsn, version, "mvn:com.fasterxml.jackson.core/" + artifact + "/" + version,
        "needed by " + DATABIND + " 2.17.2 (" + why + "); the version its POM declares");
  }

  /** Issue 11: databind without core and annotations, several versions of each about: one diagnosis, one plan. */
  @Test
  void aPluginThatDoesNotResolveGetsOneDiagnosisWhoseOneFixAppliesThePlan() throws Exception {
    Fakes.Plugins plugins = new Fakes.Plugins().add(Fakes.plugin(12, DATABIND, PluginState.INSTALLED));
    Provider[] cores = {maven(CORE, "jackson-core", "2.17.2"), maven(CORE, "jackson-core", "2.18.2")};
    Provider[] annotations = {maven(ANNOTATIONS, "jackson-annotations", "2.17.2"),
        maven(ANNOTATIONS, "jackson-annotations", "2.18.2"), maven(ANNOTATIONS, "jackson-annotations", "2.22.0")};
    plugins.missing.put(12L, List.of(pkg("com.fasterxml.jackson.annotation", annotations),
        pkg("com.fasterxml.jackson.core", cores), pkg("com.fasterxml.jackson.core.base", cores),
        pkg("com.fasterxml.jackson.core.io", cores)));
    Fakes.Installer installer = new Fakes.Installer(plugins);
    installer.planner = c -> new Plan(c, List.of(step(ANNOTATIONS, "jackson-annotations", "2.17.2", "package com.fasterxml.jackson.annotation"),
        step(CORE, "jackson-core", "2.17.2", "package com.fasterxml.jackson.core")), List.of(),
        List.of(ANNOTATIONS + " 2.17.2", CORE + " 2.17.2", DATABIND + " 1.0.0"), List.of(), List.of());
    Incident i = Fakes.incident("deploy", DATABIND, DATABIND + " does not resolve",
        Map.of("requirement", "osgi.wiring.package; (osgi.wiring.package=com.fasterxml.jackson.core)", "bundle.id", "12"));

    List<Diagnosis> d = new UnresolvedRequirementAnalyzer(plugins.manager(), plugins.diagnostics(),
        installer.installer(), null).analyze(i);

    assertEquals(1, d.size(), d.toString());
    assertEquals(DATABIND + " 1.0.0 needs " + ANNOTATIONS + " 2.17.2 in the local Maven repository"
        + " (mvn:com.fasterxml.jackson.core/jackson-annotations/2.17.2) and " + CORE + " 2.17.2 in the local Maven"
        + " repository (mvn:com.fasterxml.jackson.core/jackson-core/2.17.2): it requires package"
        + " com.fasterxml.jackson.annotation [2.17.0,3.0.0) (" + ANNOTATIONS + "); package com.fasterxml.jackson.core"
        + " [2.17.0,3.0.0), package com.fasterxml.jackson.core.base [2.17.0,3.0.0), package com.fasterxml.jackson.core.io"
        + " [2.17.0,3.0.0) (" + CORE + "), which no installed bundle provides", d.get(0).cause());
    assertEquals(1, d.get(0).fixes().size(), "one fix: the plan, not one per package and version");
    assertEquals(List.of("plan START 12"), installer.calls, "the plugin itself is planned, from the repositories");
    Fix fix = d.get(0).fixes().get(0);
    assertEquals(Risk.MODERATE, fix.risk(), "it installs bundles: a person reviews it");
    assertTrue(fix.addsCode());
    assertEquals("install " + ANNOTATIONS + " 2.17.2 and " + CORE + " 2.17.2 and start " + DATABIND + " 1.0.0",
        fix.description());
    assertTrue(fix.dryRun().startsWith("install " + ANNOTATIONS + " 2.17.2 from the local Maven repository"
        + " (mvn:com.fasterxml.jackson.core/jackson-annotations/2.17.2) (needed by " + DATABIND), fix.dryRun());
    assertTrue(fix.dryRun().endsWith("\nstart " + DATABIND + " 1.0.0 (now INSTALLED)"), fix.dryRun());

    assertEquals("installed " + ANNOTATIONS + " 2.17.2 as plugin 31, " + CORE + " 2.17.2 as plugin 32; started "
        + DATABIND + ": ACTIVE", fix.apply());
    assertEquals(List.of("plan START 12", "plan START 12", "apply START 12"), installer.calls,
        "planned again before it is applied: the plan shown may be stale");
    assertEquals(Optional.empty(), fix.verify());
    fix.rollback();
    assertEquals(List.of("uninstall 32", "uninstall 31"), plugins.calls, "what the plan installed goes again");
  }

  @Test
  void whenNoPlanFitsEachRequirementThatNothingSatisfiesIsNamedOnceWithNoFix() {
    Fakes.Plugins plugins = new Fakes.Plugins().add(Fakes.plugin(12, DATABIND, PluginState.INSTALLED));
    MissingRequirement core = pkg("com.fasterxml.jackson.core");
    MissingRequirement io = pkg("com.fasterxml.jackson.core.io");
    plugins.missing.put(12L, List.of(core, io));
    Fakes.Installer installer = new Fakes.Installer(plugins);
    installer.planner = c -> {
      throw new PlanException("Cannot start 12: no plan fits", List.of(core, io));
    };
    Incident i = Fakes.incident("deploy", DATABIND, "x", Map.of("requirement", "ignored", "bundle.id", "12"));

    List<Diagnosis> d = new UnresolvedRequirementAnalyzer(plugins.manager(), plugins.diagnostics(),
        installer.installer(), null).analyze(i);

    assertEquals(1, d.size(), d.toString());
    assertEquals(DATABIND + " 1.0.0 does not resolve, and no plan fits: it requires package com.fasterxml.jackson.core"
        + " [2.17.0,3.0.0), package com.fasterxml.jackson.core.io [2.17.0,3.0.0): nothing installed, in system/ or in the"
        + " repositories provides them. Install a plugin that provides them, then start " + DATABIND + " 1.0.0 again",
        d.get(0).cause());
    assertTrue(d.get(0).fixes().isEmpty());
  }

  @Test
  void aProviderThatTheRepositoriesDoNotOfferYetIsNamedInThePlanFromSystem() throws Exception {
    Fakes.Plugins plugins = new Fakes.Plugins().add(Fakes.plugin(12, "io.dockevos.test.needsmissing", PluginState.INSTALLED));
    MissingRequirement m = new MissingRequirement("osgi.wiring.package", FILTER, "package io.dockevos.test.missing"
        + " [1.0.0,2.0.0)", "io.dockevos.test.needsmissing 1.0.0", List.of("io.dockevos.test.needsmissing 1.0.0"),
        List.of(SYSTEM_PROVIDER));
    plugins.missing.put(12L, List.of(m));
    plugins.providers.put(FILTER, List.of(SYSTEM_PROVIDER));
    Fakes.Installer installer = new Fakes.Installer(plugins);
    installer.planner = c -> {
      if (c.items().size() == 1) {
        throw new PlanException("no plan fits", List.of(new MissingRequirement(m.namespace(), m.filter(), m.description(),
            m.requiringBundle(), m.chain(), List.of())));
      }
      return new Plan(c, List.of(new Plan.Step(Change.Op.INSTALL, SYSTEM_PROVIDER.symbolicName(), "1.0.0",
          SYSTEM_PROVIDER.source(), "named")), List.of(), List.of("io.dockevos.test.providesmissing 1.0.0",
          "io.dockevos.test.needsmissing 1.0.0"), List.of(), List.of());
    };
    Incident i = Fakes.incident("framework", "io.dockevos.test.needsmissing", "does not resolve",
        Map.of("bundle.symbolicName", "io.dockevos.test.needsmissing"));

    Diagnosis d = new UnresolvedRequirementAnalyzer(plugins.manager(), plugins.diagnostics(),
        installer.installer(), null).analyze(i).get(0);

    assertEquals("io.dockevos.test.needsmissing 1.0.0 needs io.dockevos.test.providesmissing 1.0.0 in"
        + " system/io/dockevos/test/provides/1.0.0/provides-1.0.0.jar: it requires package io.dockevos.test.missing"
        + " [1.0.0,2.0.0), which no installed bundle provides", d.cause());
    assertEquals(List.of("plan START 12", "plan INSTALL " + SYSTEM_PROVIDER.source() + ", START 12"), installer.calls);
    Fix fix = d.fixes().get(0);
    assertEquals("install io.dockevos.test.providesmissing 1.0.0 and start io.dockevos.test.needsmissing 1.0.0",
        fix.description());
    assertEquals("install io.dockevos.test.providesmissing 1.0.0 from system/io/dockevos/test/provides/1.0.0/provides-1.0.0.jar"
        + " (named)\nstart io.dockevos.test.needsmissing 1.0.0 (now INSTALLED)", fix.dryRun());
  }

  @Test
  void aPluginWhoseInstallWasRefusedHasItsJarPlannedAgain() throws Exception {
    Fakes.Plugins plugins = new Fakes.Plugins();
    Fakes.Installer installer = new Fakes.Installer(plugins);
    java.nio.file.Path jar = java.nio.file.Files.createTempFile("needs-missing", ".jar");
    installer.planner = c -> new Plan(c, List.of(new Plan.Step(Change.Op.INSTALL, SYSTEM_PROVIDER.symbolicName(), "1.0.0",
        "mvn:io.dockevos.test/providesmissing/1.0.0", "needed by io.dockevos.test.needsmissing 1.0.0 (package"
        + " io.dockevos.test.missing); the only version available"), new Plan.Step(Change.Op.INSTALL,
        "io.dockevos.test.needsmissing", "1.0.0", jar.toString(), "named")), List.of(), List.of(), List.of(), List.of());
    try {
      Incident i = Fakes.incident("plugin", "io.dockevos.test.needsmissing", "install refused",
          Map.of("requirement", "osgi.wiring.package; " + FILTER, "file", jar.toString(),
              "bundle.symbolicName", "io.dockevos.test.needsmissing", "bundle.version", "1.0.0"));
      Diagnosis d = new UnresolvedRequirementAnalyzer(plugins.manager(), plugins.diagnostics(),
        installer.installer(), null).analyze(i).get(0);
      assertEquals(List.of("plan INSTALL " + jar), installer.calls);
      assertEquals("io.dockevos.test.needsmissing 1.0.0 needs io.dockevos.test.providesmissing 1.0.0 in the local Maven"
          + " repository (mvn:io.dockevos.test/providesmissing/1.0.0) (needed by io.dockevos.test.needsmissing 1.0.0"
          + " (package io.dockevos.test.missing); the only version available)", d.cause());
      assertEquals("install io.dockevos.test.providesmissing 1.0.0 and io.dockevos.test.needsmissing 1.0.0 from " + jar,
          d.fixes().get(0).description());
    } finally {
      java.nio.file.Files.delete(jar);
    }
  }

  @Test
  void aPluginThatResolvesOrIsNotKnownIsNotThisAnalyzers() {
    Fakes.Plugins plugins = new Fakes.Plugins().add(Fakes.plugin(3, "io.y", PluginState.RESOLVED));
    Fakes.Installer installer = new Fakes.Installer(plugins);
    UnresolvedRequirementAnalyzer analyzer = new UnresolvedRequirementAnalyzer(plugins.manager(), plugins.diagnostics(),
        installer.installer(), null);
    assertTrue(analyzer.analyze(Fakes.incident("framework", "io.y", "x", Map.of("requirement", "x"))).isEmpty());
    assertTrue(analyzer.analyze(Fakes.incident("framework", "io.z", "x", Map.of("requirement", "x"))).isEmpty(),
        "not installed, and no jar to plan");
    assertEquals(List.of(), installer.calls);
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
    List<Diagnosis> d = new UnsatisfiedReferenceAnalyzer(plugins.manager(), plugins.diagnostics(), null).analyze(i);
    String cause = d.get(0).cause();
    assertTrue(cause.startsWith("The component io.x.Jobs of io.x waits for a service io.dockevos.runner.Runner"), cause);
    assertTrue(cause.contains("io.dockevos.alternative 0.1.0 in the feature dockevos-alternative"), cause);
    Fix fix = d.get(0).fixes().get(0);
    assertEquals("enable the alternative: install the feature dockevos-alternative (with io.dockevos.alternative 0.1.0)",
        fix.description());
    assertTrue(fix.dryRun().contains("feature:install dockevos-alternative"), fix.dryRun());
    assertEquals(Risk.MODERATE, fix.risk(), "it installs a feature: a person reviews it");
    assertTrue(fix.addsCode());
  }

  @Test
  void theReferencesOfAComponentThatIsThereComeFromTheDiagnosticsOneDiagnosisEach() {
    Fakes.Plugins plugins = new Fakes.Plugins().add(Fakes.plugin(14, "io.x", PluginState.ACTIVE));
    plugins.components.put(14L, List.of(new io.dockevos.plugin.ComponentDiagnosis("io.x.Jobs", "io.x.Jobs",
        io.dockevos.plugin.ComponentDiagnosis.State.UNSATISFIED_REFERENCE, List.of(
            new io.dockevos.plugin.ComponentDiagnosis.Reference("runner", "io.dockevos.runner.Runner", "(kind=process)"),
            new io.dockevos.plugin.ComponentDiagnosis.Reference("store", "org.example.Store", null)), null, List.of())));
    // The incident's own record names another interface: the values of the component as it is now win.
    Incident i = Fakes.incident("component", "io.x", "Component io.x.Jobs is unsatisfied", Map.of("component.name",
        "io.x.Jobs", "bundle.id", "14", "bundle.symbolicName", "io.x", "reference.interface", "org.example.Old"));
    List<Diagnosis> d = new UnsatisfiedReferenceAnalyzer(plugins.manager(), plugins.diagnostics(), null).analyze(i);
    assertEquals(2, d.size(), d::toString);
    assertTrue(d.get(0).cause().startsWith("The component io.x.Jobs of io.x waits for a service io.dockevos.runner.Runner"
        + " (target (kind=process)), which no active bundle provides"), d.get(0).cause());
    assertTrue(d.get(1).cause().startsWith("The component io.x.Jobs of io.x waits for a service org.example.Store,"),
        d.get(1).cause());
  }

  @Test
  void anUnsatisfiedReferenceWithNoProviderSaysWhatToInstall() {
    Incident i = Fakes.incident("component", "io.x", "waits", Map.of("reference.interface", "org.example.Api"));
    List<Diagnosis> d = new UnsatisfiedReferenceAnalyzer(new Fakes.Plugins().manager(),
        new Fakes.Plugins().diagnostics(), null).analyze(i);
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
    Incident fixes = Fakes.incident("plugin", "io.crashy", "io.crashy failed", Map.of("count.during.fix", "2"), 3,
        last.minusSeconds(30), last);
    assertTrue(analyzer.analyze(fixes).isEmpty(), "2 of the 3 failures came while fixes were tried: no loop");
    // Issue 15: a plugin that stays unresolved, seen again at every restart, never started: it is no crash loop.
    Incident unresolved = Fakes.incident("plugin", "io.crashy", "io.crashy cannot resolve",
        Map.of("requirement", "osgi.wiring.package;filter:=\"(osgi.wiring.package=org.missing)\""), 5, last.minusSeconds(30),
        last);
    assertTrue(analyzer.analyze(unresolved).isEmpty(), "an unresolved plugin did not crash");
    Incident atBoot = Fakes.incident("plugin", "io.crashy", "Unable to resolve io.crashy", Map.of("bundle.unresolved", "true"),
        5, last.minusSeconds(30), last);
    assertTrue(analyzer.analyze(atBoot).isEmpty(), "nor did one found unresolved at boot, before its requirements were known");
    assertEquals(1, analyzer.analyze(Fakes.incident("plugin", "io.crashy", "io.crashy failed", Map.of(), 3,
        last.minusSeconds(30), last)).size(), "its own failures still count");
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
}
