package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Docker manager against a real engine (rootful Podman from {@code .ci/engine.sh}), through
 * {@code bin/dockevos client} of a running instance with {@code feature:install dockevos-docker}.
 * Every container a test makes carries the label {@code io.dockevos.test=DockerIT} or is a
 * service's; after each test none is left (asserted).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerIT extends UnpackedDistribution {
  private static final String LABEL = "io.dockevos.test=DockerIT";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static Engine engine;

  @BeforeAll
  static void installTheFeature() {
    engine = Engine.required();
    dist.start();
    Result r = dist.ok("feature:install dockevos-docker");
    assertTrue(r.out().contains("Installed feature dockevos-docker"), r::toString);
    Await.until("docker:engine says UP", WAIT, () -> dist.client("docker:engine").out(), o -> o.contains("state:    UP"));
  }

  @AfterAll
  static void nothingLeftRunning() {
    if (dist != null && engine != null && dist.running()) {
      removeOurs();
    }
  }

  @AfterEach
  void noContainerIsLeft() {
    removeOurs();
    Result ps = dist.ok("docker:ps -a");
    assertEquals(1, ps.out().strip().lines().count(), () -> "no container is left after the test\n" + ps);
  }

  /** Removes every container there is: the engine is this build's own (.ci/engine.sh). */
  private static void removeOurs() {
    Result ps = dist.client("docker:ps -a");
    for (String line : ps.out().strip().lines().skip(1).toList()) {
      dist.client("docker:rm -f " + line.split("\\s*\\|\\s*")[0]);
    }
  }

  private static String run(String args) {
    return "docker:run -l " + LABEL + " " + args;
  }

  @Test
  @Order(1)
  void theEngineIsUpWithItsVersionAndTheContainerRunnerIsRegistered() {
    Result r = dist.ok("docker:engine");
    assertTrue(r.out().contains("endpoint: " + engine.host()), r::toString);
    assertTrue(r.out().matches("(?s).*version:  \\d+\\.\\d+\\.\\d+ \\(API 1\\.\\d+\\).*"), r::toString);
    assertTrue(r.out().contains("container runner registered (runner.kind=container, service.ranking=100)"), r::toString);
    Result refs = dist.ok("servicereferences io.dockevos.runner.Runner '(runner.kind=container)'");
    assertTrue(refs.out().contains("Runner"), () -> "the Runner service is in the registry\n" + refs);
    Result images = dist.ok("docker:images");
    assertTrue(images.out().contains(engine.image()), images::toString);
  }

  @Test
  @Order(2)
  void aContainerRunsWithItsLimitsAndHardeningApplied() {
    // Read from inside the container: cgroup v1 or v2, whichever the host has.
    String script = "id -u; id -g;"
        + " cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes;"
        + " cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max;"
        + " cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us;"
        + " echo nets: $(ls /sys/class/net);"
        + " grep -E ^CapEff /proc/self/status; grep -E ^NoNewPrivs /proc/self/status;"
        // the shell's own message for a failed redirection goes to stderr, whose frames may
        // interleave with stdout's anywhere: the group's stderr goes to /dev/null
        + " { echo hello > /probe; } 2>/dev/null && echo rootfs-writable || echo rootfs-read-only;"
        + " echo hello > /tmp/probe && echo tmp-writable; echo GREETING=$GREETING";
    Result r = dist.ok(run("--rm --hardened -m 64m --cpus 0.5 --pids-limit 32 -e GREETING=hi " + engine.image()
        + " sh -c '" + script + "'"));
    List<String> lines = r.out().strip().lines().toList();
    assertEquals("65534", lines.get(0), r::toString);
    assertEquals("65534", lines.get(1), r::toString);
    assertEquals("67108864", lines.get(2), () -> "memory limit 64m\n" + r);
    assertEquals("32", lines.get(3), () -> "pids limit\n" + r);
    assertTrue(lines.get(4).startsWith("50000"), () -> "CPU quota 0.5 of a 100000 us period\n" + r);
    assertEquals("nets: lo", lines.get(5), () -> "network none: loopback only\n" + r);
    assertTrue(lines.get(6).matches("CapEff:\\s+0+"), () -> "every capability dropped\n" + r);
    assertTrue(lines.get(7).matches("NoNewPrivs:\\s+1"), () -> "no new privileges\n" + r);
    assertEquals("rootfs-read-only", lines.get(8), r::toString);
    assertEquals("tmp-writable", lines.get(9), r::toString);
    assertEquals("GREETING=hi", lines.get(10), r::toString);
    // --rm removed it
    assertEquals(1, dist.ok("docker:ps -a").out().strip().lines().count());
  }

  @Test
  @Order(3)
  void aContainerThatFailsReportsItsExitCodeAndPublishedPortsBindToLoopback() {
    Result f = dist.fails(run("--rm " + engine.image() + " sh -c 'echo before; exit 5'"));
    assertTrue(f.out().contains("before"), f::toString);
    assertTrue(f.err().contains("exited with code 5"), f::toString);

    dist.ok(run("-d --name dit-port --network bridge -p 18080:80 " + engine.image() + " sleep 300"));
    Result ps = dist.ok("docker:ps -f name=dit-port");
    assertTrue(ps.out().contains("127.0.0.1:18080->80/tcp"), () -> "a published port binds to loopback\n" + ps);
  }

  @Test
  @Order(4)
  void execLogsStatsInspectAndTheLifecycle() {
    String id = dist.ok(run("-d --name dit-life " + engine.image()
        + " sh -c 'echo hello out; echo hello err >&2; while true; do sleep 1; done'")).out().strip();
    assertTrue(id.matches("[0-9a-f]{64}"), () -> "docker:run -d prints the id: " + id);
    Await.until("the container's output", WAIT, () -> dist.client("docker:logs dit-life").out(),
        o -> o.contains("hello out") && o.contains("hello err"));

    Result ps = dist.ok("docker:ps -l " + LABEL);
    assertTrue(ps.out().contains("dit-life") && ps.out().contains("running"), ps::toString);
    Result other = dist.ok("docker:ps -l io.dockevos.test=nobody");
    assertFalse(other.out().contains("dit-life"), () -> "the label filter leaves it out\n" + other);

    Result exec = dist.ok("docker:exec dit-life sh -c 'echo inside; id -u'");
    assertEquals("inside\n0", exec.out().strip(), exec::toString);
    Result exit3 = dist.fails("docker:exec dit-life sh -c 'echo about to fail; exit 3'");
    assertTrue(exit3.out().contains("about to fail") && exit3.err().contains("exited with code 3"), exit3::toString);

    Result stats = dist.ok("docker:stats dit-life");
    Matcher m = Pattern.compile("dit-life\\s*\\|\\s*([0-9.]+)%\\s*\\|\\s*([0-9.]+) MiB / ([0-9.]+) MiB\\s*\\|.*\\|\\s*(\\d+)")
        .matcher(stats.out());
    assertTrue(m.find(), stats::toString);
    assertTrue(Double.parseDouble(m.group(2)) > 0, () -> "memory in use\n" + stats);
    assertTrue(Integer.parseInt(m.group(4)) >= 1, () -> "processes\n" + stats);

    Result inspect = dist.ok("docker:inspect dit-life");
    assertTrue(inspect.out().contains(id) && inspect.out().contains("\"Running\" : true"), inspect::toString);

    dist.ok("docker:stop -t 1 dit-life");
    Await.until("docker:ps -a shows it exited", WAIT, () -> dist.client("docker:ps -a -f name=dit-life").out(),
        o -> o.contains("exited"));
    assertFalse(dist.ok("docker:ps").out().contains("dit-life"), "docker:ps without -a shows running ones only");
    dist.ok("docker:start dit-life");
    assertTrue(dist.ok("docker:ps").out().contains("dit-life"));
    dist.ok("docker:restart -t 1 dit-life");
    assertTrue(dist.ok("docker:inspect dit-life").out().contains("\"Running\" : true"));
    Result rm = dist.fails("docker:rm dit-life");
    assertTrue(rm.err().contains("dit-life"), () -> "a running container is not removed without -f\n" + rm);
    dist.ok("docker:rm -f dit-life");
    assertFalse(dist.ok("docker:ps -a").out().contains("dit-life"));
    Result gone = dist.fails("docker:logs dit-life");
    assertTrue(gone.err().contains("No such container: dit-life"), gone::toString);
  }

  @Test
  @Order(5)
  void logsFollowStreamsUntilTheClientGoesAway() throws Exception {
    dist.ok(run("-d --name dit-follow " + engine.image() + " sh -c 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done'"));
    Process follow = dist.launch(dist.root(), Map.of(), List.of(dist.script().toString(), "client", "docker:logs -f dit-follow"));
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (InputStream in = follow.getInputStream()) {
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (seen) {
            seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          }
        }
      } catch (IOException ignored) {
        // the process went away
      }
    });
    reader.start();
    Await.until("docker:logs -f prints new lines as they come", WAIT, () -> {
      synchronized (seen) {
        return seen.toString();
      }
    }, o -> o.contains("tick 10"));
    assertTrue(follow.isAlive(), "-f keeps following");
    follow.destroy(); // SIGTERM, as Ctrl-C ends the client
    assertTrue(follow.waitFor(10, TimeUnit.SECONDS), "the client ends");
    reader.join(5000);
    Result lb = dist.ok("docker:ps");
    assertTrue(lb.out().contains("dit-follow"), "the runtime and the container carry on\n" + lb);
  }

  @Test
  @Order(6)
  void imagesAreLoadedImportedAndRemoved() throws IOException {
    // load: the archive holds the test image; take it away first so that the load really adds it
    Path archive = dist.root().resolve("busybox-image.tar");
    Files.copy(engine.archive(), archive);
    dist.ok("docker:rmi -f " + engine.image());
    assertFalse(dist.ok("docker:images").out().contains(engine.image()), "the image is gone");
    Result load = dist.ok("docker:load " + archive);
    assertTrue(load.out().contains("Loaded image: ") && load.out().contains(engine.image()), load::toString);
    assertTrue(dist.ok("docker:images").out().contains(engine.image()), "the image is back");

    Result imp = dist.ok("docker:import " + engine.rootfs() + " dit/imported:1 /bin/sh -c 'echo from the import'");
    assertTrue(imp.out().matches("(?s)Imported dit/imported:1: sha256:[0-9a-f]{64}\\s*"), imp::toString);
    assertTrue(dist.ok("docker:images").out().contains("dit/imported:1"));
    Result runImported = dist.ok(run("--rm dit/imported:1"));
    assertEquals("from the import", runImported.out().strip(), () -> "the default command of the import\n" + runImported);
    dist.ok("docker:rmi dit/imported:1");
    assertFalse(dist.ok("docker:images").out().contains("dit/imported:1"), "docker:rmi removed it");

    Result notArchive = dist.fails("docker:load " + engine.rootfs());
    assertTrue(notArchive.err().contains(engine.rootfs() + " is not a docker-archive"), notArchive::toString);
    Result noFile = dist.fails("docker:import /nowhere/rootfs.tar dit/x:1");
    assertTrue(noFile.err().contains("No such file: /nowhere/rootfs.tar"), noFile::toString);
  }

  @Test
  @Order(7)
  void badInputIsNamed() {
    Result image = dist.fails(run("nosuch/image:1 true"));
    assertTrue(image.err().contains("No such image: nosuch/image:1"), image::toString);
    Result container = dist.fails("docker:stop nosuch-container");
    assertTrue(container.err().contains("No such container: nosuch-container"), container::toString);
    Result pull = dist.fails("docker:pull 127.0.0.1:9/nothing:1");
    assertTrue(pull.err().contains("Cannot pull 127.0.0.1:9/nothing:1") && pull.err().contains("127.0.0.1:9"), pull::toString);
    Result option = dist.fails("docker:run --memory lots " + engine.image() + " true");
    assertTrue(option.err().contains("'lots' is not a size"), option::toString);
    Result network = dist.fails("docker:run --network host " + engine.image() + " true");
    assertTrue(network.err().contains("--network is none or bridge, not 'host'"), network::toString);
    assertTrue(dist.running());
  }

  @Test
  @Order(8)
  void theContainerRunnerRunsAJobStreamsItAndEnforcesItsTimeout() {
    Result job = dist.ok("docker:job --image " + engine.image() + " -m 32m --pids-limit 16 -e WHO=job"
        + " sh -c 'echo out $WHO; echo err >&2; id -u; ls /sys/class/net; exit 4'");
    List<String> lines = job.out().strip().lines().toList();
    assertTrue(lines.contains("out job") && lines.contains("err"), job::toString);
    assertTrue(lines.contains("65534"), () -> "the job runs as nobody\n" + job);
    assertTrue(lines.contains("lo") && !job.out().contains("eth0"), () -> "no network\n" + job);
    assertTrue(lines.get(lines.size() - 1).startsWith("exit code 4 (container runner"), job::toString);

    Instant t0 = Instant.now();
    Result slow = dist.ok("docker:job --timeout 2 --image " + engine.image() + " sleep 60");
    assertTrue(slow.out().contains("timed out after 2 s (container runner"), slow::toString);
    assertTrue(Duration.between(t0, Instant.now()).toSeconds() < 30, "the timeout stops it");
    assertEquals(1, dist.ok("docker:ps -a").out().strip().lines().count(), "the job's containers were removed");
  }

  @Test
  @Order(9)
  void servicesAreKeptRunningInTheirDependencyOrder() throws IOException {
    Path web = dist.deploy().resolve("dockevos.docker.service-dit-web.cfg");
    Path db = dist.deploy().resolve("dockevos.docker.service-dit-db.cfg");
    Path bad = dist.deploy().resolve("dockevos.docker.service-dit-bad.cfg");
    try {
      Files.writeString(web, "image = " + engine.image() + "\ncommand = sh,-c,echo web up; while true; do sleep 1; done\n"
          + "depends-on = dit-db\nmemory = 32m\n");
      Await.until("web waits for db, which is not configured", WAIT, () -> dist.client("docker:service list").out(),
          o -> o.matches("(?s).*dit-web\\s*\\|\\s*WAITING.*waiting for dit-db \\(no such service is configured\\).*"));
      assertFalse(dist.ok("docker:ps -a").out().contains("dockevos-svc-dit-web"), "web does not start before db");

      Files.writeString(db, "image = " + engine.image() + "\ncommand = sh,-c,echo db up; while true; do sleep 1; done\n"
          + "backoff.initial.ms = 300\nbackoff.max.ms = 2000\n");
      Await.until("both services run", WAIT, () -> dist.client("docker:service list").out(),
          o -> o.matches("(?s).*dit-db\\s*\\|\\s*RUNNING.*") && o.matches("(?s).*dit-web\\s*\\|\\s*RUNNING.*"));
      Result list = dist.ok("docker:service list");
      assertTrue(list.out().indexOf("dit-db") < list.out().indexOf("dit-web"), () -> "listed in dependency order\n" + list);
      Instant dbStarted = startedAt("dockevos-svc-dit-db");
      Instant webStarted = startedAt("dockevos-svc-dit-web");
      assertTrue(!webStarted.isBefore(dbStarted), "web started after db: " + dbStarted + " / " + webStarted);

      // kill db's container: the runtime starts a new one (after its backoff)
      String before = containerOf("dit-db");
      dist.ok("docker:kill dockevos-svc-dit-db");
      Await.until("db runs again in a new container", WAIT, () -> dist.client("docker:service list").out(),
          o -> o.matches("(?s).*dit-db\\s*\\|\\s*RUNNING\\s*\\|[^|]*\\|\\s*[0-9a-f]{12}\\s*\\|\\s*1\\s*\\|.*")
              && !o.contains(before));
      assertTrue(dist.logText().contains("dockevos-svc-dit-db"), "the death is logged");
      Await.until("the death is logged with its exit code", WAIT, dist::logText,
          t -> t.matches("(?s).*container dockevos-svc-dit-db \\([^)]*\\) exited with code 137.*"));

      // a bad configuration is named with its file and field; the others carry on
      Files.writeString(bad, "image = " + engine.image() + "\nmemory = 12qq\n");
      Await.until("the bad service is INVALID, naming the file and the field", WAIT,
          () -> dist.client("docker:service list").out(),
          o -> o.contains("INVALID") && o.contains("deploy/dockevos.docker.service-dit-bad.cfg")
              && o.contains("field 'memory': '12qq' is not a size"));
      Result upBad = dist.fails("docker:service up dit-bad");
      assertTrue(upBad.err().contains("field 'memory'"), upBad::toString);

      dist.ok("docker:service down dit-web");
      Await.until("web is down, its container removed", WAIT, () -> dist.client("docker:ps -a").out(),
          o -> !o.contains("dockevos-svc-dit-web"));
      assertTrue(dist.ok("docker:service list").out().matches("(?s).*dit-web\\s*\\|\\s*STOPPED.*"));
      dist.ok("docker:service up dit-web");
      Await.until("web is up again", WAIT, () -> dist.client("docker:service list").out(),
          o -> o.matches("(?s).*dit-web\\s*\\|\\s*RUNNING.*"));
      Result unknown = dist.fails("docker:service up nosuch");
      assertTrue(unknown.err().contains("No such service: nosuch"), unknown::toString);
    } finally {
      Files.deleteIfExists(web);
      Files.deleteIfExists(db);
      Files.deleteIfExists(bad);
    }
    Await.until("deleting the configurations removes the services' containers", WAIT,
        () -> dist.client("docker:ps -a").out(), o -> !o.contains("dockevos-svc-"));
    Await.until("and the services", WAIT, () -> dist.client("docker:service list").out(), o -> !o.contains("dit-"));
  }

  private static String containerOf(String service) {
    Result list = dist.ok("docker:service list");
    Matcher m = Pattern.compile(service + "\\s*\\|[^|]*\\|[^|]*\\|\\s*([0-9a-f]{12})").matcher(list.out());
    assertTrue(m.find(), list::toString);
    return m.group(1);
  }

  private static Instant startedAt(String container) {
    Result r = dist.ok("docker:inspect " + container);
    Matcher m = Pattern.compile("\"StartedAt\" : \"([^\"]+)\"").matcher(r.out());
    assertTrue(m.find(), r::toString);
    return Instant.parse(m.group(1));
  }

  @Test
  @Order(10)
  void theEngineGoesDownAndUpAndTheRunnerFollows() throws IOException {
    Path cfg = dist.deploy().resolve("dockevos.docker.cfg");
    try {
      // the same endpoint, another ping interval: no reconnect
      Files.writeString(cfg, "docker.host = " + engine.host() + "\nping.interval.ms = 1000\n");
      Await.until("a changed configuration with the same endpoint does not reconnect", WAIT, dist::logText,
          t -> t.contains("configuration dockevos.docker changed, the endpoint " + engine.host() + " did not: no reconnect"));
      assertTrue(dist.ok("docker:engine").out().contains("state:    UP"));

      String missing = "unix://" + dist.root().resolve("missing.sock");
      Files.writeString(cfg, "docker.host = " + missing + "\n");
      Result down = Await.until("docker:engine says DOWN", WAIT, () -> dist.client("docker:engine"),
          r -> r.out().contains("state:    DOWN"));
      assertTrue(down.out().contains("endpoint: " + missing), down::toString);
      assertTrue(down.out().contains("container runner not registered"), down::toString);
      Result refs = dist.ok("servicereferences io.dockevos.runner.Runner '(runner.kind=container)'");
      assertFalse(refs.out().contains("Runner"), () -> "the container Runner is unregistered\n" + refs);
      Result ps = dist.fails("docker:ps");
      assertTrue(ps.err().contains("The container engine at " + missing + " is DOWN") && ps.err().contains("Start it"),
          ps::toString);
      Result job = dist.fails("docker:job true");
      assertTrue(job.err().contains("No Runner is registered"), job::toString);
    } finally {
      Files.deleteIfExists(cfg);
    }
    Result up = Await.until("docker:engine says UP again", WAIT, () -> dist.client("docker:engine"),
        r -> r.out().contains("state:    UP"));
    assertTrue(up.out().contains("endpoint: " + engine.host()) && up.out().contains("container runner registered"), up::toString);
    Result refs = dist.ok("servicereferences io.dockevos.runner.Runner '(runner.kind=container)'");
    assertTrue(refs.out().contains("Runner"), () -> "the container Runner is registered again\n" + refs);
    dist.ok("docker:ps");
  }
}
