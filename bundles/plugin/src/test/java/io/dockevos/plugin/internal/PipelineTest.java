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
    PluginManagerImpl m = new PluginManagerImpl(context);
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
}
