package io.dockevos.plugin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.api.Host;
import io.dockevos.install.Change;
import io.dockevos.install.Outcome;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.internal.plan.PlannerTest;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * The install pipeline end to end inside the plugin manager, against a real Felix framework: a plan
 * applied as one transaction, a failure undone, and a journal left by a kill read back.
 */
class PipelineTest {
  @TempDir
  Path home;
  Felix felix;
  BundleContext context;
  PluginManagerImpl manager;

  @BeforeEach
  void start() throws Exception {
    felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, home.resolve("data/cache").toString(),
        Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
        Host.HOME_PROPERTY, home.toString(), Host.DATA_PROPERTY, home.resolve("data").toString()));
    felix.start();
    context = felix.getBundleContext();
    manager = manager();
  }

  PluginManagerImpl manager() throws Exception {
    PluginManagerImpl m = new PluginManagerImpl(context, TrustPolicyTest.trust(context, "unsigned"));
    m.catalog = new PlannerTest.JarCatalog();
    return m;
  }

  @AfterEach
  void stop() throws Exception {
    felix.stop();
    felix.waitForStop(10_000);
  }

  List<String> installed() {
    return Stream.of(context.getBundles()).filter(b -> b.getBundleId() != 0)
        .map(b -> b.getSymbolicName() + " " + b.getVersion() + " " + b.getState()).toList();
  }

  String registry() throws Exception {
    Path file = home.resolve("data/plugins/registry.json");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  @Test
  void aPlanIsAppliedAsOneTransactionAndRecordedOnce() throws Exception {
    Outcome o = manager.execute(Change.install("test", List.of(PlannerTest.DATABIND.toString())));
    assertEquals(3, o.bundles().size());
    assertEquals(3, installed().size(), installed()::toString);
    assertTrue(installed().stream().allMatch(s -> s.endsWith(" " + Bundle.ACTIVE)), installed()::toString);
    String registry = registry();
    assertTrue(registry.contains("dockevos:plugin:com.fasterxml.jackson.core.jackson-core/"), registry);
    assertTrue(registry.contains("dockevos:plugin:com.fasterxml.jackson.core.jackson-databind/2.17.2"), registry);
    assertFalse(Files.exists(home.resolve("data/plugins/journal.json")), "the journal is gone once the plan is done");
  }

  @Test
  void aStartThatFailsUndoesTheWholePlan() throws Exception {
    Path broken = home.resolve("broken.jar");
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
    a.putValue(Constants.BUNDLE_SYMBOLICNAME, "test.broken");
    a.putValue(Constants.BUNDLE_VERSION, "1.0.0");
    a.putValue(Constants.BUNDLE_ACTIVATOR, "test.broken.NoSuchActivator");
    a.putValue(Constants.IMPORT_PACKAGE, "com.fasterxml.jackson.core;version=\"[2.17,3)\"");
    try (OutputStream out = Files.newOutputStream(broken); JarOutputStream jar = new JarOutputStream(out, mf)) {
      // a manifest and nothing else
    }
    // Data that an uninstall with --keep-data kept for test.broken: the failed plan must not lose it.
    Path kept = Files.createDirectories(home.resolve("data/plugins/kept/test.broken"));
    Files.writeString(kept.resolve("state.txt"), "kept");
    PluginException e = assertThrows(PluginException.class,
        () -> manager.execute(Change.install("test", List.of(broken.toString()))));
    assertEquals("kept", Files.readString(kept.resolve("state.txt")), "the kept data is kept again");
    assertTrue(e.getMessage().contains("test.broken 1.0.0"), e.getMessage());
    assertTrue(e.getMessage().contains("Everything was put back as it was"), e.getMessage());
    assertEquals(List.of(), installed(), "jackson-core, which the plan added for it, is gone too");
    assertFalse(registry().contains("jackson"), registry());
    assertFalse(Files.exists(home.resolve("data/plugins/journal.json")));
  }

  @Test
  void aPlanCutShortByAKillIsUndoneAtTheNextStart() throws Exception {
    // What a kill in the middle of applying leaves: bundles installed, the journal saying APPLYING.
    Path core = PlannerTest.JACKSON.resolve("jackson-core/2.17.2/jackson-core-2.17.2.jar");
    String location = PluginManagerImpl.LOCATION_PREFIX + "com.fasterxml.jackson.core.jackson-core/2.17.2";
    try (var in = Files.newInputStream(core)) {
      context.installBundle(location, in);
    }
    new Journal(home.resolve("data/plugins/journal.json")).write(new Journal.Entry("plugin:install", core.toString(),
        Journal.State.APPLYING, List.of(location, PluginManagerImpl.LOCATION_PREFIX + "not.installed.yet/1.0.0"),
        Map.of()));
    manager();
    assertEquals(List.of(), installed());
    assertFalse(Files.exists(home.resolve("data/plugins/journal.json")));
  }

  @Test
  void aPlanCutShortWhileCommittingIsCompletedAtTheNextStart() throws Exception {
    Path core = PlannerTest.JACKSON.resolve("jackson-core/2.17.2/jackson-core-2.17.2.jar");
    String location = PluginManagerImpl.LOCATION_PREFIX + "com.fasterxml.jackson.core.jackson-core/2.17.2";
    try (var in = Files.newInputStream(core)) {
      context.installBundle(location, in).start();
    }
    new Journal(home.resolve("data/plugins/journal.json")).write(new Journal.Entry("plugin:install", core.toString(),
        Journal.State.COMMITTING, List.of(location), Map.of(location, core.toString())));
    manager();
    assertEquals(1, installed().size(), installed()::toString);
    assertTrue(registry().contains(location), registry());
    assertFalse(Files.exists(home.resolve("data/plugins/journal.json")));
  }

  static final String CORE = "com.fasterxml.jackson.core.jackson-core";
  static final String DATABIND = "com.fasterxml.jackson.core.jackson-databind";

  /** A bundle of a manifest only. */
  Path bundle(String name, String version, String... headers) throws Exception {
    Path file = home.resolve(name + "-" + version + ".jar");
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
    a.putValue(Constants.BUNDLE_SYMBOLICNAME, name);
    a.putValue(Constants.BUNDLE_VERSION, version);
    for (int i = 0; i < headers.length; i += 2) {
      a.putValue(headers[i], headers[i + 1]);
    }
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, mf)) {
      // a manifest and nothing else
    }
    return file;
  }

  Bundle bundle(String name) {
    return Stream.of(context.getBundles()).filter(b -> name.equals(b.getSymbolicName())).findFirst().orElse(null);
  }

  Change change(Change.Item item, Change.Scope scope, Change.Option... options) {
    return new Change(List.of(item), scope, java.util.Set.of(options), "test");
  }

  @Test
  void anUpdateIsAPlanThatRefreshesWhatIsWiredToIt() throws Exception {
    manager.execute(Change.install("test", List.of(
        PlannerTest.JACKSON.resolve("jackson-core/2.17.2/jackson-core-2.17.2.jar").toString(),
        PlannerTest.DATABIND.toString())));
    Path newer = PlannerTest.JACKSON.resolve("jackson-core/2.18.2/jackson-core-2.18.2.jar");
    io.dockevos.install.Plan plan = manager.plan(change(Change.Item.update(CORE, newer.toString()),
        Change.Scope.REPOSITORIES));
    assertEquals(List.of(new io.dockevos.install.Plan.Step(Change.Op.UPDATE, CORE, "2.18.2", newer.toString(),
        "named; replaces 2.17.2")), plan.steps());
    assertEquals(List.of(DATABIND + " 2.17.2"), plan.refresh());
    assertTrue(plan.startOrder().containsAll(List.of(CORE + " 2.18.2", DATABIND + " 2.17.2")), plan::toString);
    assertEquals("2.17.2", bundle(CORE).getVersion().toString(), "a plan changes nothing");

    manager.apply(plan);
    assertEquals("2.18.2", bundle(CORE).getVersion().toString());
    assertEquals(Bundle.ACTIVE, bundle(CORE).getState());
    assertEquals(Bundle.ACTIVE, bundle(DATABIND).getState());
    assertEquals(bundle(CORE), bundle(DATABIND).adapt(org.osgi.framework.wiring.BundleWiring.class)
        .getRequiredWires("osgi.wiring.package").stream().filter(w -> w.getCapability().getAttributes()
        .get("osgi.wiring.package").equals("com.fasterxml.jackson.core")).findFirst().orElseThrow().getProvider()
        .getBundle(), "databind was refreshed onto the new jackson-core");
    assertTrue(registry().contains(newer.toString()), "the registry records the new source: " + registry());
    assertEquals(List.of(), listTxn(), "nothing is left of what going back needed");
  }

  List<String> listTxn() throws Exception {
    Path txn = home.resolve("data/plugins/txn");
    if (!Files.isDirectory(txn)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(txn)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void anUpdateThatWouldBreakAPluginWiredToItIsRefusedNamingIt() throws Exception {
    manager.execute(Change.install("test", List.of(PlannerTest.DATABIND.toString())));
    Path empty = bundle(CORE, "3.0.0");
    io.dockevos.install.PlanException e = assertThrows(io.dockevos.install.PlanException.class,
        () -> manager.update(CORE, empty.toString()));
    assertTrue(e.getMessage().startsWith("Cannot update " + CORE + "/2.18.2 from " + empty
        + ": no plan fits. Nothing was changed."), e.getMessage());
    assertTrue(e.getMessage().contains("only what the change takes away provides them"), e.getMessage());
    assertTrue(e.getMessage().contains(DATABIND + " 2.17.2 requires package com.fasterxml.jackson.core"),
        e.getMessage());
    assertEquals("2.18.2", bundle(CORE).getVersion().toString(), "the highest version was installed, and still is");
    assertEquals(Bundle.ACTIVE, bundle(DATABIND).getState());
  }

  @Test
  void anUninstallThatOthersNeedIsRefusedUnlessItMayGoAhead() throws Exception {
    manager.execute(Change.install("test", List.of(PlannerTest.DATABIND.toString())));
    io.dockevos.install.PlanException e = assertThrows(io.dockevos.install.PlanException.class,
        () -> manager.plan(change(Change.Item.uninstall(CORE), Change.Scope.GIVEN)));
    assertTrue(e.getMessage().startsWith("Cannot uninstall " + CORE + ": other plugins need what it provides."),
        e.getMessage());
    assertTrue(e.getMessage().contains(DATABIND + " 2.17.2 requires package com.fasterxml.jackson.core"),
        e.getMessage());
    assertTrue(e.getMessage().contains("--force"), e.getMessage());

    io.dockevos.install.Plan plan = manager.plan(change(Change.Item.uninstall(CORE), Change.Scope.GIVEN,
        Change.Option.PARTIAL));
    assertEquals(List.of(Change.Op.UNINSTALL), plan.steps().stream().map(io.dockevos.install.Plan.Step::op).toList());
    assertEquals(List.of(DATABIND + " 2.17.2"), plan.stopped().stream().map(io.dockevos.install.Plan.Stopped::identity)
        .toList());
    manager.apply(plan);
    assertEquals(null, bundle(CORE));
    assertEquals(Bundle.INSTALLED, bundle(DATABIND).getState(), "refreshed, and unresolved without jackson-core");
    assertFalse(registry().contains(CORE + "/"), registry());
  }

  @Test
  void anUpdateWhoseStartFailsIsRolledBackToTheVersionThatRan() throws Exception {
    Path good = bundle("test.x", "1.0.0");
    manager.execute(Change.install("test", List.of(good.toString())));
    Bundle x = bundle("test.x");
    Files.createDirectories(manager.dataArea(x));
    Files.writeString(manager.dataArea(x).resolve("state.txt"), "mine");
    Path broken = bundle("test.x", "2.0.0", Constants.BUNDLE_ACTIVATOR, "test.x.NoSuchActivator");
    PluginException e = assertThrows(PluginException.class, () -> manager.update("test.x", broken.toString()));
    assertTrue(e.getMessage().startsWith("Cannot update test.x/1.0.0 from " + broken + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("Everything was put back as it was"), e.getMessage());
    assertEquals("1.0.0", bundle("test.x").getVersion().toString());
    assertEquals(Bundle.ACTIVE, bundle("test.x").getState());
    assertEquals("mine", Files.readString(manager.dataArea(bundle("test.x")).resolve("state.txt")));
    // A source inside the home is stored relative to it.
    assertTrue(registry().contains("\"" + home.relativize(good) + "\""), registry());
    assertEquals(List.of(), listTxn());
  }

  @Test
  void anUninstallKeepsTheDataOnlyWhenAskedTo() throws Exception {
    manager.execute(Change.install("test", List.of(bundle("test.x", "1.0.0").toString(),
        bundle("test.y", "1.0.0").toString())));
    for (String name : List.of("test.x", "test.y")) {
      Path area = Files.createDirectories(manager.dataArea(bundle(name)));
      Files.writeString(area.resolve("state.txt"), name);
    }
    manager.uninstall("test.x", true);
    manager.uninstall("test.y", false);
    assertEquals(List.of(), installed());
    assertEquals("test.x", Files.readString(home.resolve("data/plugins/kept/test.x/state.txt")));
    assertFalse(Files.exists(home.resolve("data/plugins/kept/test.y")));
    assertFalse(registry().contains("test.x"), registry());
  }

  @Test
  void anUninstallCutShortByAKillIsUndoneAtTheNextStart() throws Exception {
    Path jar = bundle("test.x", "1.0.0");
    manager.execute(Change.install("test", List.of(jar.toString())));
    Bundle x = bundle("test.x");
    String location = x.getLocation();
    Path area = Files.createDirectories(manager.dataArea(x));
    Files.writeString(area.resolve("state.txt"), "mine");
    // What a kill in the middle of the uninstall leaves: the bundle gone, its data and jar in txn/, the journal APPLYING.
    Path txn = Files.createDirectories(home.resolve("data/plugins/txn"));
    Files.copy(manager.storeFile(x), txn.resolve(x.getBundleId() + "-previous.jar"));
    Files.move(area, txn.resolve(x.getBundleId() + "-data"));
    new Journal(home.resolve("data/plugins/journal.json")).write(new Journal.Entry("plugin:uninstall", "test.x",
        Journal.State.APPLYING, List.of(), Map.of(), List.of(new Journal.Replaced(true, location, "test.x",
        txn.resolve(x.getBundleId() + "-previous.jar").toString(), null, jar.toString(), 1, true,
        txn.resolve(x.getBundleId() + "-data").toString(), false, List.of()))));
    x.uninstall();
    manager = manager();
    Bundle back = bundle("test.x");
    assertEquals(location, back.getLocation());
    assertEquals(Bundle.ACTIVE, back.getState(), "it ran, so it runs again");
    assertEquals("mine", Files.readString(manager.dataArea(back).resolve("state.txt")));
    assertTrue(registry().contains(location), registry());
    assertFalse(Files.exists(home.resolve("data/plugins/journal.json")));
    assertEquals(List.of(), listTxn());
  }

  @Test
  void anUpdateCutShortByAKillIsUndoneAtTheNextStart() throws Exception {
    Path jar = bundle("test.x", "1.0.0");
    manager.execute(Change.install("test", List.of(jar.toString())));
    Bundle x = bundle("test.x");
    Path txn = Files.createDirectories(home.resolve("data/plugins/txn"));
    Path previous = Files.copy(manager.storeFile(x), txn.resolve(x.getBundleId() + "-previous.jar"));
    Path newer = bundle("test.x", "2.0.0");
    new Journal(home.resolve("data/plugins/journal.json")).write(new Journal.Entry("plugin:update", "test.x",
        Journal.State.APPLYING, List.of(), Map.of(), List.of(new Journal.Replaced(false, x.getLocation(), "test.x",
        previous.toString(), newer.toString(), newer.toString(), 1, true, null, false, List.of()))));
    try (var in = Files.newInputStream(newer)) {
      x.update(in);
    }
    manager = manager();
    assertEquals("1.0.0", bundle("test.x").getVersion().toString());
    assertEquals(Bundle.ACTIVE, bundle("test.x").getState());
    assertTrue(registry().contains("\"" + home.relativize(jar) + "\""), registry());
    assertFalse(registry().contains(home.relativize(newer).toString()), registry());
  }
}
