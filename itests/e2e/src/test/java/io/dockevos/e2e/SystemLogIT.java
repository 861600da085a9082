package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The system log of a real {@code bin/dockevos}: the command history of the console and of the
 * client, the metrics and the event log, their limits, a restart, a kill -9 and a corrupt file.
 * The tests build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemLogIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String GREETER = "io.dockevos.example.greeter";
  private static final String MARK = UUID.randomUUID().toString().substring(0, 8);
  private static final String USER = System.getProperty("user.name");
  private static Path config;

  @BeforeAll
  static void sampleEveryHalfSecond() throws IOException {
    config = dist.home().resolve("etc/dockevos.systemlog.cfg");
    Files.writeString(config, "sampleInterval = 0.5\n");
  }

  private static JsonArray array(String command) {
    return Json.createReader(new StringReader(dist.ok(command).out())).readArray();
  }

  private static JsonObject object(String command) {
    return Json.createReader(new StringReader(dist.ok(command).out())).readObject();
  }

  /** While a new configuration applies, the commands are briefly gone: null then. */
  private static JsonObject objectOrNull(String command) {
    Result r = dist.client(command);
    return r.exit() == 0 ? Json.createReader(new StringReader(r.out())).readObject() : null;
  }

  private static List<String> commands(JsonArray history) {
    return history.getValuesAs(JsonObject.class).stream().map(o -> o.getString("command")).toList();
  }

  private static List<Path> segments(String store) {
    try (Stream<Path> s = Files.list(dist.data().resolve("systemlog").resolve(store))) {
      return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @Order(1)
  void theConsoleRecordsItsCommandsAndHistoryShowsThem() {
    Path script = Path.of("/usr/bin/script");
    assertTrue(Files.isExecutable(script), "this test needs /usr/bin/script (util-linux) for a pseudo-terminal");
    String inner = "stty cols 160 rows 40; exec '" + dist.script() + "'";
    Console console = new Console(dist.launch(dist.root(), Map.of("TERM", "xterm"),
        List.of(script.toString(), "-q", "-e", "-c", inner, "/dev/null")));
    console.awaitPrompt(Duration.ofSeconds(60));
    console.type("echo console-" + MARK + "\r");
    console.awaitOutput("the output of echo", WAIT, c -> c.screenLines().contains("console-" + MARK));
    console.type("history -n 5\r");
    console.awaitOutput("history typed in the console lists the echo, from the console, with the user", WAIT,
        c -> c.screenLines().stream().anyMatch(l -> l.matches(".*\\| " + USER + " +\\| console +\\| \\d+ +\\| ok +\\| echo console-" + MARK)));
    int before = console.output().length();
    console.type("metrics:watch -i 0.5\r");
    console.awaitOutput("metrics:watch redraws its second frame in place on the terminal", WAIT,
        c -> c.output().substring(before).contains("frame 2 (Ctrl-C stops)"));
    assertTrue(console.output().substring(before).matches("(?s).*\u001B\\[\\d+F\u001B\\[Jmetrics:watch .*frame 2.*"),
        "the cursor goes back up over the last frame, which is cleared");
    console.type("\u0003");
    console.type("echo after-watch\r");
    console.awaitOutput("Ctrl-C stops metrics:watch and the console takes the next command", WAIT,
        c -> c.screenLines().contains("after-watch"));
    console.type("\u0004");
    if (console.awaitExit(WAIT) < 0) {
      fail("the console did not end after Ctrl-D:\n" + console);
    }
  }

  @Test
  @Order(2)
  void clientCommandsAreRecordedWithUserTimeDurationAndStatus() {
    dist.start();
    Instant before = Instant.now();
    dist.ok("echo client-" + MARK);
    Result failed = dist.fails("nosuchcommand-" + MARK);
    Instant after = Instant.now();

    JsonArray all = array("history -n 50 --json");
    assertTrue(commands(all).contains("echo console-" + MARK), () -> "the console's commands are still there: " + all);
    JsonObject ok = all.getValuesAs(JsonObject.class).stream().filter(o -> o.getString("command").equals("echo client-" + MARK))
        .findFirst().orElseThrow(() -> new AssertionError("echo client-" + MARK + " is in " + all));
    assertEquals(USER, ok.getString("user"), "the client's user, from the socket's peer credentials");
    assertEquals("client", ok.getString("origin"));
    assertEquals("ok", ok.getString("status"));
    Instant time = Instant.parse(ok.getString("time"));
    assertTrue(!time.isBefore(before.minusSeconds(1)) && !time.isAfter(after), time + " is within the test");
    assertTrue(ok.getJsonNumber("durationMs").longValue() >= 0, ok::toString);
    JsonObject bad = all.getValuesAs(JsonObject.class).stream().filter(o -> o.getString("command").equals("nosuchcommand-" + MARK))
        .findFirst().orElseThrow();
    assertEquals("failed", bad.getString("status"));
    assertTrue(bad.getString("error").contains("nosuchcommand-" + MARK), bad::toString);
    assertTrue(failed.err().contains("nosuchcommand-" + MARK), failed::toString);

    String shown = dist.ok("history -s " + MARK).out();
    List<String> rows = shown.lines().skip(1).toList();
    assertEquals(3, rows.size(), () -> "history -s lists the three commands with the mark, and nothing else:\n" + shown);
    assertTrue(rows.get(1).matches(".*\\| " + USER + " +\\| client +\\| \\d+ +\\| ok +\\| echo client-" + MARK), shown);
    assertTrue(rows.get(2).matches(".*\\| client +\\| \\d+ +\\| failed +\\| nosuchcommand-" + MARK + "  -> .*"), shown);
    assertEquals(List.of("nosuchcommand-" + MARK), commands(array("log:history --failed -s " + MARK + " --json")));
  }

  @Test
  @Order(3)
  void metricsAreSampledWithRealFigures() {
    JsonObject shown = Await.until("at least three samples at the configured 0.5 s", WAIT,
        () -> object("metrics:show --json"), o -> o.getInt("samples") >= 3);
    assertEquals(0.5, shown.getJsonNumber("intervalSeconds").doubleValue(), 1e-9);
    JsonObject latest = shown.getJsonObject("latest");
    assertTrue(latest.getJsonNumber("heapUsed").longValue() > 0, latest::toString);
    assertTrue(latest.getInt("threads") > 5, latest::toString);
    assertFalse(latest.getJsonArray("gc").isEmpty(), latest::toString);
    int lb = dist.bundles().size();
    Await.until("the sampled bundle count equals lb's " + lb, WAIT, () -> object("metrics:show --json --since 2s"),
        o -> o.getJsonObject("latest").getInt("bundles") == lb);
    String table = dist.ok("metrics:show").out();
    assertTrue(table.lines().anyMatch(l -> l.matches("bundles +\\| " + lb + " +\\| .*")), table);
    assertTrue(table.lines().anyMatch(l -> l.matches("heap.used \\(MB\\) +\\| [0-9.]+ +\\| [0-9.]+ +\\| [0-9.]+ +\\| [0-9.]+")), table);
  }

  @Test
  @Order(4)
  void actionMetricsAndTheEventsOfAPluginInstall() {
    Instant before = Instant.now().minusMillis(5);
    Path jar = Path.of(System.getProperty("dockevos.example.greeter"));
    dist.ok("plugin:install " + jar);
    dist.ok("greeter:greet name=Metrics times=2");
    JsonObject action = Await.until("a sample shows greeter greet's run", WAIT, () -> object("metrics:show --json"),
        o -> o.getJsonObject("latest").getJsonArray("actions").getValuesAs(JsonObject.class).stream()
            .anyMatch(a -> a.getString("plugin").equals(GREETER) && a.getString("action").equals("greet")
                && a.getJsonNumber("invocations").longValue() >= 1))
        .getJsonObject("latest").getJsonArray("actions").getValuesAs(JsonObject.class).stream()
        .filter(a -> a.getString("action").equals("greet")).findFirst().orElseThrow();
    assertEquals(0, action.getJsonNumber("failures").longValue(), action::toString);
    assertTrue(dist.ok("metrics:show").out().contains(GREETER + " greet"), "the table lists the action");

    String plugins = dist.ok("log:events --topic 'dockevos/plugin/*'").out();
    assertTrue(plugins.lines().anyMatch(l -> l.contains("| dockevos/plugin/INSTALLED") && l.contains("plugin.id=" + GREETER)), plugins);
    assertTrue(plugins.lines().skip(1).allMatch(l -> l.contains("| dockevos/plugin/")), plugins);

    JsonArray mine = array("log:events --plugin " + GREETER + " --since " + before + " --json");
    List<String> topics = mine.getValuesAs(JsonObject.class).stream().map(o -> o.getString("topic")).toList();
    assertTrue(topics.contains("dockevos/plugin/INSTALLED") && topics.contains("dockevos/action/EXECUTED")
        && topics.contains("org/osgi/framework/BundleEvent/STARTED"), topics::toString);
    assertTrue(mine.getValuesAs(JsonObject.class).stream().allMatch(o -> GREETER.equals(o.getJsonObject("properties").getString("plugin.id", null))
        || GREETER.equals(o.getJsonObject("properties").getString("bundle.symbolicName", null))), mine::toString);
    String later = dist.ok("log:events --plugin " + GREETER + " --since " + Instant.now().plusSeconds(3600)).out();
    assertEquals("No recorded event matches.", later.strip());
    assertTrue(dist.ok("log:events --topic dockevos/plugin/INSTALLED --since 10m").out().contains(GREETER));
    Result bad = dist.fails("log:events --since yesterday");
    assertTrue(bad.err().contains("--since yesterday is neither"), bad::toString);
  }

  @Test
  @Order(5)
  void metricsWatchRefreshesThroughTheClientUntilItGoesAway() throws Exception {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    Process watch = dist.launch(dist.root(), Map.of(), List.of(dist.script().toString(), "client", "metrics:watch -i 0.5"));
    Thread reader = new Thread(() -> {
      try (InputStream in = watch.getInputStream()) {
        byte[] b = new byte[4096];
        int n;
        while ((n = in.read(b)) >= 0) {
          synchronized (seen) {
            seen.write(b, 0, n);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    reader.start();
    String frames = Await.until("two frames of metrics:watch", WAIT, () -> {
      synchronized (seen) {
        return seen.toString(StandardCharsets.UTF_8);
      }
    }, t -> t.contains("frame 2 (Ctrl-C stops)"));
    assertTrue(frames.contains("frame 1 (Ctrl-C stops)") && frames.lines().filter(l -> l.startsWith("heap.used")).count() >= 2, frames);
    assertFalse(frames.contains("\u001B["), "no terminal escapes through the client");
    watch.destroy();
    assertTrue(watch.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the client ends on SIGTERM");
    JsonObject done = Await.until("metrics:watch ends, and is recorded, once its client went away", WAIT,
        () -> array("history -s metrics:watch --json"), a -> !a.isEmpty()).getJsonObject(0);
    assertTrue(done.getJsonNumber("durationMs").longValue() >= 500, done::toString);
    assertEquals(0, dist.client("lb").exit(), "the runtime still answers");
  }

  @Test
  @Order(6)
  void historyMetricsAndEventsSurviveARestart() {
    int samples = object("metrics:show --json").getInt("samples");
    String firstSample = object("metrics:show --json").getString("from");
    int events = array("log:events -n 100000 --json").size();
    dist.stop();
    Instant restart = Instant.now();
    dist.start();
    List<String> history = commands(array("history -n 1000 --json"));
    assertTrue(history.containsAll(List.of("echo console-" + MARK, "echo client-" + MARK, "nosuchcommand-" + MARK)), history::toString);
    JsonObject after = object("metrics:show --json");
    assertEquals(firstSample, after.getString("from"), "the series goes on from its first sample");
    assertTrue(after.getInt("samples") >= samples, after.getInt("samples") + " samples after, " + samples + " before");
    assertTrue(Instant.parse(after.getString("from")).isBefore(restart));
    JsonArray logged = array("log:events -n 100000 --json");
    assertTrue(logged.size() >= events, logged.size() + " events after the restart, " + events + " before");
    assertTrue(Instant.parse(logged.getJsonObject(0).getString("time")).isBefore(restart), "the events before the restart are there");
  }

  @Test
  @Order(7)
  void everyStoreIsBoundedAndRotates() throws IOException {
    Files.writeString(config, "sampleInterval = 0.4\nsegments = 2\nhistoryMaxEntries = 10\nhistoryMaxBytes = 2000\n"
        + "eventsMaxEntries = 40\nmetricsMaxEntries = 6\n");
    Await.until("the new configuration applies (the interval is 0.4 s)", WAIT, () -> objectOrNull("metrics:show --json"),
        o -> o != null && o.getJsonNumber("intervalSeconds").doubleValue() == 0.4);
    for (int i = 1; i <= 15; i++) {
      dist.ok("echo bounded-" + i);
    }
    List<String> history = commands(array("history -n 1000 --json"));
    assertTrue(history.size() <= 10, "at most 10 commands are kept: " + history);
    assertTrue(history.contains("echo bounded-15") && !history.contains("echo bounded-1")
        && !history.contains("echo console-" + MARK), "the oldest are dropped: " + history);
    List<Path> files = segments("history");
    assertTrue(files.size() <= 2, "at most 2 segment files: " + files);
    assertFalse(files.contains(dist.data().resolve("systemlog/history/0000000001.jsonl")), "the first segment rolled away: " + files);
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    assertTrue(bytes <= 2000, "at most 2000 bytes of history on disk: " + bytes);

    Path jar = dist.root().resolve("bounded.jar");
    try (InputStream in = TinyBundles.open(TinyBundles.GOOD_1)) {
      Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    for (int i = 0; i < 3; i++) {
      dist.ok("plugin:install " + jar);
      dist.ok("plugin:uninstall io.dockevos.test.good");
    }
    assertTrue(array("log:events -n 100000 --json").size() <= 40, "at most 40 events are kept");
    assertTrue(segments("events").size() <= 2, "at most 2 event segments: " + segments("events"));
    Await.until("metrics keep at most 6 samples while sampling goes on", WAIT, () -> object("metrics:show --json"),
        o -> o.getInt("samples") >= 4 && Instant.parse(o.getString("from")).isAfter(Instant.now().minusSeconds(4)));
    assertTrue(object("metrics:show --json").getInt("samples") <= 6);
    Files.writeString(config, "sampleInterval = 0.5\n");
    Await.until("the configuration is back to 0.5 s", WAIT, () -> objectOrNull("metrics:show --json"),
        o -> o != null && o.getJsonNumber("intervalSeconds").doubleValue() == 0.5);
    Await.until("the history and event commands are back", WAIT,
        () -> dist.client("log:events -n 1").exit() == 0 && dist.client("history -n 1").exit() == 0);
  }

  @Test
  @Order(8)
  void aKillWhileEventsAreWrittenLeavesReadableStores() throws Exception {
    Path jar = dist.root().resolve("churn.jar");
    try (InputStream in = TinyBundles.open(TinyBundles.GOOD_1)) {
      Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    long pid = dist.pid();
    int before = array("log:events -n 100000 --json").size();
    // Plugins installed and uninstalled one after the other: a stream of plugin, bundle and service events.
    java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread churn = new Thread(() -> {
      while (!stop.get()) {
        dist.client("plugin:install " + jar);
        dist.client("plugin:uninstall io.dockevos.test.good");
        rounds.incrementAndGet();
      }
    }, "churn");
    churn.start();
    Await.until("plugins come and go", WAIT, () -> rounds.get() >= 3);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    stop.set(true);
    Await.until("the runtime is gone", WAIT, () -> !Distribution.alive(pid));
    churn.join(Duration.ofSeconds(60).toMillis());
    assertFalse(churn.isAlive(), "the churn ended");

    // A kill between two write calls leaves half a line; make sure the newest segment ends so.
    List<Path> events = segments("events");
    Path newest = events.get(events.size() - 1);
    Files.writeString(newest, "{\"time\":\"2026-12-01T08:00:00Z\",\"topic\":\"dockevos/torn", StandardOpenOption.APPEND);
    long lines = Files.readAllLines(newest).size();

    dist.start();
    assertEquals(0, dist.client("lb").exit(), "the runtime is up");
    JsonArray logged = array("log:events -n 100000 --json");
    assertTrue(logged.size() >= Math.min(before, 40), "the events load: " + logged.size());
    String log = Await.until("the log reports the torn line with its file and line number", WAIT, dist::logText,
        t -> t.contains(newest + ":" + lines + ": torn last line"));
    assertTrue(log.lines().noneMatch(l -> l.contains("ERROR") && l.contains("system log")), "no error from the system log");
    JsonArray corrupt = array("log:events --topic dockevos/systemlog --json");
    assertTrue(corrupt.getValuesAs(JsonObject.class).stream().anyMatch(e -> e.getJsonObject("properties").getString("file").equals(newest.toString())),
        corrupt::toString);
    assertTrue(Files.readString(newest).endsWith("\n"), "the torn end was cut off");
    dist.ok("echo after-kill-" + MARK);
    assertTrue(commands(array("history --json")).contains("echo after-kill-" + MARK));
  }

  @Test
  @Order(9)
  void aCorruptStoreFileIsReportedAndTheRuntimeStaysUp() throws IOException {
    dist.ensureStarted();
    dist.ok("echo before-corrupt-" + MARK);
    dist.stop();
    List<Path> history = segments("history");
    Path file = history.get(history.size() - 1);
    long good = Files.readAllLines(file).size();
    Files.writeString(file, "this is not JSON\n{\"time\":\"not a time\"}\n", StandardOpenOption.APPEND);
    Path junk = dist.data().resolve("systemlog/metrics/0000099999.jsonl");
    Files.write(junk, new byte[] {0, 1, 2, (byte) 0xff, '\n'});
    dist.start();
    assertEquals(0, dist.client("lb").exit(), "the runtime is up");
    List<String> commands = commands(array("history -n 1000 --json"));
    assertTrue(commands.contains("echo before-corrupt-" + MARK), "the good lines load: " + commands);
    String log = Await.until("the log names each corrupt line", WAIT, dist::logText,
        t -> t.contains(file + ":" + (good + 1) + ": not a valid history entry") && t.contains(file + ":" + (good + 2) + ": not a valid history entry")
            && t.contains(junk + ":1: not a valid metrics entry"));
    assertTrue(log.contains("skipped"), "the log says the line was skipped");
    assertTrue(object("metrics:show --json").getInt("samples") >= 1, "metrics go on");
    dist.ok("echo after-corrupt-" + MARK);
    assertTrue(commands(array("history --json")).contains("echo after-corrupt-" + MARK));
  }
}
