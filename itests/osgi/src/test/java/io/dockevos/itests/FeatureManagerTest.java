package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureEvents;
import io.dockevos.feature.FeatureException;
import io.dockevos.feature.FeatureManager;
import io.dockevos.feature.FeatureState;
import io.dockevos.test.tiny.TinyBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The FeatureManager service in a real framework: its events, its progress, and what a failure leaves. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class FeatureManagerTest {
  private static final String GOOD = "io.dockevos.test.good";

  @InjectBundleContext
  BundleContext context;

  @InjectService
  FeatureManager features;

  @InjectService
  ConfigurationAdmin configAdmin;

  @TempDir
  Path dir;

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private ServiceRegistration<EventHandler> handler;

  @BeforeEach
  void listenAndWriteTheRepository() throws Exception {
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(EventConstants.EVENT_TOPIC, FeatureEvents.ALL);
    handler = context.registerService(EventHandler.class, events::add, props);
    Path system = Path.of(context.getProperty("dockevos.home"), "system");
    for (String[] jar : new String[][] {{"good", TinyBundles.GOOD_1}, {"throws", TinyBundles.THROWS}}) {
      Path target = Files.createDirectories(system.resolve("io/dockevos/test/" + jar[0] + "/1.0.0"));
      Files.copy(TinyBundles.copyTo(jar[1], dir), target.resolve(jar[0] + "-1.0.0.jar"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    handler.unregister();
    for (Feature f : features.installed()) {
      if (f.state() != FeatureState.BOOT) {
        features.uninstall(f.id());
      }
    }
  }

  private Path feature(String name, String bundles, String configurations) throws Exception {
    return Files.writeString(dir.resolve(name + ".json"), "{ \"id\": \"io.dockevos.itest:" + name + ":1.0.0\","
        + " \"bundles\": [ " + bundles + " ], \"configurations\": { " + configurations + " } }");
  }

  private Event awaitEvent(String topic, String name) throws Exception {
    return Await.until(() -> events.stream().filter(e -> e.getTopic().equals(topic)
        && name.equals(e.getProperty(FeatureEvents.FEATURE_NAME))).findFirst().orElse(null), e -> e != null,
        topic + " for " + name + " (seen: " + events.stream().map(Event::getTopic).toList() + ")");
  }

  private Bundle bundle(String symbolicName) {
    for (Bundle b : context.getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return b;
      }
    }
    return null;
  }

  @Test
  void anInstallFromARepositoryReportsItsProgressAndPublishesInstalledThenUninstalled() throws Exception {
    Path file = feature("itest-good", "{ \"id\": \"io.dockevos.test:good:1.0.0\", \"start-order\": 1 }",
        "\"io.dockevos.itest.good\": { \"size:Integer\": 3 }");
    assertEquals(List.of("io.dockevos.itest:itest-good:1.0.0"), features.addRepository(file.toString()).features());
    assertTrue(features.available().stream().anyMatch(f -> f.name().equals("itest-good")
        && f.state() == FeatureState.AVAILABLE));

    List<String> steps = new CopyOnWriteArrayList<>();
    Feature f = features.install("itest-good", (step, of, message) -> steps.add(step + "/" + of + " " + message));
    assertEquals(FeatureState.INSTALLED, f.state());
    assertEquals(List.of("1/1 installing bundle 1/1: " + GOOD + " 1.0.0 (io.dockevos.test:good:1.0.0)",
        "1/1 starting bundle 1/1: " + GOOD + " 1.0.0 (io.dockevos.test:good:1.0.0)"), steps);
    assertEquals(Bundle.ACTIVE, bundle(GOOD).getState());
    Configuration[] configs = configAdmin.listConfigurations("(service.pid=io.dockevos.itest.good)");
    assertEquals(3, configs[0].getProperties().get("size"));

    Event installed = awaitEvent(FeatureEvents.INSTALLED, "itest-good");
    assertEquals("io.dockevos.itest:itest-good:1.0.0", installed.getProperty(FeatureEvents.FEATURE_ID));

    features.uninstall("itest-good");
    awaitEvent(FeatureEvents.UNINSTALLED, "itest-good");
    assertEquals(null, bundle(GOOD), "the bundle it installed is gone");
    assertEquals(null, configAdmin.listConfigurations("(service.pid=io.dockevos.itest.good)"), "and its configuration");
    features.removeRepository(file.toString());
    assertTrue(features.repositories().isEmpty());
  }

  /**
   * A configuration the install creates is in the record of the install under way before Configuration
   * Admin has it: a kill between the two would leave a configuration that the next start's undo does
   * not know (seen once in 200 kills of CrashConsistencyIT). A synchronous listener reads the record at
   * the moment of the update.
   */
  @Test
  void aConfigurationIsJournaledBeforeItIsCreated() throws Exception {
    Path registry = Path.of(context.getProperty("dockevos.data"), "features", "registry.json");
    List<String> seen;
    try (FileAtUpdate journal = new FileAtUpdate(context, "io.dockevos.itest.journaled", registry)) {
      Path file = feature("itest-journaled", "{ \"id\": \"io.dockevos.test:good:1.0.0\" }",
          "\"io.dockevos.itest.journaled\": { \"a\": \"b\" }");
      features.install(file.toString());
      seen = journal.seen();
    }
    assertEquals(1, seen.size(), () -> "one update of the configuration: " + seen);
    String record = seen.get(0);
    int pending = record.indexOf("\"pending\"");
    assertTrue(pending >= 0 && record.indexOf("io.dockevos.itest.journaled", pending) > pending,
        () -> "the record of the install under way names the configuration as it is created:\n" + record);
  }

  @Test
  void aFailedInstallPublishesFailedWithTheReasonAndLeavesNothing() throws Exception {
    Path file = feature("itest-throws", "{ \"id\": \"io.dockevos.test:good:1.0.0\" },"
        + " { \"id\": \"io.dockevos.test:throws:1.0.0\" }", "\"io.dockevos.itest.throws\": { \"a\": \"b\" }");
    FeatureException e = assertThrows(FeatureException.class, () -> features.install(file.toString()));
    assertTrue(e.getMessage().contains("tiny bundle refuses to start"), e.getMessage());
    Event failed = awaitEvent(FeatureEvents.FAILED, "itest-throws");
    assertEquals(e.getMessage(), failed.getProperty(FeatureEvents.REASON));
    assertEquals(null, bundle(GOOD));
    assertEquals(null, bundle("io.dockevos.test.throws"));
    assertEquals(null, configAdmin.listConfigurations("(service.pid=io.dockevos.itest.throws)"));
    assertEquals(List.of(), Frameworks.notActive(context), "no other bundle changed state");
    assertFalse(events.stream().anyMatch(ev -> ev.getTopic().equals(FeatureEvents.INSTALLED)));
  }
}
