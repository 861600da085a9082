package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * External plugins of {@code runtime: container} (issue 14) against the real engine of
 * {@code .ci/engine.sh}: {@code examples/hello-container}, whose image the build made
 * ({@code examples/hello-container/target/hello-container-rootfs.tar}), imported offline, installed,
 * its tools called over the container's attached stdio; its folder (read-only at /plugin) and its
 * data folder (data/plugins/NAME at /data) as it sees them and as the host does; its sandbox as the
 * engine reports it and as it sees itself; a crash and its restart; a stop that closes its stdin,
 * which it reads the end of and leaves by itself; the engine missing (DOWN, an incident, no process) and
 * back; the Docker manager stopping; a crash loop that opens the circuit; stop and uninstall remove
 * its container. Without an engine these tests fail under
 * {@code CI=true} and are skipped, loudly, elsewhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerPluginsIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path EXAMPLE = Path.of(System.getProperty("user.dir")).resolve("../../examples/hello-container")
      .normalize();
  private static final Path IMAGE_TAR = EXAMPLE.resolve("target/hello-container-rootfs.tar");
  private static final String IMAGE = "dockevos/hello-container:1.0.0";
  private static final String CONTAINER = "dockevos-plugin-hello-container-1.0.0";
  private static Engine engine;

  @BeforeAll
  static void startWithTheFeatures() {
    engine = Engine.required();
    if (!Files.isRegularFile(IMAGE_TAR)) {
      String why = "The image of hello-container was not built: " + IMAGE_TAR + " is missing (mvn -pl"
          + " examples/hello-container package; it needs a static /bin/busybox, as .ci/engine.sh install gives)";
      Missing.failInCiElseSkip(why);
    }
    dist.start();
    assertTrue(dist.ok("feature:install dockevos-docker").out().contains("Installed feature dockevos-docker"));
    assertTrue(dist.ok("feature:install dockevos-external").out().contains("Installed feature dockevos-external"));
    Await.until("docker:engine says UP", WAIT, () -> dist.client("docker:engine").out(), o -> o.contains("state:    UP"));
    Result imported = dist.ok("docker:import " + IMAGE_TAR + " " + IMAGE + " /bin/sh /server.sh");
    assertTrue(imported.out().startsWith("Imported " + IMAGE + ": sha256:"), imported::toString);
  }

  @AfterAll
  static void removeWhatIsLeft() {
    if (dist != null && engine != null && dist.running()) {
      dist.client("external:uninstall hello-container");
      dist.client("docker:rm -f " + CONTAINER);
      dist.client("docker:rmi -f " + IMAGE);
      dist.ensureStopped();
    }
  }

  private static String info() {
    return dist.ok("external:info hello-container").out();
  }

  private static long pid() {
    Matcher m = Pattern.compile("Pid:\\s+(\\d+)").matcher(info());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** @return the rows of docker:ps -a for the plugin's container */
  private static List<String> containers() {
    return dist.ok("docker:ps -a").out().lines().filter(l -> l.contains(CONTAINER)).toList();
  }

  @Test
  @Order(1)
  void helloContainerIsInstalledAndItsToolsAreCalledOverTheAttachedStdio() {
    long begin = System.nanoTime();
    Result install = dist.ok("external:install " + EXAMPLE);
    long millis = (System.nanoTime() - begin) / 1_000_000;
    System.out.println("external:install hello-container, until ACTIVE, through bin/dockevos client: " + millis + " ms");
    assertTrue(install.out().startsWith("Installed external plugin hello-container 1.0.0: ACTIVE (pid "), install::toString);
    assertTrue(install.out().contains("tools: greet, sandbox, files"), install::toString);
    Matcher started = Pattern.compile("hello-container - started \\(container [0-9a-f]{12}, pid \\d+\\) in (\\d+) ms")
        .matcher(dist.logText());
    assertTrue(started.find(), "the log says how long its start took");
    System.out.println("hello-container: container created to ACTIVE (the runtime's log): " + started.group(1) + " ms");

    begin = System.nanoTime();
    assertEquals("Hello, Ada! (from a container)", dist.ok("hello-container:greet name=Ada").out().strip());
    System.out.println("hello-container:greet through bin/dockevos client: " + (System.nanoTime() - begin) / 1_000_000 + " ms");
    assertTrue(dist.ok("plugin:actions").out().contains("hello-container:greet"));
    Await.until("its MCP log message in the runtime log", WAIT, () -> dist.logText().contains(
        "hello-container - hello: hello-container is ready"));

    // Its process is the container's: the host sees it under the pid that external:info shows.
    long pid = pid();
    assertTrue(pid > 0, "external:info shows its pid");
    assertTrue(ProcessHandle.of(pid).map(p -> p.info().commandLine().orElse("")).orElse("").contains("/server.sh"),
        "the pid is the container's /bin/sh /server.sh");
    assertEquals(1, containers().size(), () -> "one container\n" + containers());
    assertTrue(containers().get(0).contains("running"), containers()::toString);
  }

  @Test
  @Order(2)
  void itReadsItsFolderAndWritesInItsDataFolderOnTheHost() throws IOException {
    Path visits = dist.data().resolve("plugins/hello-container/visits.log");
    Files.deleteIfExists(visits);
    assertEquals("/plugin/plugin.yaml names hello-container; /data/visits.log: 1 visits",
        dist.ok("hello-container:files").out().strip());
    assertEquals("/plugin/plugin.yaml names hello-container; /data/visits.log: 2 visits",
        dist.ok("hello-container:files").out().strip());
    List<String> lines = Files.readAllLines(visits);
    assertEquals(2, lines.size(), lines::toString);
    assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), lines::toString);
    // Its folder is read-only, in the container and so on the host.
    String inspect = dist.ok("docker:inspect " + CONTAINER).out();
    assertTrue(inspect.contains(dist.data().resolve("external/hello-container") + ":/plugin:ro"), inspect);
    assertTrue(inspect.contains(dist.data().resolve("plugins/hello-container") + ":/data"), inspect);
    for (String env : List.of("DOCKEVOS_PLUGIN_DIR=/plugin", "DOCKEVOS_DATA_DIR=/data", "HOME=/data")) {
      assertTrue(inspect.contains("\"" + env + "\""), () -> env + "\n" + inspect);
    }
  }

  @Test
  @Order(3)
  void itRunsHardenedWithTheLimitsOfPluginYaml() {
    String inspect = dist.ok("docker:inspect " + CONTAINER).out();
    for (String setting : List.of("\"ReadonlyRootfs\" : true", "\"User\" : \"65534:65534\"", "\"NetworkMode\" : \"none\"",
        "\"Memory\" : 67108864", "\"NanoCpus\" : 500000000", "\"PidsLimit\" : 32", "\"SecurityOpt\" : [ \"no-new-privileges\" ]",
        "\"CapAdd\" : [ ]", "\"OpenStdin\" : true", "\"io.dockevos.plugin\" : \"hello-container\"")) {
      assertTrue(inspect.contains(setting), () -> "docker:inspect shows " + setting + "\n" + inspect);
    }
    // Podman writes CapDrop ALL as the capabilities it dropped: every one it would grant.
    Matcher caps = Pattern.compile("\"CapDrop\" : \\[([^\\]]*)]").matcher(inspect);
    assertTrue(caps.find(), inspect);
    for (String cap : List.of("CHOWN", "DAC_OVERRIDE", "NET_RAW", "SETUID", "SETGID", "KILL")) {
      assertTrue(caps.group(1).contains("\"" + cap + "\""), () -> cap + " is dropped: " + caps.group(1));
    }
    // And from inside: its own tool says what it sees.
    assertEquals("user 65534, root file system read-only, network interfaces: lo, capabilities: 0000000000000000",
        dist.ok("hello-container:sandbox").out().strip());
    String limits = info();
    assertTrue(limits.contains("Limits:      container " + CONTAINER + " of " + IMAGE + "; memory 64 MB, cpus 0.5,"
        + " processes 32 (container limits); user 65534:65534, read-only root file system (/tmp a tmpfs), capabilities:"
        + " none, no new privileges; network: none (permission network grants it)"), limits);
    assertTrue(limits.contains("Kind:        external (runtime container)"), limits);
  }

  @Test
  @Order(4)
  void aContainerThatDiesIsRestarted() {
    long before = pid();
    dist.ok("docker:kill " + CONTAINER);
    String back = Await.until("hello-container ACTIVE again, in a new container", WAIT, ContainerPluginsIT::info,
        i -> i.contains("State:       ACTIVE") && i.contains("Restarts:    1"));
    assertTrue(back.contains("Reason:      its container ended with exit status 137"), back);
    assertTrue(pid() != before, back);
    assertEquals("Hello, Bob! (from a container)", dist.ok("hello-container:greet name=Bob").out().strip());
    assertEquals(1, containers().size(), () -> "the dead container was removed\n" + containers());
    assertTrue(dist.logText().contains("hello-container - failed: its container ended with exit status 137; restart 1 in"));
  }

  @Test
  @Order(5)
  void withoutItsEngineItWaitsDownWithAnIncidentAndStartsOnceTheEngineIsUp() throws IOException {
    long begin = System.nanoTime();
    Result stopped = dist.ok("external:stop hello-container");
    long millis = (System.nanoTime() - begin) / 1_000_000;
    assertEquals("hello-container: STOPPED", stopped.out().strip());
    System.out.println("external:stop hello-container through bin/dockevos client: " + millis + " ms");
    // Closing its stdin reached the shell in the container: it read the end of its input and left by
    // itself (exit status 0; SIGTERM would be 143, through the container's init).
    String log = dist.logText();
    assertTrue(log.contains("hello-container - stderr: end of input: leaving"), "it saw the end of its input");
    assertTrue(log.contains("hello-container - stopped (exit status 0)"), "it ended by itself, not by SIGTERM");
    assertTrue(millis < 4000, () -> "external:stop took " + millis + " ms: less than the 5 s grace");
    assertTrue(containers().isEmpty(), () -> "stop removed its container\n" + containers());

    Path cfg = dist.deploy().resolve("dockevos.docker.cfg");
    String missing = "unix://" + dist.root().resolve("missing.sock");
    try {
      Files.writeString(cfg, "docker.host = " + missing + "\nping.interval.ms = 500\n");
      Await.until("docker:engine says DOWN", WAIT, () -> dist.client("docker:engine").out(), o -> o.contains("state:    DOWN"));
      Result start = dist.ok("external:start hello-container");
      assertTrue(start.out().startsWith("hello-container: DOWN: the container engine at " + missing + " is DOWN ("), start::toString);
      assertTrue(start.out().contains("; it starts once the engine is UP"), start::toString);
      String down = info();
      assertTrue(down.contains("State:       DOWN") && down.contains("Pid:         -") && down.contains("Restarts:    0"), down);
      assertTrue(dist.ok("external:list").out().lines().anyMatch(l -> l.startsWith("hello-container ") && l.contains("| DOWN ")));
      // An incident once it waited 5 s (not at once: the runtime's start is no incident).
      Await.until("the incident of its wait", WAIT, () -> dist.ok("error:list").out(), o -> o.lines().anyMatch(l ->
          l.contains("| hello-container ") && l.contains("External plugin hello-container waits for the container engine")));
      // Never as a plain process instead.
      assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("/server.sh")),
          "no process runs its server while the engine is DOWN");
      assertTrue(info().contains("State:       DOWN"), "still DOWN");
    } finally {
      Files.deleteIfExists(cfg);
    }
    String up = Await.until("hello-container ACTIVE once the engine is UP", WAIT, ContainerPluginsIT::info,
        i -> i.contains("State:       ACTIVE"));
    assertTrue(up.contains("Restarts:    0"), up);
    assertEquals("Hello, Eve! (from a container)", dist.ok("hello-container:greet name=Eve").out().strip());
    assertTrue(dist.logText().contains("hello-container - its container engine is UP: starting"));
  }

  @Test
  @Order(6)
  void whenTheDockerManagerStopsItsContainerIsRemovedAndItWaitsDown() {
    long docker = dist.bundles().stream().filter(b -> b.symbolicName().equals("io.dockevos.docker")).findFirst()
        .orElseThrow().id();
    dist.ok("stop " + docker);
    String down = info();
    assertTrue(down.contains("State:       DOWN") && down.contains("Reason:      the Docker manager stopped (feature"
        + " dockevos-docker); it starts once the engine is UP"), down);
    assertTrue(dist.logText().contains("hello-container - stopped (exit status 0): the container engine goes away"));
    assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("/server.sh")),
        "its container was stopped before the Docker manager went away");
    dist.ok("start " + docker);
    Await.until("hello-container ACTIVE with the Docker manager back", WAIT, ContainerPluginsIT::info,
        i -> i.contains("State:       ACTIVE"));
    assertEquals(1, containers().size(), () -> "its one container: the old one was removed\n" + containers());
  }

  @Test
  @Order(7)
  void aContainerThatCrashLoopsOpensTheCircuitWithItsLastWordsAndLeavesNoContainer() throws IOException {
    Path dir = Files.createDirectories(dist.root().resolve("plugins/crashbox"));
    Files.writeString(dir.resolve("plugin.yaml"), "name: crashbox\nversion: \"1.0.0\"\nruntime: container\nimage: " + IMAGE
        + "\ncommand: /bin/sh\nargs: [-c, \"echo oops >&2; exit 3\"]\nrestart:\n  initialBackoff: 100ms\n  maxFailures: 3\n"
        + "  window: 1m\n");
    dist.ok("external:install " + dir);
    String failed = Await.until("crashbox FAILED", WAIT, () -> dist.ok("external:info crashbox").out(),
        i -> i.contains("State:       FAILED"));
    assertTrue(failed.contains("Reason:      it failed 3 times within 60 s (restart.maxFailures 3); the last time:"), failed);
    assertTrue(failed.contains("Restarts:    2"), failed);
    assertTrue(dist.logText().contains("crashbox - stderr: oops"), "its stderr is in the log under its name");
    String incidents = dist.ok("error:list").out();
    assertTrue(incidents.lines().anyMatch(l -> l.contains("| crashbox ") && l.contains("failed 3 times")), incidents);
    Await.until("no container of crashbox is left", WAIT, () -> dist.ok("docker:ps -a").out(),
        o -> !o.contains("dockevos-plugin-crashbox"));
    assertTrue(info().contains("State:       ACTIVE"), "hello-container did not change state");
    dist.ok("external:uninstall crashbox");
  }

  @Test
  @Order(8)
  void theRuntimesStopRemovesItsContainerAndItsStartStartsItWithoutAnIncident() {
    long waits = incidents();
    dist.stop();
    assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("/server.sh")),
        "the runtime's stop stopped its container");
    dist.start();
    Await.until("hello-container ACTIVE after the runtime's start", WAIT, ContainerPluginsIT::info,
        i -> i.contains("State:       ACTIVE"));
    assertEquals(1, containers().size(), containers()::toString);
    Await.sleep(6000);
    assertEquals(waits, incidents(), "no incident while the Docker manager starts");
  }

  /** @return the incidents of a wait for the engine, as the log has them */
  private static long incidents() {
    return dist.logText().lines().filter(l -> l.contains("hello-container - waits for its container engine")
        && l.contains("WARN")).count();
  }

  @Test
  @Order(9)
  void uninstallRemovesItsContainer() {
    assertEquals(1, containers().size(), containers()::toString);
    dist.ok("external:uninstall hello-container");
    assertTrue(containers().isEmpty(), () -> "uninstall removed its container\n" + containers());
    Result gone = dist.fails("hello-container:greet name=Ada");
    assertFalse(gone.exit() == 0, gone::toString);
    assertFalse(Files.exists(dist.data().resolve("external/hello-container")), "its files are gone");
  }
}
