package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.docker.DockerEvents;
import io.dockevos.error.ErrorEvents;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import io.dockevos.hardware.HardwareEvents;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.test.tiny.TinyBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.LoggerFactory;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The error handler in a real Felix: its sources, its counting, re-checking and events. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class ErrorHandlerTest {
  @InjectBundleContext
  BundleContext context;

  @InjectService
  PluginManager plugins;

  @InjectService
  EventAdmin eventAdmin;

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private ServiceRegistration<EventHandler> listener;

  @BeforeEach
  void listen() {
    Hashtable<String, Object> p = new Hashtable<>();
    p.put(EventConstants.EVENT_TOPIC, ErrorEvents.ALL);
    listener = context.registerService(EventHandler.class, events::add, p);
  }

  @AfterEach
  void stopListening() {
    listener.unregister();
  }

  private ErrorHandler errors() throws Exception {
    return Await.until(() -> {
      ServiceReference<ErrorHandler> ref = context.getServiceReference(ErrorHandler.class);
      return ref == null ? null : context.getService(ref);
    }, java.util.Objects::nonNull, "the error handler");
  }

  private Incident await(String what, java.util.function.Predicate<Incident> p) throws Exception {
    ErrorHandler errors = errors();
    return Await.until(() -> errors.incidents(true).stream().filter(p).findFirst(), Optional::isPresent, what).get();
  }

  /** Earlier tests (the deploy folder's, the assistant's) leave incidents of the same tiny bundles. */
  private void forgetIncidentsOf(String plugin) throws Exception {
    for (Incident i : errors().incidents(true)) {
      if (plugin.equals(i.pluginId())) {
        errors().clear(i.id());
      }
    }
  }

  private List<Event> events(String topic, String id) {
    return events.stream().filter(e -> e.getTopic().equals(topic) && id.equals(e.getProperty(ErrorEvents.INCIDENT_ID)))
        .toList();
  }

  @Test
  void aMissingImportIsReportedWithTheRequirementAndResolvedWhenThePluginIsActive() throws Exception {
    Path dir = Files.createTempDirectory("errors");
    forgetIncidentsOf("io.dockevos.test.needsmissing");
    Instant start = Instant.now();
    Plugin p = plugins.install(TinyBundles.copyTo(TinyBundles.NEEDS_MISSING, dir).toString(),
        PluginManager.InstallOption.FORCE, PluginManager.InstallOption.NO_START);
    Plugin provider = null;
    try {
      assertThrows(PluginException.class, () -> plugins.start(String.valueOf(p.id())));
      // earlier tests (the assistant's) may have left incidents of this plugin from other sources
      Incident i = await("an incident for needs-missing", x -> "io.dockevos.test.needsmissing".equals(x.pluginId())
          && x.status() == Incident.Status.OPEN && !x.lastSeen().isBefore(start));
      assertEquals("osgi.wiring.package; (&(osgi.wiring.package=io.dockevos.test.missing)(version>=1.0.0)"
          + "(!(version>=2.0.0)))", i.properties().get(IncidentProperties.REQUIREMENT), i.toString());
      assertEquals("io.dockevos.test.needsmissing", i.properties().get(IncidentProperties.BUNDLE));
      assertEquals("true", i.properties().get(IncidentProperties.UNRESOLVED), "it never started: no crash-loop count");
      assertTrue(i.properties().get(IncidentProperties.REQUIREMENT_TEXT).contains("package io.dockevos.test.missing"),
          i.toString());
      assertEquals(ErrorHandler.Health.FAILING, errors().health("io.dockevos.test.needsmissing"));
      Event reported = Await.until(() -> events(ErrorEvents.REPORTED, i.id()), l -> !l.isEmpty(), "REPORTED").get(0);
      assertEquals("io.dockevos.test.needsmissing", reported.getProperty(ErrorEvents.PLUGIN_ID));
      assertEquals(i.fingerprint(), reported.getProperty(ErrorEvents.FINGERPRINT));
      assertEquals("ERROR", reported.getProperty(ErrorEvents.SEVERITY));
      assertEquals(Optional.of(true), errors().recheck(i.id()), "the requirement is still missing");

      provider = plugins.install(TinyBundles.copyTo(TinyBundles.PROVIDES_MISSING, dir).toString());
      plugins.start(String.valueOf(p.id()));
      Incident fixed = await("FIXED", x -> x.id().equals(i.id()) && x.status() == Incident.Status.FIXED);
      assertEquals(Optional.of(false), errors().recheck(fixed.id()));
      Event resolved = Await.until(() -> events(ErrorEvents.RESOLVED, i.id()), l -> !l.isEmpty(), "RESOLVED").get(0);
      assertEquals("FIXED", resolved.getProperty(ErrorEvents.STATUS));
      assertEquals(ErrorHandler.Health.HEALTHY, errors().health("io.dockevos.test.needsmissing"));
      errors().clear(i.id());
    } finally {
      plugins.uninstall(String.valueOf(p.id()), false);
      if (provider != null) {
        plugins.uninstall(String.valueOf(provider.id()), false);
      }
    }
  }

  @Test
  void aFailedInstallIsAnIncidentWithTheRequirementAndAnInstallThatWorksFixesIt() throws Exception {
    Path dir = Files.createTempDirectory("errors");
    String jar = TinyBundles.copyTo(TinyBundles.NEEDS_MISSING, dir).toString();
    forgetIncidentsOf("io.dockevos.test.needsmissing");
    Instant start = Instant.now();
    assertThrows(PluginException.class, () -> plugins.install(jar));
    Incident i = await("an incident for the failed install", x -> "io.dockevos.test.needsmissing".equals(x.pluginId())
        && x.status() == Incident.Status.OPEN && !x.lastSeen().isBefore(start));
    assertEquals("osgi.wiring.package; (&(osgi.wiring.package=io.dockevos.test.missing)(version>=1.0.0)"
        + "(!(version>=2.0.0)))", i.properties().get(IncidentProperties.REQUIREMENT), i.toString());
    assertEquals(Optional.empty(), errors().recheck(i.id()), "nothing is installed to look at");
    Plugin provider = plugins.install(TinyBundles.copyTo(TinyBundles.PROVIDES_MISSING, dir).toString());
    Plugin p = plugins.install(jar);
    try {
      await("FIXED once the plugin is ACTIVE", x -> x.id().equals(i.id()) && x.status() == Incident.Status.FIXED);
      Await.until(() -> events(ErrorEvents.RESOLVED, i.id()), l -> !l.isEmpty(), "RESOLVED");
      errors().clear(i.id());
    } finally {
      plugins.uninstall(String.valueOf(p.id()), false);
      plugins.uninstall(String.valueOf(provider.id()), false);
    }
  }

  @Test
  void repeatsAreCountedAndTheirEventsThrottled() throws Exception {
    ErrorHandler errors = errors();
    Incident first = null;
    for (int k = 0; k < 3; k++) {
      Incident i = errors.report("test", "io.dockevos.test.repeats", Incident.Severity.ERROR, "it broke again, try " + k,
          new IllegalStateException("broken"), Map.of("config.pid", "x.y"));
      first = first == null ? i : first;
      assertEquals(first.id(), i.id());
      assertEquals(k + 1, i.count());
    }
    Incident i = errors.incident(first.id()).orElseThrow();
    assertEquals(3, i.count());
    assertEquals("java.lang.IllegalStateException", i.properties().get(IncidentProperties.EXCEPTION));
    assertTrue(i.detail().contains("java.lang.IllegalStateException: broken"), i.detail());
    String id = first.id();
    Await.until(() -> events(ErrorEvents.REPORTED, id), l -> !l.isEmpty(), "REPORTED");
    Thread.sleep(300);
    assertEquals(1, events(ErrorEvents.REPORTED, id).size(), "repeats within a second publish no more events");
    errors.setStatus(id, Incident.Status.FIXED);
    Incident again = errors.report("test", "io.dockevos.test.repeats", Incident.Severity.ERROR, "it broke after its fix",
        new IllegalStateException("broken"), Map.of("config.pid", "x.y"));
    assertEquals(Incident.Status.OPEN, again.status());
    Await.until(() -> events(ErrorEvents.REPORTED, id), l -> l.size() == 2,
        "a second REPORTED: a failure back after its fix is reported at once, within the second too");
    errors.clear(id);
    assertEquals(Optional.empty(), errors.incident(id));
  }

  @Test
  void errorsLoggedBeforeTheErrorHandlerStartedAreReplayed() throws Exception {
    Bundle handler = errors().getClass().getClassLoader() instanceof org.osgi.framework.BundleReference r
        ? r.getBundle() : null;
    assertTrue(handler != null);
    handler.stop();
    try {
      ServiceReference<LoggerFactory> ref = context.getServiceReference(LoggerFactory.class);
      context.getService(ref).getLogger("replay.test").error("logged while the error handler was stopped",
          new java.io.UncheckedIOException(new java.io.IOException("disk gone")));
    } finally {
      handler.start();
    }
    Incident i = await("the replayed log entry", x -> "logged while the error handler was stopped"
        .equals(x.properties().get(IncidentProperties.MESSAGE)));
    assertEquals("log", i.source());
    assertEquals("java.io.IOException", i.properties().get(IncidentProperties.EXCEPTION));
    assertEquals("replay.test", i.properties().get(IncidentProperties.LOGGER));
    errors().clear(i.id());
  }

  @Test
  void theEngineAndThresholdEventsOpenAndResolveIncidents() throws Exception {
    eventAdmin.postEvent(new Event(DockerEvents.ENGINE_DOWN, Map.of(DockerEvents.ENDPOINT, "unix:///test.sock",
        DockerEvents.REASON, "connection refused")));
    Incident down = await("engine DOWN", x -> "unix:///test.sock".equals(x.properties().get(DockerEvents.ENDPOINT)));
    assertEquals("docker", down.source());
    assertEquals(Incident.Status.OPEN, down.status());
    eventAdmin.postEvent(new Event(DockerEvents.ENGINE_UP, Map.of(DockerEvents.ENDPOINT, "unix:///test.sock")));
    await("engine UP fixes it", x -> x.id().equals(down.id()) && x.status() == Incident.Status.FIXED);
    Await.until(() -> events(ErrorEvents.RESOLVED, down.id()), l -> !l.isEmpty(), "RESOLVED");

    eventAdmin.postEvent(new Event(HardwareEvents.THRESHOLD, Map.of(HardwareEvents.RESOURCE, "disk",
        HardwareEvents.VALUE, 97.5, HardwareEvents.LIMIT, 90.0)));
    Incident disk = await("threshold", x -> "disk".equals(x.properties().get(IncidentProperties.RESOURCE)));
    assertEquals(Incident.Severity.WARNING, disk.severity());
    eventAdmin.postEvent(new Event(HardwareEvents.THRESHOLD_CLEARED, Map.of(HardwareEvents.RESOURCE, "disk")));
    await("cleared", x -> x.id().equals(disk.id()) && x.status() == Incident.Status.FIXED);

    eventAdmin.postEvent(new Event(HardwareEvents.TOOL_MISSING, Map.of(HardwareEvents.TOOL, "docker",
        HardwareEvents.REQUIRED, ">=20", HardwareEvents.HINT, "apt-get install docker.io",
        HardwareEvents.PLUGIN_ID, "io.dockevos.test.needsdocker")));
    Incident tool = await("tool missing", x -> "docker".equals(x.properties().get(IncidentProperties.TOOL)));
    assertEquals("apt-get install docker.io", tool.properties().get(IncidentProperties.HINT));
    assertEquals("io.dockevos.test.needsdocker", tool.pluginId());
    assertEquals(ErrorHandler.Health.DEGRADED, errors().health("io.dockevos.test.needsdocker"));
    eventAdmin.postEvent(new Event(DockerEvents.CONTAINER_DIED, Map.of(DockerEvents.CONTAINER_NAME, "web",
        DockerEvents.IMAGE, "nginx", DockerEvents.EXIT_CODE, 137, DockerEvents.REASON, "killed (OOM)")));
    Incident died = await("container DIED", x -> "web".equals(x.properties().get(DockerEvents.CONTAINER_NAME)));
    assertEquals("137", died.properties().get(DockerEvents.EXIT_CODE));
    assertTrue(died.summary().contains("web") && died.summary().contains("137"), died.summary());

    // Input that does not match the schema is the user's error, told to the user: no incident (issue 15).
    eventAdmin.postEvent(new Event(io.dockevos.action.ActionEvents.FAILED, Map.of("plugin.id", "io.dockevos.test.acts",
        "action.name", "typo", "kind", "INVALID_INPUT", "reason", "$.text: required")));
    for (int k = 0; k < 2; k++) {
      eventAdmin.postEvent(new Event(io.dockevos.action.ActionEvents.FAILED, Map.of("plugin.id", "io.dockevos.test.acts",
          "action.name", "go", "kind", "TIMEOUT", "reason", "timed out after 1 s")));
    }
    Incident act = await("the failed action, counted twice", x -> "go".equals(x.properties().get(IncidentProperties.ACTION))
        && x.count() == 2);
    assertEquals("io.dockevos.test.acts", act.pluginId());
    assertTrue(errors().incidents(true).stream().noneMatch(x -> "typo".equals(x.properties().get(IncidentProperties.ACTION))),
        "the invalid input, delivered before the timeouts, opened nothing");
    eventAdmin.postEvent(new Event(io.dockevos.action.ActionEvents.EXECUTED, Map.of("plugin.id", "io.dockevos.test.acts",
        "action.name", "go", "duration.ms", 3L)));
    await("FIXED once the action succeeds", x -> x.id().equals(act.id()) && x.status() == Incident.Status.FIXED);

    errors().setStatus(tool.id(), Incident.Status.IGNORED);
    assertEquals(ErrorHandler.Health.HEALTHY, errors().health("io.dockevos.test.needsdocker"));
    errors().clear(null);
    errors().clear(died.id());
  }

  @Test
  void anIncidentKeepsABoundedDetailWhateverItWasGiven() throws Exception {
    String huge = "x".repeat(10 << 20);
    Incident i = errors().report("test", "io.dockevos.test.bounded", Incident.Severity.ERROR, "a huge failure\n" + huge,
        new IllegalStateException(huge), Map.of("big", huge));
    String marker = "[cut: ";
    assertTrue(i.detail().length() <= 64 * 1024 + 100, "detail: " + i.detail().length() + " characters");
    assertTrue(i.detail().startsWith("a huge failure"), i.detail().substring(0, 40));
    assertTrue(i.detail().contains(marker) && i.detail().endsWith(" more characters were not kept]"),
        i.detail().substring(i.detail().length() - 80));
    for (Map.Entry<String, String> e : i.properties().entrySet()) {
      assertTrue(e.getValue().length() <= 8 * 1024 + 100, e.getKey() + ": " + e.getValue().length() + " characters");
    }
    assertTrue(i.properties().get("big").contains(marker));
    assertTrue(i.summary().length() <= 300, "summary: " + i.summary().length());
    Incident stored = errors().incident(i.id()).orElseThrow();
    assertEquals(i.detail(), stored.detail());
    Path file = Path.of(context.getProperty("dockevos.data"), "errors", "incidents.json");
    Await.until(() -> Files.readString(file).contains("io.dockevos.test.bounded"), found -> found, "the store written");
    assertTrue(Files.size(file) < 4 << 20, "the store holds no 10 MB detail: " + Files.size(file) + " bytes");
  }
}
