package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's error-recovery flow in the real distribution, with the real error handler, assistant
 * and system log: a plugin whose import is missing → an incident → {@code assist:analyze} names the
 * package and the bundle in {@code system/} → {@code assist:fix --yes} installs it → the plugin is
 * ACTIVE and the incident FIXED, with REPORTED, SUGGESTED, APPLIED and RESOLVED in that order; and
 * after a restart the incident, the command history and the metrics are still there.
 */
class RecoveryFlowIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NEEDS = "io.dockevos.test.needsmissing";
  private static final String PROVIDES = "io.dockevos.test.providesmissing";
  private static final String SYSTEM_JAR = Distribution.MISSING_PROVIDER;
  private static final List<String> FLOW = List.of("dockevos/error/REPORTED", "dockevos/assist/SUGGESTED",
      "dockevos/assist/APPLIED", "dockevos/error/RESOLVED");

  private static List<JsonObject> array(String command) {
    return Json.createReader(new StringReader(dist.ok(command).out())).readArray().stream()
        .map(JsonValue::asJsonObject).toList();
  }

  private static Optional<JsonObject> incidentOf(String bsn) {
    return array("error:list --all --json").stream().filter(i -> bsn.equals(i.getString("pluginId", null))).findFirst();
  }

  private static boolean active(String bsn) {
    return dist.ok("plugin:list").out().lines().anyMatch(l -> l.contains(bsn) && l.contains("ACTIVE"));
  }

  @Test
  void aMissingImportIsRecordedAnalysedFixedAndRememberedAcrossARestart() throws Exception {
    dist.provideTheMissingPackage();
    Path plugin = TinyBundles.copyTo(TinyBundles.NEEDS_MISSING, dist.root());
    dist.start();
    Instant before = Instant.now().minusSeconds(1);

    // 1-2. A plugin whose imported package is missing: the install is refused, and an incident appears.
    // --no-deps: from the repositories the install pipeline would take the provider in system/ by itself.
    Result install = dist.fails("plugin:install --no-deps " + plugin);
    assertTrue(install.err().contains("io.dockevos.test.missing"), install::toString);
    JsonObject incident = Await.until("an incident for " + NEEDS, WAIT, () -> incidentOf(NEEDS), Optional::isPresent).get();
    String id = incident.getString("id");
    assertEquals("OPEN", incident.getString("status"), incident::toString);

    // 3. The assistant names the missing package and the bundle in system/ that exports it.
    Result analyze = dist.ok("assist:analyze " + id);
    assertTrue(analyze.out().contains("io.dockevos.test.missing"), analyze::toString);
    assertTrue(analyze.out().contains(SYSTEM_JAR), analyze::toString);
    assertTrue(analyze.out().contains("install " + PROVIDES), analyze::toString);

    // 4. assist:fix --yes installs it; the plugin is ACTIVE and the incident FIXED.
    Result fix = dist.ok("assist:fix --yes " + id);
    assertTrue(fix.out().contains(id + " is FIXED."), fix::toString);
    assertTrue(active(NEEDS) && active(PROVIDES), () -> dist.client("plugin:list").toString());
    Await.until("the incident is FIXED", WAIT, () -> incidentOf(NEEDS).orElseThrow().getString("status"), "FIXED"::equals);

    // 5. The flow's events, in order.
    List<String> flow = Await.until("the flow's four events are logged", WAIT, () -> array("log:events --since " + before
        + " -n 100000 --json").stream()
        .filter(e -> FLOW.contains(e.getString("topic")))
        .filter(e -> id.equals(e.getJsonObject("properties").getString("incident.id", null)))
        .map(e -> e.getString("topic")).distinct().toList(), l -> l.size() == FLOW.size());
    assertEquals(FLOW, flow, "REPORTED, SUGGESTED, APPLIED and RESOLVED, in that order");

    // 6. After a restart: the incident, the command history and the metrics are still there.
    JsonObject metricsBefore = Json.createReader(new StringReader(dist.ok("metrics:show --json").out())).readObject();
    dist.stop();
    dist.start();
    JsonObject after = incidentOf(NEEDS).orElseThrow(() -> new AssertionError("the incident survives the restart"));
    assertEquals(id, after.getString("id"));
    assertEquals("FIXED", after.getString("status"));
    Result history = dist.ok("history -s assist:fix");
    assertTrue(history.out().contains("assist:fix --yes " + id), history::toString);
    JsonObject metricsAfter = Json.createReader(new StringReader(dist.ok("metrics:show --json").out())).readObject();
    assertEquals(metricsBefore.getString("from"), metricsAfter.getString("from"), "the metrics' series goes on from before the restart");
  }
}
