package io.dockevos.e2e;

import static io.dockevos.test.tiny.TinyBundles.ACTION;
import static io.dockevos.test.tiny.TinyBundles.GOOD_1;
import static io.dockevos.test.tiny.TinyBundles.GOOD_2;
import static io.dockevos.test.tiny.TinyBundles.NEEDS_MISSING;
import static io.dockevos.test.tiny.TinyBundles.PROVIDES_MISSING;
import static io.dockevos.test.tiny.TinyBundles.REQUIRES_HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Crash consistency: the runtime is killed with SIGKILL at a random moment of an install, an
 * update, an uninstall, a feature install, a configuration write and a burst of twenty jars dropped
 * into {@code deploy/}, in turn, and started again. After every restart:
 *
 * <ul>
 *   <li>the plugin registry agrees with the framework, location by location, with nothing pending;
 *   <li>everything that was installed and ACTIVE before the kill is still there, ACTIVE, in its version
 *       (a plugin installed with {@code plugin:install}, a jar in {@code deploy/}, earlier bursts);
 *   <li>what the killed change touched is wholly as before or wholly as meant, ACTIVE where present;
 *   <li>nothing half-installed stays: every bundle that is not the runtime's own ends ACTIVE;
 *   <li>every configuration written before the kill is there, with its values;
 *   <li>every JSON file under {@code data/} parses.
 * </ul>
 *
 * <p>{@code -Ddockevos.crash.runs=N} sets the number of kills (30 by default, as in CI; 200 on
 * demand), {@code -Ddockevos.crash.seed=S} replays a run: the seed is printed first.
 */
class CrashConsistencyIT extends UnpackedDistribution {
  private static final int RUNS = Integer.getInteger("dockevos.crash.runs", 30);
  private static final long SEED = Long.getLong("dockevos.crash.seed", System.nanoTime());
  private static final String GOOD = "io.dockevos.test.good";
  private static final String RESIDENT_PLUGIN = "io.dockevos.test.action";
  private static final String RESIDENT_DEPLOYED = "io.dockevos.test.requireshost";
  private static final String FEATURE = "test-crash";
  private static final List<String> FEATURE_BUNDLES = List.of("io.dockevos.test.providesmissing", "io.dockevos.test.needsmissing");
  private static final String FEATURE_PID = "io.dockevos.test.crash.feature";
  private static final int BURST = 20;
  /** How long a restarted runtime may take to finish what it found, on a loaded 2-core machine. */
  private static final Duration SETTLE = Duration.ofSeconds(45);
  private static final Pattern CONFIG_VALUE = Pattern.compile("^PID: (\\S+)$|^\\s+run = (\\d+)$");

  enum Change { INSTALL, UPDATE, UNINSTALL, FEATURE_INSTALL, CONFIGURATION, BURST }

  private static Path jars;
  private static final Random random = new Random(SEED);
  /** The configurations written before a kill: PID to the value of its key {@code run}. */
  private static final Map<String, Integer> configurations = new TreeMap<>();

  @BeforeAll
  static void startWithResidents() throws IOException {
    jars = Files.createDirectories(dist.root().resolve("jars"));
    for (String name : List.of(GOOD_1, GOOD_2, ACTION)) {
      TinyBundles.copyTo(name, jars);
    }
    for (String artifact : List.of("provides-missing", "needs-missing")) {
      Path dir = Files.createDirectories(dist.home().resolve("system/io/dockevos/test/" + artifact + "/1.0.0"));
      TinyBundles.copyTo(artifact.equals("provides-missing") ? PROVIDES_MISSING : NEEDS_MISSING, dir);
      Files.move(dir.resolve(artifact + ".jar"), dir.resolve(artifact + "-1.0.0.jar"), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(dist.home().resolve("system/features/" + FEATURE + ".json"), """
        {
          "id": "io.dockevos.test:test-crash:1.0.0",
          "bundles": [
            { "id": "io.dockevos.test:provides-missing:1.0.0", "start-order": 60 },
            { "id": "io.dockevos.test:needs-missing:1.0.0", "start-order": 61 }
          ],
          "configurations": { "io.dockevos.test.crash.feature": { "run": 1 } }
        }
        """, StandardCharsets.UTF_8);
    TinyBundles.copyTo(REQUIRES_HOST, dist.deploy());
    dist.start();
    dist.ok("plugin:install " + jars.resolve(ACTION));
    awaitSettled("the residents are ACTIVE", Map.of());
    System.out.println("CrashConsistencyIT: " + RUNS + " kills, seed " + SEED + " (-Ddockevos.crash.seed=" + SEED + " replays them)");
  }

  @TestFactory
  Stream<DynamicTest> killAtRandomPointsAndStartAgain() {
    Change[] changes = Change.values();
    return IntStream.rangeClosed(1, RUNS).mapToObj(run -> {
      Change change = changes[(run - 1) % changes.length];
      return DynamicTest.dynamicTest("kill " + run + " of " + RUNS + ": during " + change, () -> killDuring(run, change));
    });
  }

  private void killDuring(int run, Change change) throws Exception {
    Map<String, JsonObject> before = prepare(change);
    String outcome;
    switch (change) {
      case INSTALL -> {
        long delay = killAfterCommand("plugin:install " + jars.resolve(GOOD_1), 1200);
        Map<String, JsonObject> after = awaitSettled("the restart settles", before);
        outcome = after.containsKey(GOOD) ? "installed" : "not installed";
        assertWhole(GOOD, after, "1.0.0");
        outcome += " (killed " + delay + " ms after the command)";
      }
      case UPDATE -> {
        String from = before.get(GOOD).getString("version");
        String to = from.equals("1.0.0") ? "2.0.0" : "1.0.0";
        long delay = killAfterCommand("plugin:update " + GOOD + " " + jars.resolve(to.equals("1.0.0") ? GOOD_1 : GOOD_2), 1200);
        Map<String, JsonObject> after = awaitSettled("the restart settles", before);
        assertTrue(after.containsKey(GOOD), () -> GOOD + " is not lost by a kill during its update: " + after.keySet());
        String now = after.get(GOOD).getString("version");
        assertTrue(now.equals(from) || now.equals(to), () -> GOOD + " is at " + from + " or " + to + ", not " + now);
        outcome = "at " + now + " (from " + from + "; killed " + delay + " ms after the command)";
      }
      case UNINSTALL -> {
        String version = before.get(GOOD).getString("version");
        long delay = killAfterCommand("plugin:uninstall " + GOOD, 1200);
        Map<String, JsonObject> after = awaitSettled("the restart settles", before);
        assertWhole(GOOD, after, version);
        outcome = (after.containsKey(GOOD) ? "still installed" : "uninstalled") + " (killed " + delay + " ms after the command)";
      }
      case FEATURE_INSTALL -> {
        long delay = killAfterCommand("feature:install " + FEATURE, 1500);
        Map<String, JsonObject> after = awaitSettled("the restart settles", before);
        boolean installed = featureInstalled();
        for (String bsn : FEATURE_BUNDLES) {
          assertEquals(installed, after.containsKey(bsn), () -> "the feature is " + (installed ? "" : "not ")
              + "installed, and so is " + bsn + ": " + after.keySet());
        }
        String config = dist.client("config:get " + FEATURE_PID).out();
        assertEquals(installed, config.contains("run = 1"), () -> "the feature's configuration goes with it: " + config);
        outcome = (installed ? "installed" : "not installed") + " (killed " + delay + " ms after the command)";
      }
      case CONFIGURATION -> {
        String pid = "io.dockevos.test.crash.run" + run;
        Path file = dist.deploy().resolve(pid + ".cfg");
        Path temp = dist.deploy().resolve("." + pid + ".cfg.part");
        Files.writeString(temp, "# written by CrashConsistencyIT\nrun = " + run + "\n");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        long delay = random.nextInt(400);
        Await.sleep(delay);
        dist.kill();
        dist.start();
        configurations.put(pid, run); // the file is in deploy/: the restarted runtime applies it
        awaitSettled("the restart settles", before);
        outcome = "killed " + delay + " ms after " + file.getFileName() + " was dropped";
      }
      case BURST -> {
        List<Path> temps = new ArrayList<>();
        for (int k = 0; k < BURST; k++) {
          Path temp = dist.deploy().resolve(String.format(".crash-burst-%02d.jar.part", k));
          Files.write(temp, TinyBundles.renamed(GOOD_1, burstName(k)));
          temps.add(temp);
        }
        int killAt = random.nextInt(BURST);
        long delay = random.nextInt(300);
        for (int k = 0; k < BURST; k++) {
          Files.move(temps.get(k), dist.deploy().resolve(String.format("crash-burst-%02d.jar", k)), StandardCopyOption.ATOMIC_MOVE);
          Await.sleep(5);
          if (k == killAt) {
            Await.sleep(delay);
            dist.kill();
          }
        }
        dist.start();
        List<String> burst = IntStream.range(0, BURST).mapToObj(CrashConsistencyIT::burstName).toList();
        try {
          Await.until("every jar of the burst is installed after the restart", SETTLE, CrashConsistencyIT::plugins,
              p -> p.keySet().containsAll(burst));
        } catch (AssertionError e) {
          List<String> missing = new ArrayList<>(burst);
          missing.removeAll(plugins().keySet());
          throw new AssertionError("dropped into deploy/ around a kill, not installed after the restart: " + missing, e);
        }
        awaitSettled("the restart settles", before);
        outcome = "killed " + delay + " ms after jar " + (killAt + 1) + " of " + BURST + " was dropped";
        removeBurst();
      }
      default -> throw new IllegalStateException(change.toString());
    }
    System.out.println("kill " + run + " of " + RUNS + " during " + change + ": " + outcome);
  }

  /**
   * Brings the runtime where {@code change} can start from: {@link #GOOD} absent for an install,
   * present for an update or an uninstall, the test feature not installed for its install.
   *
   * @return the plugins before the change, by symbolic name
   */
  private Map<String, JsonObject> prepare(Change change) {
    Map<String, JsonObject> now = plugins();
    switch (change) {
      case INSTALL -> {
        if (now.containsKey(GOOD)) {
          dist.ok("plugin:uninstall " + GOOD);
        }
      }
      case UPDATE, UNINSTALL -> {
        if (!now.containsKey(GOOD)) {
          dist.ok("plugin:install " + jars.resolve(GOOD_1));
        }
      }
      case FEATURE_INSTALL -> {
        if (featureInstalled()) {
          dist.ok("feature:uninstall " + FEATURE);
        }
      }
      default -> {
        return now;
      }
    }
    return plugins();
  }

  /** Runs {@code command} through {@code bin/dockevos client} and kills the runtime at a random moment of it. */
  private long killAfterCommand(String command, int maxDelayMillis) throws InterruptedException {
    Process client = dist.launch(dist.root(), Map.of(), List.of(dist.script().toString(), "client", command));
    long delay = random.nextInt(maxDelayMillis);
    Await.sleep(delay);
    dist.kill();
    client.waitFor(20, TimeUnit.SECONDS);
    dist.start();
    return delay;
  }

  /**
   * Waits until every bundle that is not the runtime's own is ACTIVE, then checks what holds after
   * every kill: what was there before is still there (but {@link #GOOD} and the test feature, which
   * the change touches), the registry agrees with the framework, the configurations are there, the
   * JSON files under data/ parse.
   *
   * @return the plugins, by symbolic name
   */
  private static Map<String, JsonObject> awaitSettled(String what, Map<String, JsonObject> before) {
    Map<String, JsonObject> after;
    try {
      after = Await.until(what + ": every plugin ACTIVE", SETTLE, CrashConsistencyIT::plugins,
          p -> p.values().stream().allMatch(o -> o.getString("state").equals("ACTIVE")));
    } catch (AssertionError e) {
      Map<String, JsonObject> now = plugins();
      StringBuilder stuck = new StringBuilder();
      now.values().stream().filter(o -> !o.getString("state").equals("ACTIVE")).forEach(o -> stuck.append("\n  ")
          .append(o.getString("symbolicName")).append(' ').append(o.getString("state")).append(" (")
          .append(o.getString("source")).append("): ").append(o.isNull("reason") ? "no reason given" : o.getString("reason")));
      throw new AssertionError("half-installed bundles stay after the restart, unaccounted for:" + stuck, e);
    }
    for (JsonObject p : before.values()) {
      String bsn = p.getString("symbolicName");
      if (bsn.equals(GOOD) || FEATURE_BUNDLES.contains(bsn)) {
        continue;
      }
      JsonObject now = after.get(bsn);
      assertTrue(now != null && now.getString("version").equals(p.getString("version")),
          () -> bsn + " " + p.getString("version") + ", installed before the kill, is lost: " + now);
    }
    for (String bsn : List.of(RESIDENT_PLUGIN, RESIDENT_DEPLOYED)) {
      assertTrue(after.containsKey(bsn), () -> "the resident " + bsn + " is there: " + after.keySet());
    }
    dist.assertRegistryAgreesWithFramework();
    Map<String, Integer> expected = new TreeMap<>(configurations);
    if (!expected.isEmpty()) {
      Map<String, Integer> found = Await.until("the configurations written before the kill are there", SETTLE,
          CrashConsistencyIT::configurations, c -> c.equals(expected));
      assertEquals(expected, found);
    }
    dist.assertJsonFilesParse();
    return after;
  }

  /** Asserts that {@code bsn} is either absent or there in {@code version}, and ACTIVE. */
  private static void assertWhole(String bsn, Map<String, JsonObject> after, String version) {
    JsonObject p = after.get(bsn);
    if (p != null) {
      assertEquals(version, p.getString("version"), () -> bsn + " is there in " + version + ": " + p);
      assertEquals("ACTIVE", p.getString("state"), () -> bsn + " is ACTIVE where present: " + p);
    }
  }

  /** Deletes the burst's jars from deploy/ and waits until their bundles are gone. */
  private static void removeBurst() throws IOException {
    for (int k = 0; k < BURST; k++) {
      Files.deleteIfExists(dist.deploy().resolve(String.format("crash-burst-%02d.jar", k)));
    }
    Await.until("the burst's bundles are uninstalled once their jars are deleted", SETTLE, CrashConsistencyIT::plugins,
        p -> p.keySet().stream().noneMatch(bsn -> bsn.startsWith("io.dockevos.test.crashburst")));
  }

  private static String burstName(int k) {
    return String.format("io.dockevos.test.crashburst%02d", k);
  }

  /** @return the bundles that are not the runtime's own, by symbolic name, as {@code plugin:list --json} shows them */
  private static Map<String, JsonObject> plugins() {
    Map<String, JsonObject> plugins = new LinkedHashMap<>();
    for (JsonObject p : Json.createReader(new StringReader(dist.ok("plugin:list --json").out())).readArray()
        .getValuesAs(JsonObject.class)) {
      plugins.put(p.getString("symbolicName"), p);
    }
    return plugins;
  }

  private static boolean featureInstalled() {
    return Json.createReader(new StringReader(dist.ok("feature:list --json").out())).readArray().getValuesAs(JsonObject.class)
        .stream().anyMatch(f -> f.getString("name").equals(FEATURE) && f.getBoolean("installed"));
  }

  /** @return the test's configurations that {@code config:list} shows: PID to the value of {@code run} */
  private static Map<String, Integer> configurations() {
    Map<String, Integer> found = new TreeMap<>();
    String pid = null;
    for (String line : dist.client("config:list '(service.pid=io.dockevos.test.crash.run*)'").out().split("\\R")) {
      Matcher m = CONFIG_VALUE.matcher(line);
      if (m.matches() && m.group(1) != null) {
        pid = m.group(1);
      } else if (m.matches() && pid != null) {
        found.put(pid, Integer.parseInt(m.group(2)));
      }
    }
    return found;
  }
}
