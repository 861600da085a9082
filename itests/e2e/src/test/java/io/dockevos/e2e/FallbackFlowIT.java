package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's end-to-end flow against the real distribution and a real engine: with the engine UP a
 * job runs in a container; the engine stops, and the DOWN event, an incident and the fallback's
 * ACTIVATED follow, and the same job runs as a local process; the engine starts again, and the
 * fallback steps back. The engine that stops is a second Podman service of the test's own, on its own
 * socket, over the storage of {@code .ci/engine.sh}'s engine, so that the build's engine stays up.
 */
class FallbackFlowIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(40);
  /** The test image has two users, root and nobody; the host has more, {@code daemon} among them. */
  private static final String IN_CONTAINER = "nobody:x:65534:65534:nobody:/:/bin/sh";

  private static Engine engine;
  private static Path socket;
  private static Process service;

  @BeforeAll
  static void startEngineAndInstance() throws IOException {
    engine = Engine.required();
    socket = dist.root().resolve("flow-engine.sock");
    service = startService();
    Files.writeString(dist.home().resolve("etc/dockevos.docker.cfg"),
        "docker.host = unix://" + socket + "\nrunner.image = " + engine.image() + "\nping.interval.ms = 500\n");
    dist.start();
    dist.ok("feature:install dockevos-docker");
    dist.ok("feature:install dockevos-alternative");
    Await.until("docker:engine says UP", WAIT, () -> dist.client("docker:engine").out(), o -> o.contains("state:    UP"));
  }

  @AfterAll
  static void stopEngine() {
    if (service != null && service.isAlive()) {
      if (dist.running()) {
        dist.client("docker:ps -a");
      }
      service.destroy();
    }
  }

  /** {@code podman system service} on the test's socket, with the build engine's configuration. */
  private static Process startService() throws IOException {
    Path engineDir = Path.of(engine.host().substring("unix://".length())).getParent();
    ProcessBuilder pb = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
        .redirectErrorStream(true).redirectOutput(dist.root().resolve("flow-engine.log").toFile());
    pb.environment().put("CONTAINERS_CONF", engineDir.resolve("conf/containers.conf").toString());
    pb.environment().put("CONTAINERS_STORAGE_CONF", engineDir.resolve("conf/storage.conf").toString());
    Process p = pb.start();
    Await.until("the test's engine socket exists", WAIT, () -> Files.exists(socket), ok -> ok);
    return p;
  }

  private static void stopService() throws InterruptedException, IOException {
    service.destroy();
    assertTrue(service.waitFor(30, TimeUnit.SECONDS), "the test's engine stops on SIGTERM");
    Files.deleteIfExists(socket);
  }

  private static List<JsonObject> events(String topic, Instant since) {
    Result r = dist.ok("log:events --topic " + topic + " --since " + since + " --json");
    return Json.createReader(new StringReader(r.out())).readArray().stream().map(JsonValue::asJsonObject).toList();
  }

  private static List<JsonObject> engineIncidents() {
    Result r = dist.ok("error:list --all --json");
    return Json.createReader(new StringReader(r.out())).readArray().stream().map(JsonValue::asJsonObject)
        .filter(i -> "docker".equals(i.getString("source", null))).toList();
  }

  @Test
  void theFallbackTakesOverWhenTheEngineStopsAndStepsBackWhenItReturns() throws Exception {
    // 1. The engine is UP: a container runs, and so does fallback:run.
    Result run = dist.ok("docker:run --rm " + engine.image() + " echo hello from a container");
    assertTrue(run.out().contains("hello from a container"), run::toString);
    Result status = dist.ok("fallback:status");
    assertTrue(status.out().startsWith("runner: container"), status::toString);
    Result inContainer = dist.ok("fallback:run cat /etc/passwd");
    assertTrue(inContainer.out().contains(IN_CONTAINER) && !inContainer.out().contains("daemon:"),
        () -> "fallback:run runs in the test image's container\n" + inContainer);

    // 2. The engine stops: DOWN, an incident, the fallback ACTIVATED, and jobs run as local processes.
    Instant stopped = Instant.now();
    stopService();
    Await.until("docker:engine says DOWN", WAIT, () -> dist.client("docker:engine").out(), o -> o.contains("state:    DOWN"));
    Await.until("the DOWN event is logged", WAIT, () -> events("dockevos/docker/engine/DOWN", stopped), e -> !e.isEmpty());
    List<JsonObject> activated = Await.until("the fallback is ACTIVATED", WAIT,
        () -> events("dockevos/fallback/ACTIVATED", stopped), e -> !e.isEmpty());
    assertEquals("process", activated.get(0).getJsonObject("properties").getString("implementation"), activated::toString);
    JsonObject incident = Await.until("an incident opens for the engine", WAIT, FallbackFlowIT::engineIncidents,
        l -> l.stream().anyMatch(i -> "OPEN".equals(i.getString("status")))).stream()
        .filter(i -> "OPEN".equals(i.getString("status"))).findFirst().orElseThrow();
    status = dist.ok("fallback:status");
    assertTrue(status.out().startsWith("runner: process (fallback)"), status::toString);
    Result local = dist.ok("fallback:run cat /etc/passwd");
    assertTrue(local.out().contains("daemon:"), () -> "fallback:run now runs as a local process\n" + local);

    // 3. The engine starts again: the fallback steps back, and the incident is fixed.
    Instant started = Instant.now();
    service = startService();
    Await.until("docker:engine says UP again", WAIT, () -> dist.client("docker:engine").out(), o -> o.contains("state:    UP"));
    List<JsonObject> deactivated = Await.until("the fallback is DEACTIVATED", WAIT,
        () -> events("dockevos/fallback/DEACTIVATED", started), e -> !e.isEmpty());
    assertEquals("container", deactivated.get(0).getJsonObject("properties").getString("implementation"), deactivated::toString);
    String id = incident.getString("id");
    Await.until("the engine's incident is FIXED", WAIT, FallbackFlowIT::engineIncidents,
        l -> l.stream().anyMatch(i -> id.equals(i.getString("id")) && "FIXED".equals(i.getString("status"))));
    Result again = dist.ok("fallback:run cat /etc/passwd");
    assertTrue(again.out().contains(IN_CONTAINER) && !again.out().contains("daemon:"), again::toString);

    // 4. No container is left behind.
    Result ps = dist.ok("docker:ps -a");
    assertEquals(1, ps.out().strip().lines().count(), () -> "no container is left\n" + ps);
    assertFalse(ps.out().contains(engine.image()), ps::toString);
  }
}
