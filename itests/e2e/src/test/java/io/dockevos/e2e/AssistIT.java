package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.dockevos.test.tiny.TinyBundles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shell assistant through {@code bin/dockevos client} and the console. Incidents come from a
 * stand-in error handler (the tiny bundle stand-in-errors, which reads them from a file) until the
 * real one is merged; the rest needs only the assistant.
 */
class AssistIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NEEDS = "io.dockevos.test.needsmissing";
  private static final String PROVIDES = "io.dockevos.test.providesmissing";
  private static final String SYSTEM_JAR = Distribution.MISSING_PROVIDER;
  private static Path jars;

  @BeforeAll
  static void prepare() throws IOException {
    jars = Files.createDirectories(dist.root().resolve("jars"));
    for (String name : TinyBundles.ALL) {
      TinyBundles.copyTo(name, jars);
    }
    dist.provideTheMissingPackage();
  }

  /** Each test starts with a running instance and leaves no test plugin, incident or configuration behind. */
  @AfterEach
  void leaveNothingBehind() throws IOException {
    dist.ensureStarted();
    for (String bsn : List.of(NEEDS, PROVIDES, "io.dockevos.test.standinerrors")) {
      dist.client("plugin:uninstall --force " + bsn);
    }
    Files.deleteIfExists(dist.home().resolve("standin-incidents.properties"));
    Files.deleteIfExists(dist.home().resolve("standin-statuses.txt"));
    for (String cfg : List.of("dockevos.assist.cfg", "dockevos.assist.ai.cfg")) {
      Files.deleteIfExists(dist.deploy().resolve(cfg));
    }
    Await.until("the default policy is back", WAIT, () -> dist.ok("assist:policy").out(),
        o -> o.startsWith("autoApply = NONE"));
  }

  private static String jar(String name) {
    return jars.resolve(name).toString();
  }

  /** The stand-in error handler, with one incident: needs-missing does not resolve. */
  private static void unresolvedIncident(String id) throws IOException {
    dist.ok("plugin:install --force --no-start " + jar(TinyBundles.NEEDS_MISSING));
    Files.writeString(dist.home().resolve("standin-incidents.properties"), id + ".source=framework\n"
        + id + ".plugin=" + NEEDS + "\n" + id + ".summary=" + NEEDS + " 1.0.0 does not resolve\n"
        + id + ".prop.requirement=osgi.wiring.package; (&(osgi.wiring.package=io.dockevos.test.missing)(version>=1.0.0)(!(version>=2.0.0)))\n"
        + id + ".prop.bundle.symbolicName=" + NEEDS + "\n");
    dist.ok("plugin:install " + jar(TinyBundles.STAND_IN_ERRORS));
  }

  private static boolean active(String bsn) {
    return dist.ok("plugin:list").out().lines().anyMatch(l -> l.contains(bsn) && l.contains("ACTIVE"));
  }

  @Test
  void withNoIncidentsAnalyzeSaysSoAndNoFixAppliesByItself() {
    dist.ensureStarted();
    assertTrue(dist.ok("assist:analyze").out().contains("No open incidents"), () -> dist.client("assist:analyze").toString());
    Result policy = dist.ok("assist:policy");
    assertEquals("autoApply = NONE: no fix applies by itself; assist:fix applies one", policy.out().strip(), policy::toString);
    // An id no incident has (the real error handler numbers its own incidents E1, E2, ...).
    Result fix = dist.fails("assist:fix E999999");
    assertTrue(fix.err().contains("No incident E999999"), fix::toString);
  }

  @Test
  void aPolicyThatBreaksItsMetatypeIsNamedAndTheRuntimeStaysUp() throws IOException {
    dist.ensureStarted();
    Files.writeString(dist.deploy().resolve("dockevos.assist.cfg"), "autoApply = ALWAYS\n");
    Result bad = Await.until("assist:policy names the bad value", WAIT, () -> dist.ok("assist:policy"),
        r -> r.out().contains("'ALWAYS'"));
    assertEquals("autoApply = 'ALWAYS' in the configuration dockevos.assist is not valid: it must be one of SAFE, NONE;"
        + " no fix applies by itself until it is", bad.out().strip());
    assertTrue(dist.logText().lines().anyMatch(l -> l.contains("ERROR") && l.contains("autoApply = 'ALWAYS'")
        && l.contains("dockevos.assist")), "the log names the configuration and the property");

    Files.writeString(dist.deploy().resolve("dockevos.assist.cfg"), "autoApply = SAFE\n");
    Await.until("the policy takes SAFE", WAIT, () -> dist.ok("assist:policy").out(), o -> o.startsWith("autoApply = SAFE"));
    dist.assertBootBundlesActive();
  }

  @Test
  void fixYesThroughTheClientInstallsTheProviderFromSystemAndTheHistorySurvivesAKill() throws Exception {
    dist.ensureStarted();
    unresolvedIncident("E1");

    Result analyze = dist.ok("assist:analyze");
    assertTrue(analyze.out().contains("requires package io.dockevos.test.missing [1.0.0,2.0.0)"), analyze::toString);
    assertTrue(analyze.out().contains(PROVIDES + " 1.0.0 in " + SYSTEM_JAR), analyze::toString);
    assertTrue(analyze.out().contains("fix 1 [MODERATE]: install " + PROVIDES), analyze::toString);

    Result asked = dist.fails("assist:fix E1");
    assertTrue(asked.out().contains("What will change:"), asked::toString);
    assertTrue(asked.err().contains("Not applied: there is no terminal to answer y/N on (bin/dockevos client has none);"
        + " run assist:fix --yes E1 1 to apply it without asking"), asked::toString);
    assertTrue(!active(NEEDS), "nothing changed");

    Result fixed = dist.ok("assist:fix --yes E1");
    assertTrue(fixed.out().contains("Applied: installed " + PROVIDES + " 1.0.0"), fixed::toString);
    assertTrue(fixed.out().contains("E1 is FIXED."), fixed::toString);
    assertTrue(active(NEEDS) && active(PROVIDES), () -> dist.client("plugin:list").toString());
    assertEquals(List.of("E1 ANALYSED", "E1 FIXED"), Files.readAllLines(dist.home().resolve("standin-statuses.txt")));

    Path history = dist.data().resolve("assist/fixes.json");
    assertTrue(Files.readString(history).contains("\"by\": \"user\""), Files.readString(history));
    ProcessHandle.of(dist.pid()).ifPresent(ProcessHandle::destroyForcibly);
    Await.until("the killed instance is gone", WAIT, () -> !dist.running());
    dist.start();
    Result h = dist.ok("assist:fixes");
    assertTrue(h.out().lines().anyMatch(l -> l.contains("| E1 ") && l.contains("| user ") && l.contains("| worked ")
        && l.contains("install " + PROVIDES)), h::toString);
  }

  @Test
  void theConsoleAsksYesOrNoAndAppliesOnlyOnYes() throws Exception {
    dist.ensureStarted();
    unresolvedIncident("E2");
    dist.stop();
    Console console = new Console(dist.launch(dist.root(), Map.of(), List.of(dist.script().toString())));
    try {
      console.type("assist:fix E2\n");
      console.awaitOutput("the question", WAIT, c -> c.output().contains("Apply it? [y/N]"));
      assertTrue(console.output().contains("What will change:\n  install " + PROVIDES), console::toString);
      console.type("n\n");
      console.awaitOutput("the refusal", WAIT, c -> c.output().contains("Not applied."));
      console.type("assist:fix E2\n");
      console.awaitOutput("the question again", WAIT, c -> c.count("Apply it? [y/N]") == 2);
      console.type("y\n");
      console.awaitOutput("the fix", WAIT, c -> c.output().contains("E2 is FIXED."));
      console.type("plugin:list\n");
      console.awaitOutput("the plugin list", WAIT, c -> c.output().lines().anyMatch(l -> l.contains(NEEDS) && l.contains("ACTIVE")));
      console.type("exit\n");
      assertEquals(0, console.awaitExit(WAIT), console::toString);
    } finally {
      console.kill();
    }
    assertEquals(1, Files.readString(dist.data().resolve("assist/fixes.json")).split("\"incident\": \"E2\"", -1).length - 1);
  }

  /**
   * The same on a pseudo-terminal, as a person types (script from util-linux, as ConsoleIT uses):
   * the answer is read from the terminal while the command runs.
   */
  @Test
  void onATerminalTheAnswerIsTypedAtTheQuestion() throws Exception {
    Path script = Path.of("/usr/bin/script");
    assertTrue(Files.isExecutable(script), "this test needs /usr/bin/script (util-linux) for a pseudo-terminal");
    dist.ensureStarted();
    unresolvedIncident("E3");
    dist.stop();
    String inner = "stty cols 200 rows 40; exec '" + dist.script() + "'";
    Console console = new Console(dist.launch(dist.root(), Map.of("TERM", "xterm"),
        List.of(script.toString(), "-q", "-e", "-c", inner, "/dev/null")));
    try {
      console.awaitPrompt(Duration.ofSeconds(60));
      console.type("assist:fix E3\r");
      console.awaitOutput("the question", WAIT, c -> c.screen().contains("Apply it? [y/N]"));
      console.type("y\r");
      console.awaitOutput("the fix", WAIT, c -> c.screen().contains("E3 is FIXED."));
      console.type("\u0004");
      assertTrue(console.awaitExit(WAIT) >= 0, console::toString);
    } finally {
      console.kill();
    }
    dist.start();
    assertTrue(active(NEEDS), () -> dist.client("plugin:list").toString());
  }

  @Test
  void theAiAnalyzerExistsOnlyOnceConfiguredAndAsksTheLoopbackEndpoint() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    List<String> requests = new CopyOnWriteArrayList<>();
    server.createContext("/", x -> {
      requests.add(x.getRequestMethod() + " " + x.getRequestURI().getPath() + " "
          + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] b = "{\"choices\":[{\"message\":{\"content\":\"Restart the engine.\"}}]}".getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, b.length);
      x.getResponseBody().write(b);
      x.close();
    });
    server.start();
    try {
      dist.ensureStarted();
      Files.writeString(dist.home().resolve("standin-incidents.properties"),
          "E9.source=log\nE9.summary=something odd happened\n");
      dist.ok("plugin:install " + jar(TinyBundles.STAND_IN_ERRORS));
      Result none = dist.ok("assist:analyze E9");
      assertTrue(none.out().contains("No analyzer recognises it."), none::toString);
      assertEquals(List.of(), requests, "no connection without the configuration");

      Files.writeString(dist.deploy().resolve("dockevos.assist.ai.cfg"),
          "url = http://127.0.0.1:" + server.getAddress().getPort() + "/v1\nmodel = tiny-model\ntimeout = 5\n");
      Result ai = Await.until("the AI analyzer answers", WAIT, () -> dist.ok("assist:analyze E9"),
          r -> r.out().contains("The AI"));
      assertTrue(ai.out().contains("1. The AI (tiny-model) suggests: Restart the engine. (30% sure, ai)"), ai::toString);
      assertTrue(requests.get(0).startsWith("POST /v1/chat/completions "), requests.toString());
      assertTrue(requests.get(0).contains("\"model\":\"tiny-model\"") && requests.get(0).contains("something odd happened"),
          requests.toString());
    } finally {
      server.stop(0);
    }
  }
}
