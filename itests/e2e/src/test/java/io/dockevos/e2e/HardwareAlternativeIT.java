package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hardware analyzer and the alternative in a started distribution, through {@code bin/dockevos
 * client} as a user types the commands: the facts of this machine, the dockevos.hardware
 * capability, tool checks, thresholds, and jobs through the process runner.
 */
class HardwareAlternativeIT extends UnpackedDistribution {
  /** In the runtime's environment, and not in the process runner's whitelist. */
  private static final String OUTSIDER = "DOCKEVOS_TEST_OUTSIDER";
  private static Path tiny;

  @BeforeAll
  static void startWithBothFeatures() throws IOException {
    tiny = Files.createDirectories(dist.root().resolve("tiny"));
    // A feature that declares its system tools in its dockevos.system text extension.
    Files.writeString(dist.home().resolve("system/features/test-tools.json"), """
        {
          "id": "io.dockevos.test:test-tools:1.0.0",
          "bundles": [],
          "extensions": { "dockevos.system": { "kind": "optional",
            "text": [ "(&(dockevos.system=git)(version>=2))", "(dockevos.system=dockevos-no-such-tool)" ] } }
        }
        """);
    dist.start(Map.of(OUTSIDER, "must-not-reach-jobs"));
    assertTrue(dist.ok("feature:install dockevos-hardware").out().contains("Installed feature dockevos-hardware"));
    assertTrue(dist.ok("feature:install dockevos-alternative").out().contains("Installed feature dockevos-alternative"));
  }

  private static String host(String... command) {
    Result r = dist.exec(dist.root(), Duration.ofSeconds(20), List.of(command));
    assertEquals(0, r.exit(), r::toString);
    return r.out().strip();
  }

  @Test
  void hwInfoShowsTheFactsOfThisMachine() throws Exception {
    String nproc = host("nproc");
    String text = dist.ok("hw:info").out();
    assertTrue(text.contains(nproc + " available to the JVM"), text);
    assertTrue(text.contains("kernel " + host("uname", "-r")), text);
    JsonObject info = Json.createReader(new StringReader(dist.ok("hw:info --json").out())).readObject();
    assertEquals(Integer.parseInt(host("nproc", "--all")), info.getJsonObject("cpu").getInt("logicalCores"));
    assertEquals(Integer.parseInt(nproc), info.getJsonObject("cpu").getInt("availableProcessors"));
    String memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow();
    assertEquals(Long.parseLong(memTotal.replaceAll("\\D", "")) * 1024, info.getJsonObject("memory").getJsonNumber("totalBytes").longValue());
    FileStore rootStore = Files.getFileStore(Path.of("/"));
    JsonObject root = info.getJsonArray("disks").getValuesAs(JsonObject.class).stream()
        .filter(d -> d.getString("mount").equals("/")).findFirst().orElseThrow(() -> new AssertionError(info.toString()));
    assertEquals(rootStore.getTotalSpace(), root.getJsonNumber("totalBytes").longValue());
    assertTrue(Math.abs(rootStore.getUsableSpace() - root.getJsonNumber("freeBytes").longValue()) < 1L << 30, root.toString());
    assertTrue(info.getJsonArray("networks").getValuesAs(JsonObject.class).stream().anyMatch(n -> n.getString("name").equals("lo")));
    assertEquals(System.getProperty("java.version"), info.getJsonObject("jvm").getString("version"));
    // getpid() through JNA, whose native library comes out of the hardware bundle.
    assertEquals(dist.pid(), info.getJsonObject("jvm").getJsonNumber("pid").longValue());
    JsonObject container = info.getJsonObject("container");
    if (Files.exists(Path.of("/.dockerenv"))) {
      assertEquals("/.dockerenv exists (Docker)", container.getString("evidence"));
      assertTrue(text.contains("Container: yes: /.dockerenv exists (Docker)"), text);
    } else {
      assertFalse(container.getString("evidence").isEmpty());
    }
  }

  @Test
  void aPluginThatNeedsABiggerMachineIsRefusedAndOneThatFitsInstalls() {
    Path huge = TinyBundles.copyTo(TinyBundles.REQUIRES_HUGE_MACHINE, tiny);
    Result r = dist.fails("plugin:install " + huge);
    assertTrue(r.err().contains("io.dockevos.test.requireshugemachine 1.0.0 requires capability dockevos.hardware"
        + " with cores>=100000: this machine does not meet it"), r::toString);
    assertFalse(dist.ok("lb -s").out().contains("io.dockevos.test.requireshugemachine"), "nothing was left installed");
    Path one = TinyBundles.copyTo(TinyBundles.REQUIRES_ONE_CORE, tiny);
    Result ok = dist.ok("plugin:install " + one);
    assertTrue(ok.out().matches("(?s)Installed io.dockevos.test.requiresonecore 1.0.0 as plugin \\d+: ACTIVE.*"), ok::toString);
    dist.ok("plugin:uninstall io.dockevos.test.requiresonecore");
  }

  @Test
  void hwCheckReportsPresentMissingAndTooOldTools() {
    Path jar = TinyBundles.copyTo(TinyBundles.REQUIRES_TOOLS, tiny);
    dist.ok("plugin:install " + jar);
    try {
      // Checked as it starts, before anybody runs hw:check: the log has the warning of the analyzer.
      Await.until("the TOOL_MISSING warning of the plugin's start", Duration.ofSeconds(20), dist::logText,
          t -> t.contains("tool missing: io.dockevos.test.requirestools requires sh >=999, but the installed one is"));
      String shVersion = host("dpkg-query", "-W", "-f=${Version}", "dash").replaceAll("-.*", "");
      String out = dist.ok("hw:check io.dockevos.test.requirestools").out();
      assertTrue(out.lines().anyMatch(l -> l.matches("sh\\s+\\| any version\\s+\\| present\\s+\\| " + shVersion.replace(".", "\\.") + " \\(.*/sh\\).*")), out);
      assertTrue(out.lines().anyMatch(l -> l.matches("dockevos-no-such-tool\\s+\\| any version\\s+\\| missing .*apt-cache search dockevos-no-such-tool")), out);
      assertTrue(out.lines().anyMatch(l -> l.matches("sh\\s+\\| >=999\\s+\\| too old .*apt-get install -y dash")), out);
      Await.until("the TOOL_MISSING warnings in the log", Duration.ofSeconds(10), dist::logText,
          t -> t.contains("tool missing: io.dockevos.test.requirestools requires dockevos-no-such-tool any version, which is not installed"));
      assertTrue(dist.ok("hw:check").out().contains("dockevos-no-such-tool"), "hw:check without a target checks every plugin");
      assertTrue(dist.fails("hw:check no.such.plugin").err().contains("no installed plugin or feature is named no.such.plugin"));
      // The tiny plugin adds a procedure of its own to the catalog.
      assertTrue(dist.ok("fallback:procedures test-tiny-problem").out().contains("1. Step one of the tiny bundle."));
    } finally {
      dist.ok("plugin:uninstall io.dockevos.test.requirestools");
    }
  }

  @Test
  void hwCheckReadsTheToolsOfAFeature() {
    dist.ok("feature:install test-tools");
    try {
      String git = host("git", "--version").replaceAll("[^0-9.]", "");
      String out = dist.ok("hw:check feature:test-tools").out();
      assertTrue(out.lines().anyMatch(l -> l.matches("git\\s+\\| >=2\\s+\\| present\\s+\\| " + git.replace(".", "\\.") + " .*\\| feature:test-tools.*")), out);
      assertTrue(out.lines().anyMatch(l -> l.matches("dockevos-no-such-tool\\s+\\| any version\\s+\\| missing .*\\| feature:test-tools .*")), out);
    } finally {
      dist.ok("feature:uninstall test-tools");
    }
  }

  @Test
  void aCrossedThresholdIsLoggedOnceAndABadConfigurationIsNamed() throws Exception {
    Path cfg = dist.deploy().resolve("dockevos.hardware.monitor.cfg");
    String line = "below the threshold of 100.0%";
    try {
      Files.writeString(cfg, "interval = 1\nmemoryFreePercent = 100\ndiskFreePercent = 0\ncpuLoadPercent = 100\n");
      Await.until("the memory THRESHOLD in the log", Duration.ofSeconds(20), dist::logText, t -> t.contains(line));
      Thread.sleep(3500);
      String log = dist.logText();
      assertEquals(1, log.split(java.util.regex.Pattern.quote(line), -1).length - 1, "logged (and published) once:\n" + log);
      assertTrue(dist.ok("hw:thresholds").out().contains("memory: CROSSED"));

      Files.writeString(cfg, "interval = soon\nmemoryFreePercent = 250\n");
      Result bad = Await.until("hw:thresholds to name the bad configuration", Duration.ofSeconds(20),
          () -> dist.client("hw:thresholds"), r -> r.exit() == 1);
      assertTrue(bad.err().contains("configuration dockevos.hardware.monitor is not valid, the resource monitor is stopped:"), bad::toString);
      assertTrue(bad.err().contains("interval = 'soon' is not a number"), bad::toString);
      assertTrue(bad.err().contains("memoryFreePercent = 250 is not a percentage (0 to 100)"), bad::toString);
      dist.ok("hw:info"); // the runtime stays up
    } finally {
      Files.deleteIfExists(cfg);
    }
  }

  @Test
  void jobsRunThroughTheProcessRunner() throws Exception {
    assertTrue(dist.ok("fallback:status").out().startsWith("runner: process (fallback) \u2014 no container runner is registered: "
        + "the container engine is DOWN or the dockevos-docker feature is not installed"));
    assertEquals("hi", dist.ok("fallback:run echo hi").out().strip());

    Result exit = dist.fails("fallback:run sh -c 'echo before; exit 3'");
    assertTrue(exit.out().contains("before"), exit::toString);
    assertTrue(exit.err().contains("exited with code 3 (process runner"), exit::toString);

    String env = dist.ok("fallback:run --env JOB_VAR=set-by-job env").out();
    assertTrue(env.contains("JOB_VAR=set-by-job"), env);
    assertTrue(env.contains("PATH="), env);
    assertFalse(env.contains(OUTSIDER), "a variable of the runtime's environment leaked into the job:\n" + env);
    assertTrue(dist.ok("fallback:run --runner process sh -c 'echo $" + OUTSIDER + "-'").out().strip().equals("-"));

    Path work = Files.createDirectories(dist.root().resolve("work dir"));
    Files.writeString(work.resolve("marker"), "found");
    assertEquals(work.toRealPath() + "\nfound", dist.ok("fallback:run --workdir '" + work + "' sh -c 'pwd; cat marker'").out().strip());

    String limits = dist.ok("fallback:run --memory 128m --pids 40 --timeout 30 cat /proc/self/limits").out();
    assertTrue(limits.lines().anyMatch(l -> l.matches("Max address space\\s+134217728\\s+134217728\\s+bytes\\s*")), limits);
    assertTrue(limits.lines().anyMatch(l -> l.matches("Max processes\\s+40\\s+40\\s+processes\\s*")), limits);
    assertTrue(limits.lines().anyMatch(l -> l.matches("Max cpu time\\s+30\\s+30\\s+seconds\\s*")), limits);

    // The job's own standard error ("Terminated", as sh reports its killed child) may come before the error line.
    Result slow = dist.client("fallback:run --timeout 1 sh -c 'sleep 300 & echo child $!; sleep 300'");
    assertEquals(1, slow.exit(), slow::toString);
    assertTrue(slow.err().contains("did not end within 1.0 s and was killed, with its child processes"), slow::toString);
    long child = Long.parseLong(slow.out().strip().replace("child ", ""));
    Await.until("the job's child " + child + " to be gone", Duration.ofSeconds(10),
        () -> ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
  }

  @Test
  void badJobsAndProceduresAreNamed() {
    assertTrue(dist.fails("fallback:run --runner container true").err()
        .contains("no runner of kind container is registered; registered: process"));
    assertTrue(dist.fails("fallback:run").err().contains("no command given; usage: fallback:run [--runner KIND]"));
    assertTrue(dist.fails("fallback:run dockevos-no-such-program").err()
        .contains("cannot start dockevos-no-such-program: no such program"));
    String list = dist.ok("fallback:procedures").out();
    assertTrue(list.contains("container-engine-missing \u2014 Install a container engine (Podman or Docker)"), list);
    assertTrue(list.contains("tool-missing/git \u2014 Install git"), list);
    String steps = dist.ok("fallback:procedures container-engine-missing").out();
    assertTrue(steps.contains("apt-get install -y podman") && steps.contains("DOCKER_HOST") && steps.contains("feature:install dockevos-docker"), steps);
    assertTrue(dist.ok("fallback:procedures tool-missing/frobnicate").out().contains("apt-cache search frobnicate"));
    assertTrue(dist.fails("fallback:procedures no-such-problem").err().contains("no procedure for no-such-problem"));
  }
}
