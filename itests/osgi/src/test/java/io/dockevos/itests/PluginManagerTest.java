package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.plugin.Diagnosis;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginEvents;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginManager.InstallOption;
import io.dockevos.plugin.PluginState;
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
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The PluginManager service in a real framework: its events, its states and what a failure leaves. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class PluginManagerTest {
  @InjectBundleContext
  BundleContext context;

  @InjectService
  PluginManager plugins;

  @TempDir
  Path dir;

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private ServiceRegistration<EventHandler> handler;

  @BeforeEach
  void listen() {
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(EventConstants.EVENT_TOPIC, PluginEvents.ALL);
    handler = context.registerService(EventHandler.class, events::add, props);
  }

  @AfterEach
  void cleanUp() throws Exception {
    handler.unregister();
    for (Plugin p : plugins.list()) {
      if (p.symbolicName().startsWith("io.dockevos.test.")) {
        plugins.uninstall(String.valueOf(p.id()), false);
      }
    }
  }

  private String jar(String name) {
    return TinyBundles.copyTo(name, dir).toString();
  }

  private Event awaitEvent(String topic, String pluginId) throws Exception {
    return Await.until(() -> events.stream().filter(e -> e.getTopic().equals(topic)
        && pluginId.equals(e.getProperty(PluginEvents.PLUGIN_ID))).findFirst().orElse(null), e -> e != null,
        topic + " for " + pluginId + " (seen: " + events.stream().map(Event::getTopic).toList() + ")");
  }

  /**
   * A configuration an archive's plan creates is in the install journal before Configuration Admin has
   * it: a kill between the two would leave a configuration that undoing the plan at the next start
   * does not know. A synchronous listener reads the journal at the moment of the update.
   */
  @Test
  void anArchivesNewConfigurationIsJournaledBeforeItIsCreated() throws Exception {
    Path archive = dir.resolve("good-with-config.zip");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(archive))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("good.jar"));
      try (java.io.InputStream in = TinyBundles.open(TinyBundles.GOOD_1)) {
        in.transferTo(zip);
      }
      zip.putNextEntry(new java.util.zip.ZipEntry("io.dockevos.test.good.journaled.cfg"));
      zip.write("a = b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Path journal = Path.of(context.getProperty("dockevos.data"), "plugins", "journal.json");
    List<String> seen;
    try (FileAtUpdate atUpdate = new FileAtUpdate(context, "io.dockevos.test.good.journaled", journal)) {
      plugins.install(archive.toString());
      seen = atUpdate.seen();
    }
    assertEquals(1, seen.size(), () -> "one update of the configuration: " + seen);
    String record = seen.get(0);
    int configurations = record.indexOf("\"configurations\"");
    assertTrue(configurations >= 0 && record.indexOf("io.dockevos.test.good.journaled", configurations) > configurations,
        () -> "the install journal names the configuration as it is created:\n" + record);
    org.osgi.service.cm.ConfigurationAdmin ca = context.getService(context.getServiceReference(
        org.osgi.service.cm.ConfigurationAdmin.class));
    for (org.osgi.service.cm.Configuration c : ca.listConfigurations("(service.pid=io.dockevos.test.good.journaled)")) {
      c.delete();
    }
  }

  @Test
  void everyLifecycleStepIsPublishedWithThePluginIdAndVersion() throws Exception {
    Plugin p = plugins.install(jar(TinyBundles.GOOD_1));
    assertEquals(PluginState.ACTIVE, p.state());
    String id = String.valueOf(p.id());
    plugins.disable(id);
    plugins.enable(id);
    plugins.update(id, jar(TinyBundles.GOOD_2));
    plugins.uninstall(id, false);

    String bsn = "io.dockevos.test.good";
    for (String topic : List.of(PluginEvents.INSTALLED, PluginEvents.RESOLVED, PluginEvents.STARTED,
        PluginEvents.STOPPED, PluginEvents.DISABLED, PluginEvents.ENABLED, PluginEvents.UPDATED,
        PluginEvents.UNINSTALLED)) {
      Event e = awaitEvent(topic, bsn);
      assertTrue(e.getProperty(PluginEvents.PLUGIN_VERSION) instanceof String, topic + " carries plugin.version");
    }
    assertEquals("1.0.0", awaitEvent(PluginEvents.INSTALLED, bsn).getProperty(PluginEvents.PLUGIN_VERSION));
  }

  @Test
  void aThrowingActivatorPublishesFailedWithTheReasonAndLeavesNothingInstalled() throws Exception {
    PluginException e = assertThrows(PluginException.class, () -> plugins.install(jar(TinyBundles.THROWS)));
    assertTrue(e.getMessage().contains("tiny bundle refuses to start"), e.getMessage());
    Event failed = awaitEvent(PluginEvents.FAILED, "io.dockevos.test.throws");
    assertTrue(String.valueOf(failed.getProperty(PluginEvents.REASON)).contains("tiny bundle refuses to start"));
    for (Bundle b : context.getBundles()) {
      assertFalse("io.dockevos.test.throws".equals(b.getSymbolicName()), "nothing stays installed");
    }
    assertEquals(List.of(), Frameworks.notActive(context), "no other bundle changed state");
  }

  @Test
  void aForcedPluginThatThrowsIsFailedWithItsReasonUntilItStarts() throws Exception {
    Plugin p = plugins.install(jar(TinyBundles.THROWS), InstallOption.NO_START);
    assertEquals(PluginState.RESOLVED, p.state());
    assertThrows(PluginException.class, () -> plugins.start(String.valueOf(p.id())));
    Plugin failed = plugins.find(String.valueOf(p.id())).orElseThrow();
    assertEquals(PluginState.FAILED, failed.state());
    assertTrue(failed.reason().contains("its activator threw java.lang.IllegalStateException"), failed.reason());
    Diagnosis d = plugins.diagnose(String.valueOf(p.id()));
    assertFalse(d.healthy());
    assertTrue(d.problems().get(0).contains("tiny bundle refuses to start"), d.problems().toString());
  }

  @Test
  void missingRequirementsAreStructuredWithTheRequiringBundle() throws Exception {
    PluginException e = assertThrows(PluginException.class, () -> plugins.install(jar(TinyBundles.NEEDS_MISSING)));
    assertEquals(1, e.missing().size(), e.missing().toString());
    assertEquals("osgi.wiring.package", e.missing().get(0).namespace());
    assertEquals("package io.dockevos.test.missing [1.0.0,2.0.0)", e.missing().get(0).description());
    assertEquals("io.dockevos.test.needsmissing 1.0.0", e.missing().get(0).requiringBundle());
  }

  @Test
  void theRegistryIsAFileThatNamesTheSource() throws Exception {
    String source = jar(TinyBundles.GOOD_1);
    plugins.install(source);
    Path registry = Path.of(context.getProperty("dockevos.data"), "plugins", "registry.json");
    assertTrue(Files.readString(registry).contains(source), Files.readString(registry));
  }
}
