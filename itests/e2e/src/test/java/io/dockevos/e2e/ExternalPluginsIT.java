package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * External plugins (issue 14), with a real {@code bin/dockevos} and real processes: the example
 * {@code examples/hello-python} installed and called as {@code hello-python:greet}, then plugins that
 * misbehave ({@code resources/external/misbehave.py}) and bad {@code plugin.yaml} files and archives.
 * After each, the runtime is up and hello-python has not changed state (same pid, no restart).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalPluginsIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path HELLO = Path.of(System.getProperty("user.dir")).resolve("../../examples/hello-python")
      .normalize();
  private static long helloPid;

  @BeforeAll
  static void startWithTheFeature() {
    dist.start();
    Result r = dist.ok("feature:install dockevos-external");
    assertTrue(r.out().contains("Installed feature dockevos-external"), r::toString);
  }

  @AfterAll
  static void stop() {
    dist.ensureStopped();
  }

  /** A plugin folder with misbehave.py in the given mode and more lines of plugin.yaml. */
  private static Path plugin(String name, String mode, String more) throws IOException {
    Path dir = Files.createDirectories(dist.root().resolve("plugins/" + name));
    Path script = dir.resolve("misbehave.py");
    Files.write(script, Distribution.resource("/external/misbehave.py"));
    script.toFile().setExecutable(true);
    Files.writeString(dir.resolve("plugin.yaml"), "name: " + name + "\nversion: \"1.0.0\"\ncommand: misbehave.py\n"
        + "args: [" + mode + "]\n" + more);
    return dir;
  }

  /** @return the row of external:list for the plugin */
  private static String row(String name) {
    return dist.ok("external:list").out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElse("");
  }

  private static String info(String name) {
    return dist.ok("external:info " + name).out();
  }

  private static long pid(String name) {
    Matcher m = Pattern.compile("Pid:\\s+(\\d+)").matcher(info(name));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The runtime is up, and hello-python runs as it did: same pid, no restart. */
  private static void othersUnchanged() {
    assertTrue(dist.running(), "the runtime stays up");
    String hello = info("hello-python");
    assertTrue(hello.contains("State:       ACTIVE") && hello.contains("Pid:         " + helloPid)
        && hello.contains("Restarts:    0"), () -> "hello-python did not change state\n" + hello);
  }

  @Test
  @Order(1)
  void helloPythonIsInstalledAndItsToolIsACommand() {
    // It asks for permissions (events): not installed until they are granted, as a bundle plugin's are.
    Result refused = dist.fails("external:install " + HELLO);
    assertTrue(refused.err().contains("hello-python asks in " + HELLO.resolve("plugin.yaml").normalize() + " for"
        + " permissions not granted yet: events.publish:dockevos/hello/*, events.subscribe:dockevos/plugin/*,"
        + " events.subscribe:dockevos/hello/*. Install it with --grant"), refused::toString);
    assertFalse(dist.ok("external:list").out().contains("hello-python"), "nothing was installed");
    long begin = System.nanoTime();
    Result install = dist.ok("external:install --grant " + HELLO);
    long millis = (System.nanoTime() - begin) / 1_000_000;
    System.out.println("external:install hello-python, until ACTIVE, through bin/dockevos client: " + millis + " ms");
    assertTrue(install.out().startsWith("Installed external plugin hello-python 1.0.0: ACTIVE (pid "), install::toString);
    helloPid = pid("hello-python");
    assertEquals("Hello, Ada!", dist.ok("hello-python:greet name=Ada").out().strip());
    String row = row("hello-python");
    assertTrue(row.matches("hello-python \\| 1\\.0\\.0 +\\| external \\| ACTIVE +\\| " + helloPid + " +\\| 0 .*\\| greet, announce, events"),
        row);
    assertTrue(info("hello-python").contains("memory 256 MB, open files 64 (prlimit)"));
    Await.until("its MCP log message in the runtime log", WAIT, () -> log().contains("hello-python - hello: hello-python is ready"));
    assertTrue(Files.isDirectory(dist.data().resolve("plugins/hello-python")), "its working folder");
    // An action like any other: plugin:actions lists it under the plugin's name.
    assertTrue(dist.ok("plugin:actions").out().contains("hello-python:greet"));
  }

  private static String log() {
    try {
      return Files.readString(dist.log());
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  @Order(2)
  void aBadPluginYamlNamesTheFileTheFieldAndTheLine() throws IOException {
    Path types = plugin("types", "ok", "health:\n  interval: 10\n  failureThreshold: many\n");
    Result r = dist.fails("external:install " + types);
    assertTrue(r.err().contains(types.resolve("plugin.yaml") + " is not a valid plugin.yaml"), r::toString);
    assertTrue(r.err().contains("line 6: field 'health.interval': expected a string, got the integer 10"), r::toString);
    assertTrue(r.err().contains("line 7: field 'health.failureThreshold': expected an integer, got the string many"), r::toString);

    Path unknown = plugin("unknown", "ok", "comand: x\n");
    r = dist.fails("external:install " + unknown);
    assertTrue(r.err().contains("line 5: unknown field 'comand', did you mean 'command'?"), r::toString);

    Path missing = Files.createDirectories(dist.root().resolve("plugins/missing"));
    Files.writeString(missing.resolve("plugin.yaml"), "name: missing\nversion: \"1.0.0\"\n");
    r = dist.fails("external:install " + missing);
    assertTrue(r.err().contains("line 1: field 'command' is missing: a process plugin names the program to run"), r::toString);

    Path number = plugin("number", "ok", "");
    Files.writeString(number.resolve("plugin.yaml"), "name: number\nversion: 1.0\ncommand: misbehave.py\n");
    r = dist.fails("external:install " + number);
    assertTrue(r.err().contains("line 2: field 'version': expected a string, got the number 1.0 (quote it)"), r::toString);
    assertFalse(row("types").contains("types"), "nothing is installed");
    othersUnchanged();
  }

  @Test
  @Order(3)
  void aZipSlipArchiveIsRefusedAndAGoodTarGzInstalls() throws Exception {
    Path zip = dist.root().resolve("slip.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("plugin.yaml"));
      out.write("name: slip\nversion: \"1.0.0\"\ncommand: x\n".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("../../../evil.txt"));
      out.write("owned".getBytes(StandardCharsets.UTF_8));
    }
    Result r = dist.fails("external:install " + zip);
    assertTrue(r.err().contains("Cannot install the plugin archive " + zip + ": its entry '../../../evil.txt' would be"
        + " written outside the folder it unpacks into (a zip slip); the archive is refused"), r::toString);
    assertTrue(Distribution.tree(dist.root()).stream().noneMatch(p -> p.getFileName().toString().equals("evil.txt")),
        "nothing was written outside");

    Path dir = plugin("tarred", "ok", "");
    Path tgz = dist.root().resolve("tarred.tar.gz");
    Result tar = dist.exec(dist.root(), WAIT, Map.of(), List.of("tar", "-czf", tgz.toString(), "-C", dir.getParent().toString(), "tarred"));
    assertEquals(0, tar.exit(), tar::toString);
    r = dist.ok("external:install " + tgz);
    assertTrue(r.out().startsWith("Installed external plugin tarred 1.0.0: ACTIVE"), r::toString);
    assertEquals("{\"x\": \"1\"}", dist.ok("tarred:echo x=1").out().strip());
    othersUnchanged();
  }

  @Test
  @Order(4)
  void aPluginThatExitsAtStartIsFailedWithItsLastWords() throws IOException {
    Result r = dist.ok("external:install " + plugin("early", "exit-at-start", "restart:\n  policy: never\n"));
    assertTrue(r.out().contains("early 1.0.0: FAILED: its process ended with exit status 3; its last words on"
        + " stderr: misbehave: cannot find my configuration"), r::toString);
    othersUnchanged();
  }

  @Test
  @Order(5)
  void aCrashLoopOpensTheCircuitWithAnIncident() throws IOException {
    dist.ok("external:install " + plugin("crashy", "crash-after-start",
        "restart:\n  initialBackoff: 100ms\n  maxFailures: 3\n  window: 1m\n"));
    String failed = Await.until("crashy FAILED", WAIT, () -> info("crashy"), i -> i.contains("State:       FAILED"));
    assertTrue(failed.contains("Reason:      it failed 3 times within 60 s (restart.maxFailures 3); the last time:"
        + " its process ended with exit status 1"), failed);
    assertTrue(failed.contains("Restarts:    2"), failed);
    String incidents = dist.ok("error:list").out();
    assertTrue(incidents.lines().anyMatch(l -> l.contains("| crashy ") && l.contains("ERROR") && l.contains("failed 3 times")),
        incidents);
    assertTrue(incidents.lines().anyMatch(l -> l.contains("| crashy ") && l.contains("External plugin crashy failed and is restarted")),
        incidents);
    // The assistant's crash-loop analysis knows it, and its fix disables it.
    String id = incidents.lines().filter(l -> l.contains("| crashy ") && l.contains("failed 3 times")).findFirst()
        .orElseThrow().split("\\|")[0].strip();
    Result analysis = dist.ok("assist:analyze " + id);
    assertTrue(analysis.out().contains("crashy is in a crash loop: it failed ") && analysis.out().contains("(an external plugin, FAILED: ")
        && analysis.out().contains("disable crashy (external plugin) until it is fixed"), analysis::toString);
    Result fixed = dist.ok("assist:fix --yes " + id);
    assertTrue(fixed.out().contains("disabled crashy: STOPPED"), fixed::toString);
    assertTrue(row("crashy").contains("STOPPED (disabled)"), row("crashy"));
    othersUnchanged();
  }

  @Test
  @Order(6)
  void aPluginThatHangsInInitializeTimesOutAndIsKilled() throws IOException {
    Result r = dist.ok("external:install " + plugin("hang", "hang-initialize",
        "health:\n  startTimeout: 1s\nrestart:\n  policy: never\n"));
    assertTrue(r.out().contains("hang 1.0.0: FAILED: it did not answer initialize within 1 s"), r::toString);
    Await.until("its process is gone", WAIT, () -> ProcessHandle.allProcesses()
        .noneMatch(p -> p.info().commandLine().orElse("").contains("hang-initialize")));
    othersUnchanged();
  }

  @Test
  @Order(7)
  void junkAndA100MbLineOnStdoutAreLoggedNotRead() throws IOException {
    Result r = dist.ok("external:install " + plugin("junk", "junk", ""));
    assertTrue(r.out().contains("junk 1.0.0: ACTIVE"), r::toString);
    assertEquals("{\"a\": \"1\"}", dist.ok("junk:echo a=1").out().strip());
    String log = log();
    assertTrue(log.contains("junk - stdout (not protocol): this is not JSON"), "the junk is logged");
    assertTrue(log.contains("junk - skipped a line of 104857600 bytes on stdout: longer than 4194304 bytes"), "the long line is skipped");
    othersUnchanged();
  }

  @Test
  @Order(8)
  void aFloodOnStderrIsLoggedBounded() throws IOException {
    Result r = dist.ok("external:install " + plugin("flood", "flood-stderr", ""));
    assertTrue(r.out().contains("flood 1.0.0: ACTIVE"), r::toString);
    Await.until("the flood's dropped lines counted in the log", WAIT, () -> log().contains("flood - more than 50 lines a second of output: the rest of this second is counted, not logged"));
    long logged = log().lines().filter(l -> l.contains("flood - stderr: flood line")).count();
    assertTrue(logged < 20_000, "at most 50 lines a second of 200000 are logged: " + logged);
    assertEquals("{\"b\": \"2\"}", dist.ok("flood:echo b=2").out().strip());
    othersUnchanged();
  }

  /**
   * A plugin that ends when its stdin closes (the MCP way), even one that cleans up for a while first,
   * gets no signal: it leaves by itself, with status 0.
   */
  @Test
  @Order(9)
  void aPluginThatEndsAtTheEndOfItsInputIsNotSignalled() throws IOException {
    dist.ok("external:install " + plugin("polite", "slow-exit", ""));
    assertEquals("polite: STOPPED", dist.ok("external:stop polite").out().strip());
    String stopped = Await.until("its stop logged", WAIT, ExternalPluginsIT::log, l -> l.contains("polite - stopped ("));
    assertTrue(stopped.contains("polite - stopped (exit status 0)"), () -> stopped.lines()
        .filter(l -> l.contains("polite - stopped")).findFirst().orElse(""));
    assertTrue(stopped.contains("misbehave: cleaned up after the end of my input"), "it cleaned up");
    dist.ok("external:uninstall polite");
    othersUnchanged();
  }

  @Test
  @Order(9)
  void aPluginThatIgnoresSigtermIsKilledAfterTheGrace() throws IOException {
    dist.ok("external:install " + plugin("stubborn", "ignore-sigterm", ""));
    long pid = pid("stubborn");
    long begin = System.nanoTime();
    assertEquals("stubborn: STOPPED", dist.ok("external:stop stubborn").out().strip());
    long millis = (System.nanoTime() - begin) / 1_000_000;
    assertTrue(millis >= 5000 && millis < 15000, "killed after the 5 s grace: " + millis + " ms");
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "its process is gone");
    othersUnchanged();
  }

  @Test
  @Order(10)
  void aChildThatOutlivesItsPluginIsReaped() throws Exception {
    dist.ok("external:install " + plugin("forker", "fork-child", ""));
    Path pidFile = dist.data().resolve("plugins/forker/child.pid");
    Await.until("the child wrote its pid", WAIT, () -> Files.isRegularFile(pidFile));
    long child = Long.parseLong(Files.readString(pidFile).strip());
    assertTrue(ProcessHandle.of(child).isPresent(), "the child runs");
    dist.ok("external:stop forker");
    Await.until("the child is reaped", Duration.ofSeconds(10), () -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    othersUnchanged();
  }

  @Test
  @Order(11)
  void aPluginThatExceedsItsMemoryFailsWithTheCause() throws IOException {
    Result r = dist.ok("external:install " + plugin("hog", "memory", "resources:\n  memory: 128m\nrestart:\n  policy: never\n"));
    assertTrue(r.out().contains("hog 1.0.0: FAILED: its process ended with exit status 1") && r.out().contains("MemoryError"),
        r::toString);
    othersUnchanged();
  }

  @Test
  @Order(12)
  void aPluginThatStopsAnsweringPingsIsRestarted() throws IOException {
    dist.ok("external:install " + plugin("deaf", "deaf",
        "health:\n  interval: 300ms\n  timeout: 200ms\n  failureThreshold: 2\nrestart:\n  initialBackoff: 100ms\n"));
    String restarted = Await.until("deaf restarted", WAIT, () -> info("deaf"), i -> !i.contains("Restarts:    0"));
    assertTrue(restarted.contains("Reason:      it did not answer 2 pings in a row within 200 ms"), restarted);
    Await.until("the pings' failures in the log", WAIT, () -> log().contains("deaf - did not answer a ping within 200 ms (2 in a row)"));
    dist.ok("external:stop deaf");
    othersUnchanged();
  }

  @Test
  @Order(13)
  void uninstallDeletesItsFiles() {
    assertEquals("Uninstalled external plugin tarred", dist.ok("external:uninstall tarred").out().strip());
    assertFalse(Files.exists(dist.data().resolve("external/tarred")));
    assertFalse(Files.exists(dist.data().resolve("plugins/tarred")));
    Result gone = dist.client("tarred:echo x=1");
    assertEquals(1, gone.exit(), gone::toString);
    othersUnchanged();
  }

  /** As CommandHelpIT checks the boot feature's commands (this feature is not booted). */
  @Test
  @Order(14)
  void everyExternalCommandAnswersHelp() {
    List<String> wrong = new java.util.ArrayList<>();
    for (String c : List.of("install", "list", "info", "start", "stop", "enable", "disable", "uninstall", "update")) {
      String command = "external:" + c;
      Result r = dist.client(command + " --help");
      if (r.exit() != 0 || !r.out().startsWith(command + " - ") || !r.out().contains("\nUsage:\n  " + command)
          || !r.out().contains("-h, --help") || !r.out().contains("\nExample:\n  " + command)) {
        wrong.add(command + " --help\n" + r);
      }
    }
    assertEquals(List.of(), wrong);
    Result bare = dist.client("external:info");
    assertTrue(bare.all().contains("external:info needs arguments: external:info --help shows what it takes"), bare::toString);
    Result half = dist.client("external:update hello-python");
    assertTrue(half.all().contains("external:update takes the plugin and the folder or archive of its new version:"
        + " external:update hello-python DIR|ARCHIVE"), half::toString);
  }

  /** A tool of requires that is missing: FAILED at once, with what to do; no restarts. */
  @Test
  @Order(15)
  void aMissingRequiredToolFailsAtOnceAndSaysWhich() throws IOException {
    Result r = dist.ok("external:install " + plugin("needy", "ok", "requires: [python3, no-such-tool-here]\n"));
    assertTrue(r.out().contains("needy 1.0.0: FAILED: it requires no-such-tool-here (requires of ")
        && r.out().contains("not found on the PATH") && r.out().contains("then external:start needy"), r::toString);
    assertTrue(info("needy").contains("Restarts:    0"));
    othersUnchanged();
  }

  /** Without the permission network a plugin has no network (a namespace of its own); with it, it has. */
  @Test
  @Order(16)
  void onlyAPluginGrantedTheNetworkReachesIt() throws IOException {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      dist.ok("external:install " + plugin("offline", "ok", ""));
      assertTrue(info("offline").contains("network: none (a network namespace of its own; permission network grants it)"),
          info("offline"));
      String refused = dist.ok("offline:echo connect=" + port).out();
      assertTrue(refused.startsWith("cannot connect: "), refused);
      Path online = plugin("online", "ok", "permissions: [network]\n");
      Result notGranted = dist.fails("plugin:install " + online);
      assertTrue(notGranted.err().contains("online asks in " + online.resolve("plugin.yaml") + " for permissions not"
          + " granted yet: network. Install it with --grant"), notGranted::toString);
      dist.ok("plugin:install --grant " + online);
      assertTrue(info("online").contains("network: granted (permission network)"), info("online"));
      assertEquals("connected", dist.ok("online:echo connect=" + port).out().strip());
      assertTrue(dist.ok("security:audit").out().lines().anyMatch(l -> l.contains("online") && l.contains("network")
          && l.contains("external:install --grant")), "the grant is audited");
      // Revoked, the plugin runs without it from its next start.
      dist.ok("security:revoke online network");
      dist.ok("external:stop online");
      dist.ok("external:start online");
      assertTrue(dist.ok("online:echo connect=" + port).out().startsWith("cannot connect: "), "no network once revoked");
      dist.ok("external:uninstall online");
    }
    Path bad = plugin("badperm", "ok", "permissions: [network, internet]\n");
    Result r = dist.fails("external:install " + bad);
    assertTrue(r.err().contains("line 5: field 'permissions[1]': ") && r.err().contains("'internet' is not a permission"), r::toString);
    othersUnchanged();
  }

  /**
   * An update starts the new version beside the running one and checks it (initialize, tools/list,
   * ping): one that does not answer is stopped and the old one runs on, the same process; one that
   * answers takes over: the old process ends and the commands reach the new one.
   */
  @Test
  @Order(17)
  void anUpdateStartsTheNewVersionBesideTheOldAndKeepsTheOldOnFailure() throws IOException {
    Path dir = plugin("upd", "ok", "");
    dist.ok("external:install " + dir);
    long before = pid("upd");
    Files.writeString(dir.resolve("plugin.yaml"), "name: upd\nversion: \"2.0.0\"\ncommand: misbehave.py\n"
        + "args: [exit-at-start]\n");
    Result r = dist.fails("external:update upd " + dir);
    assertTrue(r.err().contains("The update of upd to 2.0.0 failed: it is FAILED: its process ended with exit status 3;")
        && r.err().contains("upd 1.0.0 runs on, untouched: ACTIVE (pid " + before + ")"), r::toString);
    Files.writeString(dir.resolve("plugin.yaml"), "name: upd\nversion: \"2.0.1\"\ncommand: misbehave.py\n"
        + "args: [hang-initialize]\nhealth:\n  startTimeout: 1s\n");
    r = dist.fails("plugin:update upd " + dir);
    assertTrue(r.err().contains("The update of upd to 2.0.1 failed: it is FAILED: it did not answer initialize within 1 s")
        && r.err().contains("runs on, untouched"), r::toString);
    assertTrue(row("upd").matches("upd +\\| 1\\.0\\.0 +\\| external \\| ACTIVE +\\| " + before + " +\\| 0 .*"), row("upd"));
    assertEquals("{\"v\": \"1\"}", dist.ok("upd:echo v=1").out().strip());

    Files.writeString(dir.resolve("plugin.yaml"), "name: other\nversion: \"3.0.0\"\ncommand: misbehave.py\nargs: [ok]\n");
    r = dist.fails("external:update upd " + dir);
    assertTrue(r.err().contains("is the plugin other, not upd: an update takes a new version of the same plugin"), r::toString);
    Files.writeString(dir.resolve("plugin.yaml"), "name: upd\nversion: \"3.0.0\"\ncommand: misbehave.py\nargs: [ok]\n");
    r = dist.ok("plugin:update upd " + dir);
    assertTrue(r.out().startsWith("Updated external plugin upd to 3.0.0: ACTIVE (pid "), r::toString);
    long after = pid("upd");
    assertTrue(after > 0 && after != before, "a new process");
    assertFalse(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false), "the old version's process ended");
    assertEquals("{\"v\": \"3\"}", dist.ok("upd:echo v=3").out().strip());
    assertTrue(Files.readString(dist.data().resolve("external/upd/plugin.yaml")).contains("3.0.0"), "its files");
    othersUnchanged();
  }

  /** The plugin: commands take external plugins too, while the feature runs. */
  @Test
  @Order(18)
  void pluginCommandsTakeExternalPlugins() throws IOException {
    Path dir = plugin("viaplugin", "ok", "");
    Result planned = dist.fails("plugin:install --dry-run " + dir);
    assertTrue(planned.err().contains("plugin:install --dry-run plans bundle plugins only"), planned::toString);
    assertEquals("", row("viaplugin"), "a dry run installs nothing");
    Result r = dist.ok("plugin:install " + dir);
    assertTrue(r.out().startsWith("Installed external plugin viaplugin 1.0.0: ACTIVE (pid "), r::toString);
    String list = dist.ok("plugin:list").out();
    assertTrue(list.lines().anyMatch(l -> l.matches("Name +\\| Version \\| Kind +\\| State +\\| Pid +\\| Restarts \\| Uptime +\\| Tools")), list);
    assertTrue(list.lines().anyMatch(l -> l.matches("viaplugin +\\| 1\\.0\\.0 +\\| external \\| ACTIVE +\\| \\d+ +\\| 0 .*\\| echo")), list);
    assertEquals("viaplugin: STOPPED", dist.ok("plugin:stop viaplugin").out().strip());
    assertTrue(dist.ok("plugin:start viaplugin").out().startsWith("viaplugin: ACTIVE (pid "));
    assertTrue(dist.ok("plugin:disable viaplugin").out().startsWith("viaplugin: STOPPED"));
    assertTrue(row("viaplugin").contains("STOPPED (disabled)"), row("viaplugin"));
    String info = dist.ok("plugin:info viaplugin").out();
    assertTrue(info.contains("Name:        viaplugin") && info.contains("Kind:        external (runtime process)")
        && info.contains("State:       STOPPED (disabled)") && info.contains("Folder:      "), info);
    String json = dist.ok("plugin:list --json").out();
    assertTrue(json.contains("\"name\": \"viaplugin\"") && json.contains("\"kind\": \"external\""), json);
    assertTrue(dist.ok("plugin:info --json viaplugin").out().contains("\"state\": \"STOPPED\""));
    assertEquals("Uninstalled external plugin viaplugin", dist.ok("plugin:uninstall viaplugin").out().strip());
    assertTrue(dist.ok("external:list --json").out().contains("\"name\": \"hello-python\""));
    othersUnchanged();
  }

  /** Stopping the runtime stops every plugin's process; the enabled ones start with it again, a disabled one does not. */
  @Test
  @Order(19)
  void theRuntimeStopsItsPluginsAndStartsTheEnabledOnesAgain() {
    dist.ok("external:disable junk");
    dist.stop();
    assertFalse(ProcessHandle.of(helloPid).map(ProcessHandle::isAlive).orElse(false), "hello-python ends with the runtime");
    dist.start();
    String hello = Await.until("hello-python ACTIVE again", WAIT, () -> info("hello-python"), i -> i.contains("State:       ACTIVE"));
    assertFalse(hello.contains("Pid:         " + helloPid), hello);
    assertTrue(row("junk").contains("STOPPED (disabled)"), row("junk"));
    assertEquals("Hello, Bob!", dist.ok("hello-python:greet name=Bob").out().strip());
  }

  /**
   * The dockevos capability's configuration: hello-python gets the defaults of config in its
   * plugin.yaml, then deploy/dockevos.external.hello.python.cfg, checked against that schema; a bad
   * value is refused naming the PID and the field, and the plugin keeps its last good configuration,
   * without a restart.
   */
  @Test
  @Order(20)
  void itsConfigurationComesFromConfigurationAdminCheckedAgainstItsSchema() throws IOException {
    helloPid = pid("hello-python");
    assertTrue(info("hello-python").contains("Config:      dockevos.external.hello.python {\"greeting\":\"Hello\",\"excited\":false}"),
        () -> info("hello-python"));
    Path cfg = dist.deploy().resolve("dockevos.external.hello.python.cfg");
    Files.writeString(cfg, "greeting = Howdy\nexcited = true\n");
    Await.until("the new configuration reaches the plugin", WAIT, () -> dist.ok("hello-python:greet name=Ada").out().strip(),
        "Howdy, Ada!!!"::equals);
    assertTrue(log().contains("hello-python - hello: configuration: {\"excited\": true, \"greeting\": \"Howdy\"}"));

    Files.writeString(cfg, "greeting = Hi\nexcited = maybe\ngretting = typo\n");
    String refused = Await.until("the bad configuration refused", WAIT, () -> info("hello-python"),
        i -> i.contains("is refused"));
    assertTrue(refused.contains("the configuration dockevos.external.hello.python is refused: field 'excited': expected a"
        + " boolean, got the string 'maybe'") && refused.contains("field 'gretting' is not in the plugin's config schema")
        && refused.contains("the plugin keeps its last valid configuration"), refused);
    assertTrue(log().contains("ERROR") && log().contains("the configuration dockevos.external.hello.python is refused"));
    assertEquals("Howdy, Ada!!!", dist.ok("hello-python:greet name=Ada").out().strip(), "its last good configuration");

    Files.delete(cfg);
    Await.until("back to the defaults", WAIT, () -> dist.ok("hello-python:greet name=Ada").out().strip(), "Hello, Ada!"::equals);
    othersUnchanged();
  }

  /**
   * The dockevos capability's events: hello-python subscribes to dockevos/plugin/* and
   * dockevos/hello/*, which its permissions allow, and receives them; it publishes on
   * dockevos/hello/greeted, which they allow, and not elsewhere: the refusal names the permission.
   * A plugin that subscribes to topics its permissions do not allow gets an error naming the one it lacks.
   */
  @Test
  @Order(21)
  void itsEventsAreCheckedAgainstItsPermissions() throws IOException {
    assertTrue(info("hello-python").contains("Subscribed:  dockevos/plugin/*, dockevos/hello/*"), () -> info("hello-python"));
    dist.ok("external:install " + plugin("spy", "spy", ""));
    Await.until("hello-python receives the events of another plugin", WAIT, () -> dist.ok("hello-python:events").out(),
        e -> e.contains("dockevos/plugin/INSTALLED spy") && e.contains("dockevos/plugin/STARTED spy"));
    String spied = Await.until("the spy's subscription refused", WAIT, ExternalPluginsIT::log,
        l -> l.contains("spy - stderr: spy: the answer:"));
    assertTrue(spied.contains("spy may not receive the events of dockevos/security/*: it needs the permission"
        + " events.subscribe:dockevos/security/*") && spied.contains("\"code\": -32001"), spied);
    assertFalse(info("spy").contains("Subscribed:"), info("spy"));

    dist.ok("hello-python:greet name=Eve");
    Await.until("its own event comes back to it through Event Admin", WAIT, () -> dist.ok("hello-python:events").out(),
        e -> e.contains("dockevos/hello/greeted hello-python"));
    assertEquals("published on dockevos/hello/news", dist.ok("hello-python:announce topic=dockevos/hello/news").out().strip());
    Result r = dist.fails("hello-python:announce topic=dockevos/plugin/FAILED");
    assertTrue(r.err().contains("refused: hello-python may not publish on dockevos/plugin/FAILED: it needs the permission"
        + " events.publish:dockevos/plugin/FAILED"), r::toString);
    dist.ok("external:uninstall spy");
    othersUnchanged();
  }

  /** Its MCP log messages are in the runtime log under its name, at the level they were sent with. */
  @Test
  @Order(22)
  void itsLogMessagesAreUnderItsNameAtTheirLevel() {
    String lines = log().lines().filter(l -> l.contains("hello-python - hello: ")).reduce("", (a, b) -> a + b + "\n");
    assertTrue(lines.lines().anyMatch(l -> l.contains("INFO") && l.contains("hello-python - hello: hello-python is ready")),
        lines);
    assertTrue(lines.lines().anyMatch(l -> l.contains("WARN") && l.contains("hello-python - hello: announce refused: ")),
        lines);
  }

  /**
   * A factory (factory: true): each factory configuration, deploy/dockevos.external.NAME-INSTANCE.cfg,
   * runs an instance NAME~INSTANCE with its own configuration; deleting the file stops and removes it.
   */
  @Test
  @Order(23)
  void aFactoryRunsAnInstancePerConfiguration() throws IOException {
    Path dir = Files.createDirectories(dist.root().resolve("plugins/hello-many"));
    Files.copy(HELLO.resolve("server.py"), dir.resolve("server.py"));
    Files.writeString(dir.resolve("plugin.yaml"), Files.readString(HELLO.resolve("plugin.yaml"))
        .replace("name: hello-python", "name: hello-many\nfactory: true"));
    Result r = dist.ok("external:install --grant " + dir);
    assertTrue(r.out().contains("Installed external plugin hello-many 1.0.0: STOPPED; a factory: each configuration of the"
        + " factory PID dockevos.external.hello.many runs an instance hello-many~INSTANCE"), r::toString);
    Path fr = dist.deploy().resolve("dockevos.external.hello.many-fr.cfg");
    Files.writeString(fr, "greeting = Bonjour\n");
    Files.writeString(dist.deploy().resolve("dockevos.external.hello.many-es.cfg"), "greeting = Hola\n");
    Await.until("two instances", WAIT, () -> row("hello-many~es") + row("hello-many~fr"),
        rows -> rows.matches("hello-many~es +\\| 1\\.0\\.0 +\\| external \\| ACTIVE .*hello-many~fr +\\| 1\\.0\\.0 +\\| external \\| ACTIVE .*"));
    assertEquals("Bonjour, Ada!", dist.ok("hello-many~fr:greet name=Ada").out().strip());
    assertEquals("Hola, Ada!", dist.ok("hello-many~es:greet name=Ada").out().strip());
    assertTrue(info("hello-many").contains("Factory:     each configuration of the factory PID dockevos.external.hello.many"
        + " runs an instance; hello-many~es, hello-many~fr"), () -> info("hello-many"));
    long frPid = pid("hello-many~fr");

    Files.delete(fr);
    Await.until("the instance removed with its configuration", WAIT, () -> row("hello-many~fr"), String::isEmpty);
    Await.until("its process ended", WAIT, () -> !ProcessHandle.of(frPid).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(Files.exists(dist.data().resolve("plugins/hello-many~fr")), "its working folder is deleted");
    assertTrue(row("hello-many~es").contains("ACTIVE"), row("hello-many~es"));
    r = dist.fails("external:uninstall hello-many~es");
    assertTrue(r.err().contains("hello-many~es is an instance of the factory hello-many: delete its configuration"
        + " dockevos.external.hello.many~es"), r::toString);
    long esPid = pid("hello-many~es");
    dist.ok("external:uninstall hello-many");
    assertFalse(ProcessHandle.of(esPid).map(ProcessHandle::isAlive).orElse(false), "its instances stop with it");
    assertEquals("", row("hello-many~es"));
    Files.delete(dist.deploy().resolve("dockevos.external.hello.many-es.cfg"));
  }

  /**
   * A version in requires ({@code python3>=999}): without the hardware analyzer only the PATH is
   * looked at, and external:info says so; with it, a tool too old makes the plugin FAILED at once,
   * naming the tool and the versions required and found, with an incident (TOOL_MISSING), and a
   * tool recent enough starts. A constraint that is none is refused naming the field and the line.
   */
  @Test
  @Order(24)
  void aToolTooOldFailsNamingTheVersionsRequiredAndFound() throws IOException {
    Path bad = plugin("badversion", "ok", "requires: [python3, \"python3>>3\"]\n");
    Result r = dist.fails("external:install " + bad);
    assertTrue(r.err().contains("line 5: field 'requires[1]': 'python3>>3' does not match"), r::toString);
    assertTrue(r.err().contains("(python3>=3.8; also >, =, <, <=)"), r::toString);

    Result picky = dist.ok("external:install " + plugin("picky", "ok", "requires: [\"python3>=999\"]\n"));
    assertTrue(picky.out().contains("picky 1.0.0: ACTIVE"), picky::toString);
    assertTrue(info("picky").contains("; requires python3>=999: versions not checked (only that the tools are on the"
        + " PATH) without the feature dockevos-hardware"), () -> info("picky"));

    assertTrue(dist.ok("feature:install dockevos-hardware").out().contains("Installed feature dockevos-hardware"));
    dist.ok("external:stop picky");
    Result tooOld = dist.ok("external:start picky");
    System.out.println("external:start of a plugin that requires python3>=999: " + tooOld.out().strip());
    assertTrue(tooOld.out().matches("(?s)picky: FAILED: it requires python3>=999, but the installed one is \\d+\\.\\d+.*"
        + " \\(/.*python3\\); a newer python3 is needed: .* \\(requires of .*plugin.yaml\\); then external:start picky\\s*"),
        tooOld::toString);
    assertTrue(info("picky").contains("Restarts:    0") && !info("picky").contains("versions not checked"));
    Await.until("the incident of the tool too old", WAIT, () -> dist.ok("error:list").out(), o -> o.lines()
        .anyMatch(l -> l.contains("| picky ") && l.contains("picky requires python3>=999, but the installed one is")));

    // hw:check NAME checks an external plugin's requires as it checks a bundle plugin's.
    String check = dist.ok("hw:check picky").out();
    assertTrue(check.lines().anyMatch(l -> l.matches("python3 +\\| >=999\\.0\\.0 +\\| too old +\\| \\d+\\..* \\| picky +\\|"
        + " a newer python3 is needed: .*")), check);

    Result recent = dist.ok("external:install " + plugin("recent", "ok", "requires: [\"python3>=3\", \"python3 < 999.1\"]\n"));
    assertTrue(recent.out().contains("recent 1.0.0: ACTIVE"), recent::toString);
    check = dist.ok("hw:check recent").out();
    assertTrue(check.lines().anyMatch(l -> l.matches("python3 +\\| >=3\\.0\\.0 +\\| present .*\\| recent +\\| *")), check);
    assertTrue(check.lines().anyMatch(l -> l.matches("python3 +\\| <999\\.1\\.0 +\\| present .*\\| recent +\\| *")), check);
    assertTrue(dist.ok("hw:check").out().contains("| picky "), "hw:check without a target checks the external plugins too");
    assertEquals("{\"x\": \"1\"}", dist.ok("recent:echo x=1").out().strip());
    dist.ok("external:uninstall recent");
    dist.ok("external:uninstall picky");
  }

  /**
   * A relative path is read from the home, as plugin:install reads it, whatever folder the runtime was
   * started from (this test's runtime was started from outside its home).
   */
  @Test
  @Order(25)
  void aRelativePathIsReadFromTheHome() throws IOException {
    Path dir = plugin("relative", "ok", "");
    Path inHome = Files.createDirectories(dist.home().resolve("plugins"));
    Files.move(dir, inHome.resolve("relative"));
    assertTrue(dist.ok("external:install plugins/relative").out().contains("Installed external plugin relative 1.0.0:"
        + " ACTIVE"));
    Result missing = dist.fails("external:install plugins/not-there");
    assertTrue(missing.err().contains(dist.home().resolve("plugins/not-there") + " is neither a folder with a plugin.yaml"
        + " nor a .zip or .tar.gz: it does not exist (a relative path is read from the dockevOS home, " + dist.home()
        + ")"), missing::toString);
    dist.ok("external:uninstall relative");
  }
}
