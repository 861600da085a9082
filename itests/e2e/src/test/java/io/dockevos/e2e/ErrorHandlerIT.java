package io.dockevos.e2e;

import static io.dockevos.test.tiny.TinyBundles.ACTION;
import static io.dockevos.test.tiny.TinyBundles.HEALTH;
import static io.dockevos.test.tiny.TinyBundles.LOGS_ERROR;
import static io.dockevos.test.tiny.TinyBundles.NEEDS_MISSING;
import static io.dockevos.test.tiny.TinyBundles.PROVIDES_MISSING;
import static io.dockevos.test.tiny.TinyBundles.PROVIDES_WANTED;
import static io.dockevos.test.tiny.TinyBundles.THROWS;
import static io.dockevos.test.tiny.TinyBundles.UNSATISFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The error handler in a running instance: failures are caused for real (tiny bundles dropped into
 * {@code deploy/} or installed, an action called with bad input, a component left unsatisfied), and
 * read as a user reads them, from {@code error:*}, {@code data/errors/incidents.json} and the log.
 * The restart tests come last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErrorHandlerIT extends UnpackedDistribution {
  private static final Duration SEEN = Duration.ofSeconds(20);

  @BeforeAll
  static void startInstance() throws IOException {
    // A short grace period, so that an unsatisfied component is an incident within seconds.
    Files.writeString(dist.home().resolve("etc/dockevos.errors.cfg"), "gracePeriodSeconds = 2\n");
    dist.start();
  }

  private static List<JsonObject> incidents() {
    Result r = dist.ok("error:list --all --json");
    return Json.createReader(new StringReader(r.out())).readArray().stream().map(JsonValue::asJsonObject).toList();
  }

  private static Optional<JsonObject> incident(Predicate<JsonObject> p) {
    return incidents().stream().filter(p).findFirst();
  }

  private static JsonObject await(String what, Predicate<JsonObject> p) {
    return Await.until(what, SEEN, () -> incident(p), Optional::isPresent).get();
  }

  private static Predicate<JsonObject> plugin(String bsn) {
    return i -> bsn.equals(i.getString("pluginId", null));
  }

  private static String prop(JsonObject i, String key) {
    return i.getJsonObject("properties").getString(key, null);
  }

  private static Path tiny(String name) {
    return TinyBundles.copyTo(name, dist.root());
  }

  @Test
  @Order(1)
  void aMissingImportIsAnIncidentWithTheRequirementAndIsFixedWhenTheProviderComes() throws IOException {
    TinyBundles.copyTo(NEEDS_MISSING, dist.deploy());
    // The deploy folder and the plugin manager both report it: one incident, with the file once both did.
    JsonObject i = await("an incident for needs-missing, with its file", plugin("io.dockevos.test.needsmissing")
        .and(x -> prop(x, "file") != null));
    assertEquals("OPEN", i.getString("status"));
    assertEquals(1, incidents().stream().filter(plugin("io.dockevos.test.needsmissing")).count(), incidents()::toString);
    assertEquals("ERROR", i.getString("severity"));
    assertEquals("osgi.wiring.package; (&(osgi.wiring.package=io.dockevos.test.missing)(version>=1.0.0)"
        + "(!(version>=2.0.0)))", prop(i, "requirement"), i::toString);
    assertEquals("io.dockevos.test.needsmissing", prop(i, "bundle.symbolicName"));
    assertEquals(dist.deploy().resolve(NEEDS_MISSING).toString(), prop(i, "file"));
    assertEquals("FAILING", healthOf("io.dockevos.test.needsmissing"));
    String id = i.getString("id");

    TinyBundles.copyTo(PROVIDES_MISSING, dist.deploy());
    JsonObject fixed = await("the incident is FIXED once the provider is there",
        x -> x.getString("id").equals(id) && x.getString("status").equals("FIXED"));
    assertTrue(prop(fixed, "resolved.by").contains("ACTIVE") || prop(fixed, "resolved.by").contains("works again"),
        fixed::toString);
    assertEquals("HEALTHY", healthOf("io.dockevos.test.needsmissing"));
    Await.until("the log says it is fixed", SEEN, () -> log().contains("Incident " + id + " is fixed"));
    assertFalse(dist.ok("error:list").out().contains(id + " "), "a fixed incident leaves error:list");
  }

  @Test
  @Order(0)
  void aFailedInstallIsAnIncidentWithTheRequirement() {
    Result r = dist.fails("plugin:install " + tiny(NEEDS_MISSING));
    assertTrue(r.err().toLowerCase(java.util.Locale.ROOT).contains("nothing was installed"), r::toString);
    JsonObject i = await("an incident for the failed install", plugin("io.dockevos.test.needsmissing"));
    assertEquals("osgi.wiring.package; (&(osgi.wiring.package=io.dockevos.test.missing)(version>=1.0.0)"
        + "(!(version>=2.0.0)))", prop(i, "requirement"), i::toString);
    assertEquals("dockevos/plugin/FAILED", prop(i, "event.topic"));
    Result recheck = dist.ok("error:recheck " + i.getString("id"));
    assertTrue(recheck.out().contains("cannot be re-checked"), recheck::toString);
    dist.ok("error:clear " + i.getString("id"));
  }

  @Test
  @Order(1)
  void aCorruptDeployFileIsAnIncidentUntilItIsReplacedByAGoodOne() throws IOException {
    byte[] random = new byte[4096];
    new java.util.Random(7).nextBytes(random);
    Path file = dist.deploy().resolve("broken.jar");
    Files.write(file, random);
    JsonObject i = Await.until("an incident for deploy/broken.jar", Duration.ofSeconds(40),
        () -> incident(x -> file.toString().equals(prop(x, "file"))), Optional::isPresent).get();
    assertEquals("deploy", i.getString("source"));
    assertEquals("OPEN", i.getString("status"));
    try (var in = TinyBundles.open(io.dockevos.test.tiny.TinyBundles.GOOD_1)) {
      Path temp = dist.root().resolve("good.tmp");
      Files.write(temp, in.readAllBytes());
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    JsonObject fixed = await("FIXED once deploy/broken.jar works",
        x -> x.getString("id").equals(i.getString("id")) && x.getString("status").equals("FIXED"));
    assertTrue(prop(fixed, "resolved.by").contains("broken.jar"), fixed::toString);
    Files.delete(file);
  }

  @Test
  @Order(1)
  void aFailedDeployFileThatIsDeletedIsNoLongerAnIncident() throws IOException {
    Path file = dist.deploy().resolve("deleted.jar");
    Files.writeString(file, "not a jar");
    JsonObject i = Await.until("an incident for deploy/deleted.jar", Duration.ofSeconds(40),
        () -> incident(x -> file.toString().equals(prop(x, "file"))), Optional::isPresent).get();
    assertEquals("OPEN", i.getString("status"));
    Files.delete(file);
    JsonObject fixed = await("FIXED once deploy/deleted.jar is gone",
        x -> x.getString("id").equals(i.getString("id")) && x.getString("status").equals("FIXED"));
    assertEquals("the file was removed from deploy/", prop(fixed, "resolved.by"), fixed::toString);
  }

  /** Issue 17, row 21: a jar that installs but fails (here: its activator throws), then deleted. */
  @Test
  @Order(1)
  void aFailingDeployedBundleThatIsDeletedIsNoLongerAnIncident() throws IOException {
    Path file = dist.deploy().resolve("throws-then-deleted.jar");
    try (var in = TinyBundles.open(io.dockevos.test.tiny.TinyBundles.THROWS)) {
      Path temp = dist.root().resolve("throws.tmp");
      Files.write(temp, in.readAllBytes());
      Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    JsonObject i = Await.until("an incident for deploy/throws-then-deleted.jar", Duration.ofSeconds(40),
        () -> incident(x -> file.toString().equals(prop(x, "file")) && x.getString("status").equals("OPEN")),
        Optional::isPresent).get();
    Files.delete(file);
    JsonObject fixed = await("FIXED once deploy/throws-then-deleted.jar is gone",
        x -> x.getString("id").equals(i.getString("id")) && x.getString("status").equals("FIXED"));
    assertEquals("the file was removed from deploy/", prop(fixed, "resolved.by"), fixed::toString);
    dist.ok("error:clear " + i.getString("id")); // the tests that follow count this plugin's failures afresh
  }

  @Test
  @Order(2)
  void theSameFailureThreeTimesIsOneIncidentWithItsStack() {
    Path jar = tiny(THROWS);
    for (int k = 0; k < 3; k++) {
      dist.fails("plugin:install " + jar);
    }
    JsonObject i = await("one incident counted 3 times", plugin("io.dockevos.test.throws").and(x -> x.getInt("count") == 3));
    assertEquals(1, incidents().stream().filter(plugin("io.dockevos.test.throws")).count(), incidents()::toString);
    assertEquals("java.lang.IllegalStateException", prop(i, "exception"));
    assertEquals("tiny bundle refuses to start", prop(i, "message"));
    Result show = dist.ok("error:show " + i.getString("id"));
    assertTrue(show.out().contains("Count:       3"), show::toString);
    assertTrue(show.out().contains("exception = java.lang.IllegalStateException"), show::toString);
    assertTrue(show.out().contains("Caused by: java.lang.IllegalStateException: tiny bundle refuses to start"),
        show::toString);
    assertTrue(show.out().contains("at io.dockevos.test.throwing.RefusingActivator.start"), show::toString);
  }

  @Test
  @Order(3)
  void anErrorLogEntryIsAnIncident() {
    dist.ok("plugin:install " + tiny(LOGS_ERROR));
    JsonObject i = await("an incident for the ERROR log entry", plugin("io.dockevos.test.logserror"));
    assertEquals("log", i.getString("source"));
    assertEquals("tiny bundle logs an error", prop(i, "message"));
    assertEquals("java.lang.IllegalArgumentException", prop(i, "exception"));
    assertTrue(i.getString("detail").contains("tiny failure"), i::toString);
  }

  @Test
  @Order(4)
  void anActionsInvalidInputIsTheUsersErrorNotAnIncident() throws InterruptedException {
    dist.ok("plugin:install " + tiny(ACTION));
    Result r = dist.client("action:echo");
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.all().contains("text"), () -> "the answer names the missing input\n" + r);
    // Issue 15: the user is told; the runtime did not fail, so nothing is opened (a failed action
    // of another kind is an incident: ErrorHandlerTest in itests/osgi).
    Await.until("the action's failure is in the event log", SEEN,
        () -> dist.client("log:events --topic dockevos/action/FAILED -n 5"), x -> x.out().contains("INVALID_INPUT"));
    Thread.sleep(1000);
    assertEquals(Optional.empty(), incident(x -> "action".equals(x.getString("source"))));
  }

  @Test
  @Order(5)
  void aComponentUnsatisfiedPastTheGracePeriodIsAnIncidentUntilItIsSatisfied() {
    // --no-gate: the health gate would refuse it, rightly; here it is to stay and be an incident.
    dist.ok("plugin:install --no-gate " + tiny(UNSATISFIED));
    JsonObject i = await("an incident for the unsatisfied component", plugin("io.dockevos.test.unsatisfied"));
    assertEquals("component", i.getString("source"));
    assertEquals("io.dockevos.test.unsatisfied.NeedsWanted", prop(i, "component.name"));
    assertEquals("io.dockevos.test.wanted.Wanted", prop(i, "reference.interface"));
    assertEquals("UNSATISFIED_REFERENCE", prop(i, "component.state"));
    Result recheck = dist.ok("error:recheck " + i.getString("id"));
    assertTrue(recheck.out().contains("still there"), recheck::toString);

    dist.ok("plugin:install " + tiny(PROVIDES_WANTED));
    await("FIXED once a Wanted service is there",
        x -> x.getString("id").equals(i.getString("id")) && x.getString("status").equals("FIXED"));
  }

  @Test
  @Order(6)
  void aPluginsOwnHealthCheckIsItsHealth() throws IOException {
    // Felix Health Checks core is not booted: nothing is there to run yet.
    assertTrue(dist.ok("feature:list").out().lines()
        .anyMatch(l -> l.startsWith("dockevos-health ") && l.contains("AVAILABLE")), "dockevos-health is not installed at boot");
    assertTrue(dist.ok("lb").out().lines().noneMatch(l -> l.contains("Health Check Core")), "no Health Check Core at boot");
    dist.ok("plugin:install " + tiny(HEALTH));
    String bsn = "io.dockevos.test.health";
    assertEquals("HEALTHY", healthOf(bsn));
    // Its first run installed the feature with the executor, and hc:exec runs the plugin's check too.
    assertTrue(dist.ok("feature:list").out().lines()
        .anyMatch(l -> l.startsWith("dockevos-health ") && l.contains("INSTALLED")), "dockevos-health installed on demand");
    Result exec = dist.ok("hc:exec -t tiny");
    assertTrue(exec.out().contains("tiny.health"), exec::toString);
    Path flag = dist.data().resolve("tiny-health-critical");
    Files.writeString(flag, "");
    assertEquals("FAILING", healthOf(bsn));
    Result one = dist.ok("error:health " + bsn);
    assertTrue(one.out().contains("tiny.health CRITICAL: the flag"), one::toString);
    Files.delete(flag);
    assertEquals("HEALTHY", healthOf(bsn));
    Result table = dist.ok("error:health");
    assertTrue(table.out().lines().anyMatch(l -> l.startsWith(bsn + " ") && l.contains("HEALTHY")
        && l.contains("tiny.health OK")), table::toString);
  }

  @Test
  @Order(7)
  void ignoreAndClear() {
    Result rep = dist.ok("error:report --plugin io.dockevos.test.reported a plugin reported this");
    String id = rep.out().replaceAll("(?s).*as (E\\d+).*", "$1").strip();
    assertEquals("FAILING", healthOf("io.dockevos.test.reported"));
    assertTrue(dist.ok("error:ignore " + id).out().contains(id + " is IGNORED"));
    assertEquals("HEALTHY", healthOf("io.dockevos.test.reported"), "an ignored incident does not count");
    assertFalse(dist.ok("error:list").out().contains(id + " "));
    assertTrue(dist.ok("error:list --all").out().contains(id + " "));
    Result clear = dist.ok("error:clear");
    assertTrue(clear.out().matches("(?s)Cleared [1-9]\\d* incidents? \\(fixed and ignored\\).*"), clear::toString);
    assertTrue(incidents().stream().noneMatch(x -> x.getString("id").equals(id)));
    assertTrue(incidents().stream().noneMatch(x -> x.getString("status").equals("FIXED")));
    // An open incident goes by its id (one of its own: the restart below counts on the others).
    String open = dist.ok("error:report --plugin io.dockevos.test.reported reported once more").out()
        .replaceAll("(?s).*as (E\\d+).*", "$1").strip();
    assertTrue(incidents().stream().anyMatch(x -> x.getString("id").equals(open) && x.getString("status").equals("OPEN")));
    dist.ok("error:clear " + open);
    assertTrue(incidents().stream().noneMatch(x -> x.getString("id").equals(open)));
    Result unknown = dist.fails("error:show E999999");
    assertTrue(unknown.err().contains("No incident E999999"), unknown::toString);
  }

  @Test
  @Order(8)
  void incidentsSurviveARestart() {
    List<JsonObject> before = incidents();
    assertFalse(before.isEmpty());
    dist.stop();
    dist.start();
    List<JsonObject> after = incidents();
    assertEquals(before.stream().map(i -> i.getString("id") + " " + i.getString("status")).sorted().toList(),
        after.stream().map(i -> i.getString("id") + " " + i.getString("status")).sorted().toList());
    // The throwing plugin is not installed (its installs failed): its count stays. logs-error logs again
    // as it starts again, and is counted once more, in the same incident.
    JsonObject throwsBefore = before.stream().filter(plugin("io.dockevos.test.throws")).findFirst().orElseThrow();
    JsonObject throwsAfter = after.stream().filter(plugin("io.dockevos.test.throws")).findFirst().orElseThrow();
    assertEquals(throwsBefore.toString(), throwsAfter.toString());
    JsonObject logged = await("logs-error counted again after the restart",
        plugin("io.dockevos.test.logserror").and(i -> i.getInt("count") == 2));
    assertEquals(before.stream().filter(plugin("io.dockevos.test.logserror")).findFirst().orElseThrow()
        .getString("id"), logged.getString("id"));
  }

  @Test
  @Order(9)
  void aKillDuringAStormOfErrorsLeavesAReadableStore() throws Exception {
    long pid = dist.pid();
    CompletableFuture<Result> storm = CompletableFuture.supplyAsync(
        () -> dist.client("error:report --count 1000000 --distinct storm"));
    Path file = dist.data().resolve("errors/incidents.json");
    Await.until("the storm is written to the store", SEEN, () -> {
      try {
        return Files.readString(file).contains("storm #");
      } catch (IOException e) {
        return false;
      }
    });
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    Await.until("the runtime is gone", SEEN, () -> !Distribution.alive(pid));
    storm.get();
    JsonObject store = Json.createReader(new StringReader(Files.readString(file))).readObject();
    assertTrue(store.getJsonArray("incidents").size() > 0);
    assertTrue(store.getJsonArray("incidents").size() <= 500, "bounded by maxIncidents");
    dist.start();
    assertTrue(incidents().stream().anyMatch(i -> i.getString("summary").startsWith("storm #")));
    assertTrue(log().lines().noneMatch(l -> l.contains("cannot be read")), "the store was not corrupt");
  }

  @Test
  @Order(10)
  void aCorruptStoreIsMovedAsideAndTheRuntimeStaysUp() throws IOException {
    dist.stop();
    Path file = dist.data().resolve("errors/incidents.json");
    Files.writeString(file, "{\"format\": 1, \"nextId\": 3, \"incid");
    dist.start();
    Result list = dist.ok("error:list --all");
    assertTrue(list.out().contains("No incidents") || list.out().contains("ID "), list::toString);
    List<Path> aside;
    try (Stream<Path> s = Files.list(file.getParent())) {
      aside = s.filter(p -> p.getFileName().toString().startsWith("incidents.json.corrupt-")).toList();
    }
    assertEquals(1, aside.size(), "moved aside: " + aside);
    assertEquals("{\"format\": 1, \"nextId\": 3, \"incid", Files.readString(aside.get(0)));
    String log = Await.until("the log names the moved file", SEEN, ErrorHandlerIT::log,
        l -> l.contains(aside.get(0).toString()));
    assertTrue(log.contains("cannot be read"), log);
    dist.ok("plugin:list");
  }

  private static String healthOf(String bsn) {
    Result r = dist.ok("error:health " + bsn);
    return r.out().lines().findFirst().orElse("").replace(bsn + ": ", "").strip();
  }

  private static String log() {
    try {
      return Files.readString(dist.log());
    } catch (IOException e) {
      return "";
    }
  }
}
