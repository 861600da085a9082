package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.assist.AppliedFix;
import io.dockevos.assist.AssistEvents;
import io.dockevos.assist.Assistant;
import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.ErrorEvents;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginManager.InstallOption;
import io.dockevos.plugin.PluginState;
import io.dockevos.test.tiny.TinyBundles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The shell assistant in a real framework, against a stand-in error handler: the whiteboard of
 * analyzers, assist:fix installing a missing provider from a system/ repository, the y/N question,
 * a fix that fails and is rolled back, the policy, and the Metatype check of a configuration.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class AssistantTest {
  private static final String NEEDS = "io.dockevos.test.needsmissing";
  private static final String PROVIDES = "io.dockevos.test.providesmissing";
  private static final String REQUIREMENT = "osgi.wiring.package; (&(osgi.wiring.package=io.dockevos.test.missing)"
      + "(version>=1.0.0)(!(version>=2.0.0)))";

  @InjectBundleContext
  BundleContext context;
  @InjectService
  Assistant assistant;
  @InjectService
  PluginManager plugins;
  @InjectService
  io.dockevos.install.Installer installer;
  @InjectService
  CommandProcessor processor;
  @InjectService
  EventAdmin eventAdmin;
  @InjectService
  ConfigurationAdmin configAdmin;
  @TempDir
  Path dir;

  private StandInErrorHandler errors;
  private final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private Path providerJar;

  /** The real error handler, stopped while a test runs: its own incidents and events would mix with the stand-in's. */
  private org.osgi.framework.Bundle realErrors;

  @BeforeEach
  void setUp() throws Exception {
    for (org.osgi.framework.Bundle b : context.getBundles()) {
      if ("io.dockevos.errors".equals(b.getSymbolicName()) && b.getState() == org.osgi.framework.Bundle.ACTIVE) {
        realErrors = b;
        b.stop(org.osgi.framework.Bundle.STOP_TRANSIENT);
      }
    }
    errors = new StandInErrorHandler(eventAdmin);
    // Ranked above the real error handler (once merged), so that the assistant's greedy references take it.
    registrations.add(context.registerService(ErrorHandler.class, errors,
        new Hashtable<>(Map.of(org.osgi.framework.Constants.SERVICE_RANKING, 1000))));
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(EventConstants.EVENT_TOPIC, new String[] {AssistEvents.ALL, ErrorEvents.ALL});
    registrations.add(context.registerService(EventHandler.class, events::add, props));
    Path system = Path.of(context.getProperty("dockevos.home"), "system");
    Path folder = Files.createDirectories(system.resolve("io/dockevos/test/providesmissing/1.0.0"));
    providerJar = folder.resolve("providesmissing-1.0.0.jar");
    if (!Files.exists(providerJar)) {
      Files.copy(TinyBundles.copyTo(TinyBundles.PROVIDES_MISSING, dir), providerJar);
      // The repository index looks at system/ again at most once a second (plans) or every 2 s
      // (PluginManager.providers): a jar added just after a look is seen by the next one. It stays
      // for the whole class (removed in @AfterAll), so this wait is once.
      Thread.sleep(2_100);
    }
  }

  @org.junit.jupiter.api.AfterAll
  static void removeProvider() throws Exception {
    BundleContext bc = org.osgi.framework.FrameworkUtil.getBundle(AssistantTest.class).getBundleContext();
    Files.deleteIfExists(Path.of(bc.getProperty("dockevos.home"), "system",
        "io/dockevos/test/providesmissing/1.0.0/providesmissing-1.0.0.jar"));
  }

  @AfterEach
  void tearDown() throws Exception {
    registrations.forEach(ServiceRegistration::unregister);
    for (String bsn : List.of(NEEDS, "io.dockevos.test.optionalmissing", PROVIDES, "io.dockevos.test.good")) {
      Optional<Plugin> p = plugins.find(bsn);
      if (p.isPresent()) {
        plugins.uninstall(String.valueOf(p.get().id()), false);
      }
    }
    for (String pid : List.of("dockevos.assist", "dockevos.assist.ai")) {
      Configuration[] c = configAdmin.listConfigurations("(service.pid=" + pid + ")");
      if (c != null) {
        c[0].delete();
      }
    }
    if (realErrors != null) {
      realErrors.start(org.osgi.framework.Bundle.START_TRANSIENT);
    }
  }

  /** A command line in a session whose keyboard holds {@code typed}: what it printed, and the error it threw. */
  private String[] run(String commandLine, String typed) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), o, o)) {
      String error = null;
      try {
        session.execute(commandLine);
      } catch (Exception e) {
        error = e.getMessage();
      }
      o.flush();
      return new String[] {out.toString(StandardCharsets.UTF_8), error};
    }
  }

  private Incident unresolvedPlugin() throws Exception {
    Plugin p = plugins.install(TinyBundles.copyTo(TinyBundles.NEEDS_MISSING, dir).toString(), InstallOption.FORCE,
        InstallOption.NO_START);
    assertEquals(PluginState.INSTALLED, p.state());
    return errors.add("E1", "framework", NEEDS, NEEDS + " 1.0.0 does not resolve",
        Map.of("requirement", REQUIREMENT, "bundle.symbolicName", NEEDS));
  }

  private List<String> topics() {
    return events.stream().map(Event::getTopic).toList();
  }

  @Test
  void theWhiteboardPicksUpAnAnalyzerThatATestRegistersAndDropsItAgain() throws Exception {
    Incident i = errors.add("E7", "plugin", "io.example", "something odd", Map.of("reason", "odd"));
    ErrorAnalyzer mine = new ErrorAnalyzer() {
      @Override
      public String name() {
        return "itest";
      }

      @Override
      public List<Diagnosis> analyze(Incident incident) {
        return List.of(new Diagnosis("itest", "the test says: " + incident.properties().get("reason"), 0.99, List.of()));
      }
    };
    ServiceRegistration<ErrorAnalyzer> reg = context.registerService(ErrorAnalyzer.class, mine, null);
    try {
      List<Diagnosis> d = assistant.analyze(i);
      assertEquals("the test says: odd", d.get(0).cause(), d.toString());
      String shown = run("assist:analyze E7", "")[0];
      assertTrue(shown.contains("1. the test says: odd (99% sure, itest)"), shown);
      assertEquals(List.of("E7 ANALYSED"), errors.statuses, "assist:analyze marks the incident ANALYSED");
    } finally {
      reg.unregister();
    }
    assertTrue(assistant.analyze(i).stream().noneMatch(d -> d.analyzer().equals("itest")));
  }

  @Test
  void fixYesInstallsTheMissingProviderFromSystemAndThePluginBecomesActive() throws Exception {
    Incident i = unresolvedPlugin();

    String shown = run("assist:analyze", "")[0];
    assertTrue(shown.contains("requires package io.dockevos.test.missing [1.0.0,2.0.0)"), shown);
    assertTrue(shown.contains(PROVIDES + " 1.0.0 in system/io/dockevos/test/providesmissing/1.0.0/providesmissing-1.0.0.jar"),
        shown);
    assertTrue(shown.contains("fix 1 [MODERATE]: install " + PROVIDES), shown);

    String[] fix = run("assist:fix --yes " + i.id(), "");
    assertEquals(null, fix[1], fix[0]);
    assertTrue(fix[0].contains("What will change:\n  install " + PROVIDES), fix[0]);
    assertTrue(fix[0].contains("Applied: installed " + PROVIDES + " 1.0.0"), fix[0]);
    assertTrue(fix[0].contains("E1 is FIXED."), fix[0]);
    assertEquals(PluginState.ACTIVE, plugins.find(NEEDS).get().state());
    assertEquals(PluginState.ACTIVE, plugins.find(PROVIDES).get().state());
    assertEquals(Incident.Status.FIXED, errors.incident("E1").get().status());

    Await.until(this::topics, t -> t.contains(ErrorEvents.RESOLVED), "RESOLVED");
    List<String> flow = topics().stream().filter(t -> !t.equals(ErrorEvents.REPORTED) || topics().indexOf(t) == 0).toList();
    assertEquals(ErrorEvents.REPORTED, flow.get(0), flow.toString());
    assertEquals(1, topics().stream().filter(AssistEvents.SUGGESTED::equals).count(),
        "analyze and fix suggest the same sighting once: " + topics());
    int suggested = topics().indexOf(AssistEvents.SUGGESTED);
    int applied = topics().indexOf(AssistEvents.APPLIED);
    int resolved = topics().indexOf(ErrorEvents.RESOLVED);
    assertTrue(0 < suggested && suggested < applied && applied < resolved, topics().toString());
    Event a = events.get(applied);
    assertEquals("E1", a.getProperty(AssistEvents.INCIDENT_ID));
    assertEquals("user", a.getProperty(AssistEvents.BY));

    AppliedFix last = assistant.history().get(assistant.history().size() - 1);
    assertTrue(last.worked() && last.fix().startsWith("install " + PROVIDES), last.toString());
    Path file = Path.of(context.getProperty("dockevos.data"), "assist", "fixes.json");
    assertTrue(Files.readString(file).contains("\"incident\": \"E1\""), Files.readString(file));
    assertTrue(run("assist:fixes", "")[0].contains("| user | MODERATE | worked | install " + PROVIDES),
        run("assist:fixes", "")[0]);
  }

  @Test
  void theQuestionIsAnsweredAtTheConsoleAndWithNoInputTheFixIsRefused() throws Exception {
    Incident i = unresolvedPlugin();

    String[] none = run("assist:fix " + i.id(), "");
    assertTrue(none[0].contains("Apply it? [y/N]"), none[0]);
    assertEquals("Not applied: there is no terminal to answer y/N on (bin/dockevos client has none); run assist:fix"
        + " --yes E1 1 to apply it without asking", none[1]);
    assertTrue(plugins.find(PROVIDES).isEmpty(), "nothing was installed");

    String[] no = run("assist:fix " + i.id() + " 1", "n\n");
    assertTrue(no[0].contains("Not applied."), no[0]);
    assertTrue(plugins.find(PROVIDES).isEmpty(), "nothing was installed");

    String[] yes = run("assist:fix " + i.id() + " 1", "y\n");
    assertEquals(null, yes[1], yes[0]);
    assertTrue(yes[0].contains("Applied: "), yes[0]);
    assertEquals(PluginState.ACTIVE, plugins.find(NEEDS).get().state());
  }

  @Test
  void aFixThatDoesNotWorkIsReportedAndRolledBack() throws Exception {
    Incident i = errors.add("E3", "plugin", "io.example", "io.example failed", Map.of());
    String good = TinyBundles.copyTo(TinyBundles.GOOD_1, dir).toString();
    long[] installed = {-1};
    Fix fix = new Fix() {
      @Override
      public String description() {
        return "install io.dockevos.test.good";
      }

      @Override
      public Risk risk() {
        return Risk.SAFE;
      }

      @Override
      public String dryRun() {
        return "plugin:install " + good;
      }

      @Override
      public String apply() throws Exception {
        installed[0] = plugins.install(good).id();
        return "installed io.dockevos.test.good";
      }

      @Override
      public void rollback() throws Exception {
        plugins.uninstall(String.valueOf(installed[0]), false);
      }

      @Override
      public Optional<String> verify() {
        return Optional.of("io.example is still FAILED");
      }
    };
    ServiceRegistration<ErrorAnalyzer> reg = context.registerService(ErrorAnalyzer.class, new ErrorAnalyzer() {
      @Override
      public String name() {
        return "itest";
      }

      @Override
      public List<Diagnosis> analyze(Incident incident) {
        return incident.id().equals("E3") ? List.of(new Diagnosis("itest", "needs good", 1.0, List.of(fix))) : List.of();
      }
    }, null);
    try {
      String[] r = run("assist:fix --yes E3", "");
      assertEquals("The fix did not work: installed io.dockevos.test.good; but it did not work: io.example is still FAILED;"
          + " rolled back", r[1], r[0]);
      assertTrue(installed[0] > 0, "it was installed");
      assertTrue(plugins.find("io.dockevos.test.good").isEmpty(), "and rolled back");
      assertEquals(Incident.Status.OPEN, errors.incident("E3").get().status());
      Event failed = Await.until(() -> events.stream().filter(e -> e.getTopic().equals(AssistEvents.FAILED)).findFirst()
          .orElse(null), e -> e != null, "FAILED");
      assertEquals("E3", failed.getProperty(AssistEvents.INCIDENT_ID));
      assertFalse(topics().contains(AssistEvents.APPLIED));
      assertTrue(run("assist:fixes", "")[0].contains("| failed, rolled back | install io.dockevos.test.good"));
    } finally {
      reg.unregister();
    }
  }

  @Test
  void aBrokenConfigurationIsNamedAgainstItsMetatypeAndResetToItsDefault() throws Exception {
    Configuration c = configAdmin.getConfiguration("dockevos.assist", "?");
    c.update(new Hashtable<>(Map.of("autoApply", "ALWAYS")));
    Await.until(() -> run("assist:policy", "")[0], s -> s.contains("'ALWAYS'"), "the policy sees ALWAYS");
    assertTrue(run("assist:policy", "")[0].contains("must be one of SAFE, NONE"));

    Incident i = errors.add("E5", "log", null, "bad configuration", Map.of("config.pid", "dockevos.assist"));
    Diagnosis d = assistant.analyze(i).stream().filter(x -> x.analyzer().equals("configuration")).findFirst().orElseThrow();
    assertEquals("The configuration dockevos.assist breaks its Metatype (Shell assistant): property autoApply = 'ALWAYS'"
        + " is not one of its options: it must be one of SAFE, NONE", d.cause());
    Fix reset = d.fixes().get(0);
    assertEquals(Risk.MODERATE, reset.risk());
    assertEquals("configuration dockevos.assist: autoApply: set it to its default 'NONE'", reset.dryRun());
    AppliedFix applied = assistant.apply(i, reset, Assistant.BY_USER);
    assertTrue(applied.worked(), applied.toString());
    assertEquals("NONE", configAdmin.getConfiguration("dockevos.assist", "?").getProperties().get("autoApply"));
  }

  /** Turns the policy on: fixes that are SAFE apply by themselves. */
  private void policySafe() throws Exception {
    Configuration c = configAdmin.getConfiguration("dockevos.assist", "?");
    c.update(new Hashtable<>(Map.of("autoApply", "SAFE")));
    Await.until(() -> context.getServiceReferences(EventHandler.class,
        "(&(component.name=io.dockevos.assist.internal.AutoApplyPolicy)(autoApply=SAFE))"),
        refs -> !refs.isEmpty(), "the policy subscribes, with SAFE");
  }

  /** A third party's analyzer: for an incident whose id it knows, one diagnosis with the fix given. */
  private void analyzer(Map<String, Fix> fixes) {
    registrations.add(context.registerService(ErrorAnalyzer.class, new ErrorAnalyzer() {
      @Override
      public String name() {
        return "itest";
      }

      @Override
      public List<Diagnosis> analyze(Incident incident) {
        Fix f = fixes.get(incident.id());
        return f == null ? List.of() : List.of(new Diagnosis("itest", "the test's cause", 1.0, List.of(f)));
      }
    }, null));
  }

  /** A third party's fix that says it is SAFE; {@code addsCode} says whether it admits that it adds code. */
  private static Fix fix(String description, boolean addsCode, java.util.concurrent.Callable<String> apply) {
    return new Fix() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public Risk risk() {
        return Risk.SAFE;
      }

      @Override
      public String dryRun() {
        return description;
      }

      @Override
      public String apply() throws Exception {
        return apply.call();
      }

      @Override
      public boolean addsCode() {
        return addsCode;
      }
    };
  }

  /** The policy's entries in the history since {@code before}, by incident. */
  private Map<String, AppliedFix> appliedSince(int before) {
    List<AppliedFix> h = assistant.history();
    Map<String, AppliedFix> byIncident = new java.util.HashMap<>();
    h.subList(before, h.size()).forEach(f -> byIncident.put(f.incidentId(), f));
    return byIncident;
  }

  @Test
  void thePolicyAppliesASafeFixThatAddsNoCodeAndLeavesAnInstallToAPerson() throws Exception {
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    analyzer(Map.of("E2", fix("note the incident", false, () -> "noted: " + ran.incrementAndGet())));
    policySafe();
    int before = assistant.history().size();
    // E1's fix installs the provider that the plugin imports, from system/: it adds code.
    Incident e1 = unresolvedPlugin();
    errors.add("E2", "itest", "io.example", "something the test's fix notes", Map.of());
    // The policy handles incidents one after the other, on its thread: once E2's fix ran, E1 was handled.
    Await.until(ran::get, n -> n == 1, "the policy applies E2's fix, which adds no code");
    AppliedFix e2 = Await.until(() -> appliedSince(before), m -> m.containsKey("E2"), "E2 in the history").get("E2");
    assertEquals("policy", e2.by());
    assertEquals(Risk.SAFE, e2.risk());
    assertTrue(e2.worked(), e2.toString());
    Await.until(() -> errors.incident("E2").get().status(), st -> st == Incident.Status.FIXED, "E2 FIXED");

    assertFalse(appliedSince(before).containsKey("E1"), "the policy did not install anything: " + assistant.history());
    assertTrue(plugins.find(PROVIDES).isEmpty(), "the provider is not installed");
    assertEquals(PluginState.INSTALLED, plugins.find(NEEDS).get().state());
    Fix install = assistant.analyze(e1).get(0).fixes().get(0);
    assertTrue(install.description().startsWith("install " + PROVIDES), install.description());
    assertEquals(Risk.MODERATE, install.risk(), "installing a bundle is reviewed by a person");
    assertTrue(install.addsCode());
    assertTrue(run("assist:analyze E1", "")[0].contains("fix 1 [MODERATE]: install " + PROVIDES));
    assertThrows(IllegalArgumentException.class, () -> assistant.apply(e1, install, Assistant.BY_POLICY),
        "the policy applies no fix that adds code, whoever asks");
    assertTrue(plugins.find(PROVIDES).isEmpty());
  }

  @Test
  void aThirdPartyFixCannotAddCodeUnderTheNameSafe() throws Exception {
    String good = TinyBundles.copyTo(TinyBundles.GOOD_1, dir).toUri().toString();
    List<String> goodEvents = new CopyOnWriteArrayList<>();
    org.osgi.framework.BundleListener listener = e -> {
      if ("io.dockevos.test.good".equals(e.getBundle().getSymbolicName())) {
        goodEvents.add(String.valueOf(e.getType()));
      }
    };
    context.addBundleListener(listener);
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    try {
      analyzer(Map.of(
          // Says SAFE, and does not say that it adds no code: it is taken to add code.
          "E3", fix("install io.dockevos.test.good", true, () -> "installed as " + plugins.install(good).id()),
          // Says SAFE and that it adds no code, and installs and starts a bundle.
          "E4", fix("start io.example", false, () -> {
            org.osgi.framework.Bundle b = context.installBundle(good);
            b.start();
            return "started io.example";
          }),
          "E5", fix("note the incident", false, () -> "noted: " + ran.incrementAndGet())));
      policySafe();
      int before = assistant.history().size();
      Incident e3 = errors.add("E3", "itest", "io.example", "the test's E3", Map.of());
      errors.add("E4", "itest", "io.example", "the test's E4", Map.of());
      errors.add("E5", "itest", "io.example", "the test's E5", Map.of());
      Await.until(ran::get, n -> n == 1, "the policy applies E5's fix");
      // The incidents reach the policy as events, in no promised order: wait for E4's attempt too.
      Map<String, AppliedFix> applied = Await.until(() -> appliedSince(before),
          m -> m.containsKey("E4") && m.containsKey("E5"), "E4 and E5");

      assertFalse(applied.containsKey("E3"), "a fix that may add code is not the policy's to apply: " + applied);
      assertEquals(Risk.MODERATE, assistant.analyze(e3).get(0).fixes().get(0).risk());

      AppliedFix e4 = applied.get("E4");
      assertTrue(e4 != null && !e4.worked() && e4.rolledBack(), String.valueOf(e4));
      assertTrue(e4.result().contains("it installed code (io.dockevos.test.good 1.0.0"), e4.result());
      assertTrue(e4.result().contains("assist:fix"), e4.result());
      assertEquals(Incident.Status.OPEN, errors.incident("E4").get().status());
      assertTrue(java.util.Arrays.stream(context.getBundles())
          .noneMatch(b -> "io.dockevos.test.good".equals(b.getSymbolicName())), "what it installed is gone");
      assertFalse(goodEvents.contains(String.valueOf(org.osgi.framework.BundleEvent.RESOLVED)),
          "and it never resolved, so none of its code ran: " + goodEvents);
      assertFalse(goodEvents.contains(String.valueOf(org.osgi.framework.BundleEvent.STARTED)), goodEvents.toString());
    } finally {
      context.removeBundleListener(listener);
    }
  }

  @Test
  void withoutItsConfigurationTheAiAnalyzerDoesNotExist() throws Exception {
    assertTrue(context.getServiceReferences(ErrorAnalyzer.class, "(component.name=io.dockevos.assist.internal.AiAnalyzer)")
        .isEmpty());
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    List<String> seen = new CopyOnWriteArrayList<>();
    server.createContext("/", x -> {
      seen.add(x.getRequestURI().getPath());
      byte[] b = "{\"choices\":[{\"message\":{\"content\":\"Look at the log.\"}}]}".getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, b.length);
      x.getResponseBody().write(b);
      x.close();
    });
    server.start();
    try {
      Incident i = errors.add("E9", "log", null, "odd", Map.of());
      assistant.analyze(i);
      assertTrue(seen.isEmpty(), "no connection without a configuration: " + seen);

      Configuration c = configAdmin.getConfiguration("dockevos.assist.ai", "?");
      c.update(new Hashtable<>(Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort(), "model", "m")));
      Diagnosis d = Await.until(() -> assistant.analyze(i).stream().filter(x -> x.analyzer().equals("ai")).findFirst(),
          Optional::isPresent, "the AI analyzer answers").get();
      assertEquals("The AI (m) suggests: Look at the log.", d.cause());
      assertEquals(List.of("/chat/completions"), seen.subList(0, 1));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aServiceWhoseComponentIsDisabledIsOfferedAndEnabled() throws Exception {
    org.osgi.service.component.runtime.ServiceComponentRuntime scr = context.getService(
        context.getServiceReference(org.osgi.service.component.runtime.ServiceComponentRuntime.class));
    String name = "io.dockevos.assist.internal.AssistCommands";
    org.osgi.service.component.runtime.dto.ComponentDescriptionDTO commands = scr.getComponentDescriptionDTOs().stream()
        .filter(d -> d.name.equals(name)).findFirst().orElseThrow();
    scr.disableComponent(commands).getValue();
    try {
      Incident i = errors.add("E6", "component", "io.example", "io.example.Watcher waits",
          Map.of("component.name", "io.example.Watcher", "reference.interface", name));
      Diagnosis d = assistant.analyze(i).stream().filter(x -> x.analyzer().equals("unsatisfied-reference")).findFirst()
          .orElseThrow();
      assertTrue(d.cause().startsWith("The component io.example.Watcher of io.example waits for a service " + name
          + ", which no active bundle provides; it could come from the disabled component " + name
          + " of io.dockevos.assistant"), d.cause());
      Fix enable = d.fixes().get(0);
      assertEquals("scr:enable " + name, enable.dryRun());
      AppliedFix applied = assistant.apply(i, enable, Assistant.BY_USER);
      assertTrue(applied.worked(), applied.toString());
      assertTrue(scr.isComponentEnabled(commands), "the component is enabled again");
      assertTrue(context.getServiceReferences(name, null) != null, "and its service is registered");
    } finally {
      scr.enableComponent(commands).getValue();
    }
  }

  @Test
  void aMissingClassIsFixedByInstallingItsPackageAndRestartingThePluginWithANewWiring() throws Exception {
    String optional = "io.dockevos.test.optionalmissing";
    // Just the plugin (Scope.GIVEN): from the repositories, the plan would add the provider of its optional import.
    io.dockevos.install.Outcome o = installer.execute(new io.dockevos.install.Change(List.of(io.dockevos.install.Change
        .Item.install(TinyBundles.copyTo(TinyBundles.OPTIONAL_MISSING, dir).toString())), io.dockevos.install.Change.Scope
        .GIVEN, java.util.Set.of(io.dockevos.install.Change.Option.NO_START), "test"));
    Plugin p = plugins.find(String.valueOf(o.bundles().get(0))).orElseThrow();
    Throwable failure = assertThrows(io.dockevos.plugin.PluginException.class, () -> plugins.start(optional));
    assertTrue(String.valueOf(failure.getMessage()).contains("io.dockevos.test.missing.Missing"), failure.getMessage());
    Incident i = errors.add("E8", "plugin", optional, optional + " failed to start",
        Map.of("reason", failure.getMessage()));

    Diagnosis d = assistant.analyze(i).stream().filter(x -> x.analyzer().equals("missing-class")).findFirst().orElseThrow();
    assertTrue(d.cause().contains("cannot load the class io.dockevos.test.missing.Missing: no installed bundle exports the"
        + " package io.dockevos.test.missing; " + PROVIDES + " 1.0.0 in system/"), d.cause());
    Fix fix = d.fixes().get(0);
    assertEquals(Risk.MODERATE, fix.risk(), "it restarts the plugin");
    AppliedFix applied = assistant.apply(i, fix, Assistant.BY_USER);
    assertTrue(applied.worked(), applied.toString());
    assertTrue(applied.result().contains("restarted " + optional + ": ACTIVE"), applied.result());
    assertEquals(PluginState.ACTIVE, plugins.find(optional).get().state());
    assertEquals(p.id(), plugins.find(optional).get().id(), "the same plugin, not a new one");
  }

  @Test
  void aManualProcedureIsShownNotApplied() throws Exception {
    errors.add("E4", "hardware", null, "git is missing", Map.of("tool", "git", "hint", "sudo apt-get install git"));
    String[] r = run("assist:fix --yes E4", "");
    assertEquals(null, r[1], r[0]);
    // The catalog's procedure for git (dockevos-alternative, when it is in the run) or else the hint.
    assertTrue(r[0].contains("1. sudo apt-get install git") || r[0].contains("apt-get install -y git"), r[0]);
    assertTrue(r[0].contains("This is a manual procedure: nothing is applied."), r[0]);
    assertThrows(IllegalArgumentException.class, () -> assistant.apply(errors.incident("E4").get(),
        assistant.analyze(errors.incident("E4").get()).get(0).fixes().get(0), Assistant.BY_USER));
  }
}
