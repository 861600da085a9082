package io.dockevos.plugin.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.osgi.resource.ResourceUtils;
import io.dockevos.install.Change;
import io.dockevos.install.DependencyVersions;
import io.dockevos.install.Plan;
import io.dockevos.install.PlanException;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Provider;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

/** The planner against a real Felix framework and real jackson jars in a Maven layout. */
public class PlannerTest {
  static final Path REPO = Path.of(System.getProperty("dockevos.test.repo", "target/test-repo"));
  public static final Path JACKSON = REPO.resolve("com/fasterxml/jackson/core");
  public static final Path DATABIND = JACKSON.resolve("jackson-databind/2.17.2/jackson-databind-2.17.2.jar");

  @TempDir
  Path storage;
  Felix felix;
  BundleContext context;

  @BeforeEach
  void start() throws Exception {
    felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(), Constants.FRAMEWORK_STORAGE_CLEAN,
        Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
    felix.start();
    context = felix.getBundleContext();
  }

  @AfterEach
  void stop() throws Exception {
    felix.stop();
    felix.waitForStop(10_000);
  }

  /** Every jar of the test repository, read as bnd reads it: the repository that plans draw on here. */
  public static final class JarCatalog implements Catalog {
    final Map<Resource, Path> jars = new LinkedHashMap<>();

    public JarCatalog() throws Exception {
      this(REPO);
    }

    JarCatalog(Path root) throws Exception {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
          jars.put(Planner.resource(jar, null, jar.toString()), jar);
        }
      }
    }

    @Override
    public List<Capability> findProviders(Requirement requirement) {
      List<Capability> result = new ArrayList<>();
      for (Resource r : jars.keySet()) {
        for (Capability c : r.getCapabilities(requirement.getNamespace())) {
          if (ResourceUtils.matches(requirement, c)) {
            result.add(c);
          }
        }
      }
      return result;
    }

    @Override
    public String source(Resource resource) {
      return jars.get(resource).toString();
    }

    @Override
    public Optional<Path> pom(Resource resource) {
      Path jar = jars.get(resource);
      return Optional.of(jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".pom")));
    }

    @Override
    public Provider provider(Resource resource) {
      return new Provider(Provider.Kind.MAVEN, ResourceUtils.getIdentity(resource),
          PlanContext.version(resource).toString(), jars.get(resource).toString(), jars.get(resource).toString());
    }
  }

  Planner planner(Catalog catalog, DependencyVersions versions) {
    return new Planner(context, () -> catalog, () -> versions, new Planner.Host() {
      @Override
      public Planner.Fetched fetch(String source) {
        return new Planner.Fetched(Path.of(source), () -> { });
      }

      @Override
      public java.util.jar.Manifest check(Path jar, String source) {
        return null; // the planner reads the manifest itself
      }

      @Override
      public org.osgi.framework.Bundle changeable(String ref, String verb) throws io.dockevos.plugin.PluginException {
        for (org.osgi.framework.Bundle b : context.getBundles()) {
          if (b.getBundleId() != 0 && (ref.equals(String.valueOf(b.getBundleId())) || ref.equals(b.getSymbolicName()))) {
            return b;
          }
        }
        throw new io.dockevos.plugin.PluginException("No plugin " + ref);
      }

      @Override
      public String recordedSource(org.osgi.framework.Bundle bundle) {
        return bundle.getLocation();
      }
    });
  }

  /** What jackson-databind 2.17.2's POM declares, as Maven's model builder (bundles/maven) reads it. */
  static final DependencyVersions DATABIND_POM = pom -> pom.getFileName().toString().startsWith("dockevos-pom-")
      || pom.getFileName().toString().equals("jackson-databind-2.17.2.pom")
      ? Map.of("com.fasterxml.jackson.core:jackson-core", "2.17.2",
          "com.fasterxml.jackson.core:jackson-annotations", "2.17.2") : Map.of();

  static Change install(Change.Scope scope, Path... jars) {
    return new Change(Stream.of(jars).map(j -> Change.Item.install(j.toString())).toList(), scope,
        java.util.Set.of(), "test");
  }

  static List<String> identities(Plan plan) {
    return plan.steps().stream().map(Plan.Step::identity).toList();
  }

  /** The assistant's fix for a bundle that does not resolve: START plans what it needs, its own POM read from the bundle. */
  @Test
  void anInstalledBundleThatDoesNotResolveIsStartedWithWhatItsPomDeclares() throws Exception {
    org.osgi.framework.Bundle databind;
    try (InputStream in = Files.newInputStream(DATABIND)) {
      databind = context.installBundle("file:" + DATABIND, in);
    }
    assertEquals(org.osgi.framework.Bundle.INSTALLED, databind.getState());
    Change start = new Change(List.of(Change.Item.start(String.valueOf(databind.getBundleId()))),
        Change.Scope.REPOSITORIES, java.util.Set.of(), "assist:fix");

    Prepared p = planner(new JarCatalog(), DATABIND_POM).plan(start);

    assertEquals(List.of("com.fasterxml.jackson.core.jackson-annotations 2.17.2",
        "com.fasterxml.jackson.core.jackson-core 2.17.2"), identities(p.plan()).stream().sorted().toList(),
        "what it lacks, in the versions its POM declares; it is installed, not a step");
    assertEquals("com.fasterxml.jackson.core.jackson-databind 2.17.2",
        p.plan().startOrder().get(p.plan().startOrder().size() - 1), "started after its providers");

    PlanException none = assertThrows(PlanException.class, () -> planner(Catalog.EMPTY, DATABIND_POM).plan(start));
    assertTrue(none.getMessage().startsWith("Cannot start " + databind.getBundleId() + ": "), none.getMessage());
    assertTrue(none.unsatisfied().stream().anyMatch(m -> m.filter().contains("com.fasterxml.jackson.core")),
        none.unsatisfied()::toString);
    assertThrows(io.dockevos.plugin.PluginException.class, () -> planner(Catalog.EMPTY, DATABIND_POM)
        .plan(new Change(List.of(Change.Item.start("no.such.plugin")), Change.Scope.REPOSITORIES, java.util.Set.of(), "t")));
  }

  @Test
  void aJarAloneIsPlannedWithItsWholeClosureInTheVersionsItsPomDeclares() throws Exception {
    Prepared p = planner(new JarCatalog(), DATABIND_POM).plan(install(Change.Scope.REPOSITORIES, DATABIND));
    List<String> steps = identities(p.plan());
    assertEquals(3, steps.size(), steps::toString);
    assertTrue(steps.contains("com.fasterxml.jackson.core.jackson-core 2.17.2"), steps::toString);
    assertTrue(steps.contains("com.fasterxml.jackson.core.jackson-annotations 2.17.2"), steps::toString);
    // Providers before the bundle that needs them, and it is started last.
    assertEquals("com.fasterxml.jackson.core.jackson-databind 2.17.2", steps.get(2));
    assertEquals("com.fasterxml.jackson.core.jackson-databind 2.17.2", p.plan().startOrder().get(2));
    Plan.Step core = p.plan().steps().stream().filter(s -> s.symbolicName().endsWith("jackson-core")).findFirst()
        .orElseThrow();
    assertTrue(core.reason().contains("needed by com.fasterxml.jackson.core.jackson-databind 2.17.2"), core.reason());
    assertTrue(core.reason().contains("the version its POM declares"), core.reason());
    assertEquals(JACKSON.resolve("jackson-core/2.17.2/jackson-core-2.17.2.jar").toString(), core.source());
  }

  @Test
  void withoutAPomTheHighestVersionInRangeIsChosenAndSaysSo() throws Exception {
    Prepared p = planner(new JarCatalog(), pom -> Map.of()).plan(install(Change.Scope.REPOSITORIES, DATABIND));
    List<String> steps = identities(p.plan());
    assertTrue(steps.contains("com.fasterxml.jackson.core.jackson-core 2.18.2"), steps::toString);
    assertTrue(p.plan().steps().get(0).reason().contains("the highest version in range"), p.plan().steps().toString());
  }

  @Test
  void anInstalledProviderIsPreferredAndNotInstalledAgain() throws Exception {
    try (InputStream in = Files.newInputStream(JACKSON.resolve("jackson-annotations/2.18.2/jackson-annotations-2.18.2.jar"))) {
      context.installBundle("test:annotations", in);
    }
    Prepared p = planner(new JarCatalog(), DATABIND_POM).plan(install(Change.Scope.REPOSITORIES, DATABIND));
    List<String> steps = identities(p.plan());
    assertEquals(List.of("com.fasterxml.jackson.core.jackson-core 2.17.2",
        "com.fasterxml.jackson.core.jackson-databind 2.17.2"), steps);
    // The installed provider was waiting to be resolved: the plan starts it too.
    assertTrue(p.plan().startOrder().contains("com.fasterxml.jackson.core.jackson-annotations 2.18.2"),
        p.plan().startOrder()::toString);
  }

  @Test
  void planningChangesNothing() throws Exception {
    int before = context.getBundles().length;
    planner(new JarCatalog(), DATABIND_POM).plan(install(Change.Scope.REPOSITORIES, DATABIND));
    assertEquals(before, context.getBundles().length);
  }

  @Test
  void withTheRepositoryOutOfScopeEachMissingProviderIsNamedOnceWithItsPackagesOnOneLine() throws Exception {
    PlanException e = assertThrows(PlanException.class,
        () -> planner(new JarCatalog(), DATABIND_POM).plan(install(Change.Scope.GIVEN, DATABIND)));
    // Ten packages are missing, as values, each with its filter and its candidates...
    List<MissingRequirement> missing = e.unsatisfied();
    assertEquals(10, missing.size(), missing::toString);
    MissingRequirement core = missing.stream().filter(m -> m.filter().contains("(osgi.wiring.package=com.fasterxml"
        + ".jackson.core)")).findFirst().orElseThrow();
    assertEquals("osgi.wiring.package", core.namespace());
    assertEquals(List.of("com.fasterxml.jackson.core.jackson-databind 2.17.2"), core.chain());
    assertEquals(2, core.candidates().size(), core.candidates()::toString);
    // ...but the message has one line per missing provider, not one per package.
    List<String> lines = e.getMessage().lines().filter(l -> l.startsWith("  - ")).toList();
    assertEquals(2, lines.size(), e.getMessage());
    assertTrue(lines.stream().anyMatch(l -> l.contains("jackson-core 2.17.2")), e.getMessage());
    assertTrue(lines.stream().anyMatch(l -> l.contains("jackson-annotations 2.17.2")), e.getMessage());
    assertTrue(e.getMessage().contains("without --no-deps"), e.getMessage());
  }

  @Test
  void aMissingRequirementDeepInTheClosureNamesTheChainThatLeadsToIt() throws Exception {
    // A repository with databind and core but no annotations: core resolves, annotations cannot be found.
    JarCatalog catalog = new JarCatalog();
    catalog.jars.values().removeIf(p -> p.toString().contains("jackson-annotations"));
    PlanException e = assertThrows(PlanException.class,
        () -> planner(catalog, DATABIND_POM).plan(install(Change.Scope.REPOSITORIES, DATABIND)));
    assertEquals(1, e.unsatisfied().size(), e.unsatisfied()::toString);
    assertTrue(e.unsatisfied().get(0).description().contains("com.fasterxml.jackson.annotation"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing installed or in the repositories provides it"), e.getMessage());
  }

  @Test
  void bundlesStartByTheStartLevelTheirItemsGiveThenProvidersFirst() throws Exception {
    Path core = JACKSON.resolve("jackson-core/2.17.2/jackson-core-2.17.2.jar");
    Path annotations = JACKSON.resolve("jackson-annotations/2.17.2/jackson-annotations-2.17.2.jar");
    // One level for all three: providers before the bundle that needs them, whatever the items' order.
    Change same = new Change(List.of(Change.Item.install(DATABIND.toString()).withStartLevel(3),
        Change.Item.install(core.toString()).withStartLevel(3),
        Change.Item.install(annotations.toString()).withStartLevel(3)), Change.Scope.GIVEN, java.util.Set.of(), "test");
    List<String> order = planner(new JarCatalog(), DATABIND_POM).plan(same).plan().startOrder();
    assertEquals("com.fasterxml.jackson.core.jackson-databind 2.17.2", order.get(2), order::toString);
    // Levels win over dependencies, as at boot: annotations (0: the initial level, 1), databind (2), core (5).
    Change levels = new Change(List.of(Change.Item.install(DATABIND.toString()).withStartLevel(2),
        Change.Item.install(core.toString()).withStartLevel(5), Change.Item.install(annotations.toString())),
        Change.Scope.GIVEN, java.util.Set.of(), "test");
    assertEquals(List.of("com.fasterxml.jackson.core.jackson-annotations 2.17.2",
        "com.fasterxml.jackson.core.jackson-databind 2.17.2", "com.fasterxml.jackson.core.jackson-core 2.17.2"),
        planner(new JarCatalog(), DATABIND_POM).plan(levels).plan().startOrder());
  }
  /** Independent bundles are planned, installed and started in the order the change names them; providers still go first. */
  @Test
  void namedBundlesKeepTheirOrderAfterWhatTheyNeed(@TempDir Path jars) throws Exception {
    List<Path> named = new ArrayList<>();
    for (int i = 12; i >= 1; i--) { // named from z.12 down to z.01: neither sorted nor hashed
      Path jar = jars.resolve("z." + String.format("%02d", i) + ".jar");
      java.util.jar.Manifest mf = new java.util.jar.Manifest();
      mf.getMainAttributes().putValue("Manifest-Version", "1.0");
      mf.getMainAttributes().putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
      mf.getMainAttributes().putValue(Constants.BUNDLE_SYMBOLICNAME, "z." + String.format("%02d", i));
      mf.getMainAttributes().putValue(Constants.BUNDLE_VERSION, "1.0.0");
      try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), mf)) {
        out.closeEntry();
      }
      named.add(jar);
    }
    Path core = JACKSON.resolve("jackson-core/2.17.2/jackson-core-2.17.2.jar");
    Path annotations = JACKSON.resolve("jackson-annotations/2.17.2/jackson-annotations-2.17.2.jar");
    named.add(6, DATABIND); // named before its providers
    named.add(core);
    named.add(annotations);

    Plan plan = planner(new JarCatalog(), DATABIND_POM).plan(install(Change.Scope.GIVEN, named.toArray(Path[]::new))).plan();

    List<String> expected = new ArrayList<>();
    for (int i = 12; i >= 1; i--) {
      if (i == 6) {
        expected.add("com.fasterxml.jackson.core.jackson-core 2.17.2");
        expected.add("com.fasterxml.jackson.core.jackson-annotations 2.17.2");
        expected.add("com.fasterxml.jackson.core.jackson-databind 2.17.2");
      }
      expected.add("z." + String.format("%02d", i) + " 1.0.0");
    }
    assertEquals(expected, identities(plan));
    assertEquals(expected, plan.startOrder());
  }
  private static Path bundle(Path dir, String bsn, String version, String header, String value) throws Exception {
    Path jar = dir.resolve(bsn + "-" + version + ".jar");
    java.util.jar.Manifest mf = new java.util.jar.Manifest();
    mf.getMainAttributes().putValue("Manifest-Version", "1.0");
    mf.getMainAttributes().putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
    mf.getMainAttributes().putValue(Constants.BUNDLE_SYMBOLICNAME, bsn);
    mf.getMainAttributes().putValue(Constants.BUNDLE_VERSION, version);
    mf.getMainAttributes().putValue(header, value);
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), mf)) {
      out.closeEntry();
    }
    return jar;
  }

  /** Issue 15: a missing provider found in many versions is named once, the highest, with a count and a search. */
  @Test
  void manyVersionsOfAMissingProviderAreTheBestOneAndACount(@TempDir Path dir) throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    for (String v : List.of("1.0.0", "1.3.0", "1.1.0", "1.2.0")) {
      bundle(repo, "com.example.provider", v, Constants.EXPORT_PACKAGE, "com.example.p;version=\"" + v + "\"");
    }
    Path user = bundle(dir, "com.example.user", "1.0.0", Constants.IMPORT_PACKAGE, "com.example.p");

    PlanException e = assertThrows(PlanException.class,
        () -> planner(new JarCatalog(repo), pom -> Map.of()).plan(install(Change.Scope.GIVEN, user)));

    assertTrue(e.getMessage().contains("com.example.provider 1.3.0 provides it (") && e.getMessage().contains(
        "), and 3 other versions do: plugin:search --requirement 'osgi.wiring.package;filter:=\"(osgi.wiring.package"
        + "=com.example.p)\"'"), e.getMessage());
    assertTrue(!e.getMessage().contains("1.1.0") && !e.getMessage().contains("1.0.0,"), e.getMessage());
    assertEquals(4, e.unsatisfied().get(0).candidates().size(), "the typed record keeps every candidate");
  }
}
