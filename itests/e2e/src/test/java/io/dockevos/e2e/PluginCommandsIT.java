package io.dockevos.e2e;

import static io.dockevos.test.tiny.TinyBundles.GOOD_1;
import static io.dockevos.test.tiny.TinyBundles.GOOD_2;
import static io.dockevos.test.tiny.TinyBundles.NEEDS_MISSING;
import static io.dockevos.test.tiny.TinyBundles.PROVIDES_MISSING;
import static io.dockevos.test.tiny.TinyBundles.REQUIRES_FUTURE_HOST;
import static io.dockevos.test.tiny.TinyBundles.STATEFUL_1;
import static io.dockevos.test.tiny.TinyBundles.STATEFUL_2;
import static io.dockevos.test.tiny.TinyBundles.STATEFUL_BROKEN_3;
import static io.dockevos.test.tiny.TinyBundles.THROWS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code plugin:*} commands against a running instance, as a user types them through {@code
 * bin/dockevos client}: the output, the exit status, the state that {@code plugin:list --json}
 * shows, and the files in the plugin's data area.
 */
class PluginCommandsIT extends UnpackedDistribution {
  private static final String GOOD = "io.dockevos.test.good";
  private static final String STATEFUL = "io.dockevos.test.stateful";
  private static Path jars;

  @BeforeAll
  static void startInstance() throws IOException {
    jars = Files.createDirectories(dist.root().resolve("jars"));
    for (String name : TinyBundles.ALL) {
      TinyBundles.copyTo(name, jars);
    }
    dist.start();
  }

  /** Each test starts with no test plugin installed. */
  @AfterEach
  void uninstallTestPlugins() {
    // One plan for all: a provider is not refused because a test plugin still needs it.
    String ids = String.join(" ", testPlugins().stream().map(p -> String.valueOf(p.getJsonNumber("id").longValue()))
        .toList());
    if (!ids.isEmpty()) {
      dist.client("plugin:uninstall --force " + ids);
    }
    assertEquals(List.of(), testPlugins(), "test plugins left behind");
  }

  private static Result ok(String command) {
    return dist.ok(command);
  }

  private static Result fails(String command) {
    return dist.fails(command);
  }

  private static List<JsonObject> plugins() {
    Result r = ok("plugin:list --all --json");
    JsonArray list = Json.createReader(new StringReader(r.out())).readArray();
    return list.getValuesAs(JsonObject.class);
  }

  private static List<JsonObject> testPlugins() {
    return plugins().stream().filter(p -> p.getString("symbolicName").startsWith("io.dockevos.test.")).toList();
  }

  private static JsonObject plugin(String symbolicName) {
    Optional<JsonObject> p = plugins().stream().filter(o -> o.getString("symbolicName").equals(symbolicName))
        .findFirst();
    assertTrue(p.isPresent(), () -> symbolicName + " is not in plugin:list --all --json");
    return p.get();
  }

  private static JsonObject info(String ref) {
    return Json.createReader(new StringReader(ok("plugin:info --json " + ref).out())).readObject();
  }

  private static String jar(String name) {
    return jars.resolve(name).toString();
  }

  @Test
  void installsAJarAndListsItActiveWithItsSource() {
    Result r = ok("plugin:install " + jar(GOOD_1));
    assertTrue(r.out().contains("Installed " + GOOD + " 1.0.0 as plugin"), r::toString);
    assertTrue(r.out().contains("ACTIVE"), r::toString);

    JsonObject p = plugin(GOOD);
    assertEquals("ACTIVE", p.getString("state"));
    assertEquals("1.0.0", p.getString("version"));
    assertEquals(jar(GOOD_1), p.getString("source"));
    assertFalse(p.getBoolean("boot"));
    assertFalse(p.isNull("installed"));

    Result table = ok("plugin:list");
    assertTrue(table.out().lines().anyMatch(l -> l.contains(GOOD) && l.contains("ACTIVE") && l.contains(jar(GOOD_1))),
        table::toString);
    assertFalse(table.out().contains("org.apache.felix.scr"), "plugin:list hides the runtime's own bundles\n" + table);
  }

  @Test
  void installsFromAnHttpUrl() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serveGood(server, "/good.jar");
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/good.jar";
      // Plain http: on the loopback interface, with the jar's SHA-256 (SourcesIT has the rules).
      ok("plugin:install --insecure --sha256=" + sha256(jars.resolve(GOOD_1)) + " " + url);
      JsonObject p = plugin(GOOD);
      assertEquals("ACTIVE", p.getString("state"));
      assertEquals(url, p.getString("source"));
    } finally {
      server.stop(0);
    }
  }

  /** Issue 17, row 22: many release URLs answer with a redirect; it is followed. */
  @Test
  void installsFromAUrlThatRedirects() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/releases/latest.jar", exchange -> {
      exchange.getResponseHeaders().add("Location", "/files/good-1.0.0.jar");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    serveGood(server, "/files/good-1.0.0.jar");
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/releases/latest.jar";
      Result r = ok("plugin:install --insecure --sha256=" + sha256(jars.resolve(GOOD_1)) + " " + url);
      assertTrue(r.out().contains("Installed " + GOOD + " 1.0.0"), r::toString);
      JsonObject p = plugin(GOOD);
      assertEquals("ACTIVE", p.getString("state"));
      assertEquals(url, p.getString("source"), "the source recorded is the URL given");
    } finally {
      server.stop(0);
    }
  }

  /** Serves the tiny bundle good 1.0.0 at {@code path}. */
  private static void serveGood(HttpServer server, String path) {
    server.createContext(path, exchange -> {
      byte[] body = Files.readAllBytes(jars.resolve(GOOD_1));
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
  }

  private static String sha256(Path file) throws IOException {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anUnreachableUrlFailsFastNamingTheUrl() {
    // Port 9 on loopback: nothing listens, so the connection is refused at once.
    String url = "http://127.0.0.1:9/nothing.jar";
    long begin = System.nanoTime();
    Result r = fails("plugin:install --insecure --sha256=" + "0".repeat(64) + " " + url);
    long seconds = (System.nanoTime() - begin) / 1_000_000_000L;
    assertTrue(r.err().contains(url), r::toString);
    assertTrue(seconds < 15, "an unreachable URL must fail fast, not after " + seconds + " s");
    assertEquals(List.of(), testPlugins());
  }

  @Test
  void aFileThatIsNotAZipIsRejectedAndNothingIsInstalled() throws IOException {
    Path notZip = Files.writeString(jars.resolve("not-a-zip.jar"), "this is not a zip file");
    Result r = fails("plugin:install " + notZip);
    assertTrue(r.err().contains(notZip.toString()) && r.err().contains("not a jar"), r::toString);
    assertEquals(List.of(), testPlugins());
  }

  @Test
  void aJarWithoutAManifestIsRejected() throws IOException {
    Path noManifest = jars.resolve("no-manifest.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(noManifest))) {
      zip.putNextEntry(new ZipEntry("hello.txt"));
      zip.write("hello".getBytes());
      zip.closeEntry();
    }
    Result r = fails("plugin:install " + noManifest);
    assertTrue(r.err().contains(noManifest.toString()) && r.err().contains("no META-INF/MANIFEST.MF"), r::toString);
  }

  @Test
  void aDuplicateSymbolicNameAndVersionIsRefused() {
    ok("plugin:install " + jar(GOOD_1));
    Path copy = jars.resolve("good-copy.jar");
    try {
      Files.copy(jars.resolve(GOOD_1), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Result r = fails("plugin:install " + copy);
    assertTrue(r.err().contains(GOOD + " 1.0.0 is installed already"), r::toString);
    assertTrue(r.err().contains("plugin:update"), "the message offers the fix\n" + r);
    assertEquals(1, testPlugins().size());
  }

  @Test
  void anUnresolvablePluginIsNotInstalledAndEachMissingRequirementIsNamed() {
    Result r = fails("plugin:install " + jar(NEEDS_MISSING));
    assertTrue(r.err().contains("package io.dockevos.test.missing [1.0.0,2.0.0)"), r::toString);
    assertTrue(r.err().contains("Nothing was installed"), r::toString);
    assertEquals(List.of(), testPlugins());
  }

  @Test
  void theMissingProviderIsNamedWhenTheSystemRepositoryHasIt() throws IOException {
    Path repo = Files.createDirectories(dist.home().resolve("system/io/dockevos/test/providesmissing/1.0.0"));
    Path provider = repo.resolve("providesmissing-1.0.0.jar");
    Files.copy(jars.resolve(PROVIDES_MISSING), provider);
    try {
      // --no-deps takes nothing from the repositories: the error names the provider and how to install it.
      Result r = fails("plugin:install --no-deps " + jar(NEEDS_MISSING));
      assertTrue(r.err().contains("io.dockevos.test.providesmissing 1.0.0 provides it"),
          "the error names the provider in system/\n" + r);
      assertTrue(r.err().contains("plugin:install " + provider), "and how to install it\n" + r);
      assertEquals(List.of(), testPlugins());
      // Without it, the plan takes the provider from system/ and says so.
      Result ok = ok("plugin:install " + jar(NEEDS_MISSING));
      assertTrue(ok.out().contains("Added from the repositories, as needed: io.dockevos.test.providesmissing 1.0.0"),
          ok::toString);
      assertEquals("ACTIVE", plugin("io.dockevos.test.needsmissing").getString("state"));
      assertEquals("ACTIVE", plugin("io.dockevos.test.providesmissing").getString("state"));
    } finally {
      Files.delete(provider);
    }
  }

  @Test
  void aPluginForAFutureHostIsRefusedWithTheHostVersion() {
    Result r = fails("plugin:install " + jar(REQUIRES_FUTURE_HOST));
    assertTrue(r.err().contains("dockevOS host [99,"), r::toString);
    assertTrue(r.err().contains("this host is 0.1.0"), r::toString);
    assertTrue(r.err().contains("it needs a newer dockevOS"), r::toString);
  }

  @Test
  void theFeaturesAPluginRequiresAreChecked() {
    ok("plugin:install " + jar(TinyBundles.REQUIRES_FEATURE));
    assertEquals("ACTIVE", plugin("io.dockevos.test.requiresfeature").getString("state"));
    Result r = fails("plugin:install " + jar(TinyBundles.REQUIRES_MISSING_FEATURE));
    assertTrue(r.err().contains("requires the feature (dockevos.feature=no-such-feature), which is not installed"),
        r::toString);
    assertTrue(r.err().contains("Nothing was installed"), r::toString);
    assertTrue(plugins().stream().noneMatch(p -> p.getString("symbolicName").equals(
        "io.dockevos.test.requiresmissingfeature")));
  }

  @Test
  void aKillInTheMiddleOfAnInstallLeavesNothingHalfInstalled() throws Exception {
    Process install = dist.launch(dist.root(), java.util.Map.of(),
        List.of(dist.script().toString(), "client", "plugin:install " + jar(TinyBundles.SLOW)));
    Await.until("the slow plugin is starting", java.time.Duration.ofSeconds(30), () -> plugins().stream()
        .anyMatch(p -> p.getString("symbolicName").equals("io.dockevos.test.slow")
            && p.getString("state").equals("STARTING")));
    long pid = dist.pid();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // kill -9 in the middle of the install
    Await.until("pid " + pid + " is gone after SIGKILL", java.time.Duration.ofSeconds(20),
        () -> !Distribution.alive(pid));
    install.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
    dist.start();
    assertTrue(plugins().stream().noneMatch(p -> p.getString("symbolicName").equals("io.dockevos.test.slow")),
        "the interrupted install is undone at the next start");
    assertTrue(dist.logText().contains("was cut short when the runtime stopped"), "and the log says so");
    dist.assertBootBundlesActive();
  }

  @Test
  void anActivatorThatThrowsFailsTheInstallWithItsMessage() {
    Result r = fails("plugin:install " + jar(THROWS));
    assertTrue(r.err().contains("activator threw java.lang.IllegalStateException: tiny bundle refuses to start"),
        r::toString);
    assertEquals(List.of(), testPlugins());
    assertTrue(dist.bundles().stream().allMatch(b -> b.state().equals("Active")), "no other bundle changed");
  }

  @Test
  void forceKeepsAnUnresolvablePluginAndDiagExplainsIt() {
    ok("plugin:install --force " + jar(NEEDS_MISSING));
    assertEquals("INSTALLED", plugin("io.dockevos.test.needsmissing").getString("state"));
    Result diag = ok("plugin:diag io.dockevos.test.needsmissing");
    assertTrue(diag.out().contains("package io.dockevos.test.missing [1.0.0,2.0.0)"), diag::toString);
    assertTrue(diag.out().contains("What to do:"), diag::toString);

    ok("plugin:install " + jar(PROVIDES_MISSING));
    ok("plugin:start io.dockevos.test.needsmissing");
    assertEquals("ACTIVE", plugin("io.dockevos.test.needsmissing").getString("state"));
    assertTrue(ok("plugin:diag io.dockevos.test.needsmissing").out().contains("nothing is wrong"));
  }

  @Test
  void stopStartDisableEnable() {
    ok("plugin:install " + jar(GOOD_1));
    ok("plugin:stop " + GOOD);
    assertEquals("RESOLVED", plugin(GOOD).getString("state"));
    ok("plugin:start " + GOOD);
    assertEquals("ACTIVE", plugin(GOOD).getString("state"));

    ok("plugin:disable " + GOOD);
    assertEquals("DISABLED", plugin(GOOD).getString("state"));
    Result r = fails("plugin:start " + GOOD);
    assertTrue(r.err().contains("is disabled; enable it with plugin:enable"), r::toString);
    ok("plugin:enable " + GOOD);
    assertEquals("ACTIVE", plugin(GOOD).getString("state"));
  }

  @Test
  void aDisabledPluginStaysStoppedAcrossARestartAndTheRegistryKeepsItsSource() {
    ok("plugin:install " + jar(GOOD_1));
    ok("plugin:disable " + GOOD);
    String installed = plugin(GOOD).getString("installed");
    dist.stop();
    dist.start();
    JsonObject p = plugin(GOOD);
    assertEquals("DISABLED", p.getString("state"));
    assertEquals(jar(GOOD_1), p.getString("source"));
    assertEquals(installed, p.getString("installed"));
    ok("plugin:enable " + GOOD);
    assertEquals("ACTIVE", plugin(GOOD).getString("state"));
  }

  @Test
  void updateKeepsTheDataAreaAndCarriesStateOver() throws IOException {
    ok("plugin:install " + jar(STATEFUL_1));
    Path data = Path.of(info(STATEFUL).getString("dataArea"));
    Files.createDirectories(data);
    Files.writeString(data.resolve("mine.txt"), "kept");

    Result r = ok("plugin:update " + STATEFUL + " " + jar(STATEFUL_2));
    assertTrue(r.out().contains("Updated " + STATEFUL + " to 2.0.0: ACTIVE"), r::toString);
    JsonObject p = plugin(STATEFUL);
    assertEquals("2.0.0", p.getString("version"));
    assertEquals(jar(STATEFUL_2), p.getString("source"));
    assertFalse(p.isNull("updated"));
    assertEquals("kept", Files.readString(data.resolve("mine.txt")), "the data area survives an update");
    assertEquals("2.0.0 restored state version 1: state of 1.0.0", Files.readString(data.resolve("restored.txt")));
  }

  @Test
  void aFailedStateRestoreRollsBackToThePreviousVersionStillRunning() throws IOException {
    ok("plugin:install " + jar(STATEFUL_2));
    Path data = Path.of(info(STATEFUL).getString("dataArea"));

    Result r = fails("plugin:update " + STATEFUL + " " + jar(STATEFUL_BROKEN_3));
    assertTrue(r.err().contains("cannot migrate state version 2"), r::toString);
    assertTrue(r.err().contains("Rolled " + STATEFUL + " back to 2.0.0, which is running again"), r::toString);
    JsonObject p = plugin(STATEFUL);
    assertEquals("2.0.0", p.getString("version"));
    assertEquals("ACTIVE", p.getString("state"));
    assertEquals("2.0.0 restored state version 2: state of 2.0.0", Files.readString(data.resolve("restored.txt")),
        "the previous version gets its own state back");
  }

  /** Issue 17, row 12: the older version after an update is a second plugin; the updated one keeps its source. */
  @Test
  void installingTheVersionAnUpdateReplacedInstallsItBesideTheNewOne() {
    ok("plugin:install " + jar(GOOD_1));
    ok("plugin:update " + GOOD + " " + jar(GOOD_2));
    Result r = ok("plugin:install " + jar(GOOD_1));
    assertTrue(r.out().contains("Installed " + GOOD + " 1.0.0 as plugin "), r::toString);
    List<String> versions = testPlugins().stream().map(p -> p.getString("version") + " " + p.getString("source")).sorted()
        .toList();
    assertEquals(List.of("1.0.0 " + jar(GOOD_1), "2.0.0 " + jar(GOOD_2)), versions);
    Result again = fails("plugin:install " + jar(GOOD_1));
    assertTrue(again.err().contains(GOOD + " 1.0.0 is installed already"), again::toString);
  }

  @Test
  void updateToAnotherPluginIsRefused() {
    ok("plugin:install " + jar(GOOD_1));
    Result r = fails("plugin:update " + GOOD + " " + jar(STATEFUL_1));
    assertTrue(r.err().contains("another plugin"), r::toString);
    assertEquals("1.0.0", plugin(GOOD).getString("version"));
  }

  @Test
  void uninstallRemovesTheDataAreaUnlessKeepData() throws IOException {
    ok("plugin:install " + jar(GOOD_1));
    Path data = Path.of(info(GOOD).getString("dataArea"));
    Files.createDirectories(data);
    Files.writeString(data.resolve("notes.txt"), "mine");

    ok("plugin:uninstall --keep-data " + GOOD);
    assertEquals(List.of(), testPlugins());
    ok("plugin:install " + jar(GOOD_2));
    Path again = Path.of(info(GOOD).getString("dataArea"));
    assertEquals("mine", Files.readString(again.resolve("notes.txt")), "a reinstall finds the kept data");

    ok("plugin:uninstall " + GOOD);
    assertFalse(Files.exists(again), "uninstall removes the data area");
    ok("plugin:install " + jar(GOOD_1));
    assertFalse(Files.exists(Path.of(info(GOOD).getString("dataArea")).resolve("notes.txt")));
  }

  @Test
  void infoShowsMetadataWiringAndServices() {
    ok("plugin:install " + jar(PROVIDES_MISSING));
    ok("plugin:install " + jar(NEEDS_MISSING));
    JsonObject info = info("io.dockevos.test.needsmissing");
    assertEquals("A tiny bundle that dockevOS tests install, break and update.",
        info.getJsonObject("headers").getString("Bundle-Description"));
    assertTrue(info.getJsonArray("requires").getValuesAs(JsonValue::toString).stream()
        .anyMatch(r -> r.contains("io.dockevos.test.missing") && r.contains("io.dockevos.test.providesmissing 1.0.0")),
        info::toString);
    JsonObject provider = info("io.dockevos.test.providesmissing");
    assertTrue(provider.getJsonArray("provides").toString().contains("io.dockevos.test.missing"), provider::toString);

    Result text = ok("plugin:info io.dockevos.test.needsmissing");
    assertTrue(text.out().contains("State:      ACTIVE") && text.out().contains("Requires:"), text::toString);
  }

  @Test
  void anUnknownPluginIsNamedInTheError() {
    Result r = fails("plugin:start no.such.plugin");
    assertTrue(r.err().contains("No plugin named no.such.plugin"), r::toString);
    assertNotEquals("", r.err());
  }

  @Test
  void theRuntimesOwnBundlesCannotBeUninstalled() {
    Result r = fails("plugin:uninstall org.apache.felix.scr");
    assertTrue(r.err().contains("part of the runtime itself"), r::toString);
    dist.assertBootBundlesActive();
  }

  // ---- plugin archives ------------------------------------------------------------------------

  /** Writes a zip of (entry name, bytes) pairs. */
  private static Path zip(String name, Object... entries) throws IOException {
    Path file = jars.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (int i = 0; i < entries.length; i += 2) {
        zip.putNextEntry(new ZipEntry((String) entries[i]));
        zip.write((byte[]) entries[i + 1]);
        zip.closeEntry();
      }
    }
    return file;
  }

  private static byte[] bytes(String tinyBundle) throws IOException {
    return Files.readAllBytes(jars.resolve(tinyBundle));
  }

  @Test
  void aZipArchiveInstallsThePluginItsDependenciesAndItsConfiguration() throws IOException {
    Path archive = zip("needs-with-lib.zip", "needs-missing.jar", bytes(NEEDS_MISSING),
        "lib/provides-missing.jar", bytes(PROVIDES_MISSING),
        "io.dockevos.test.needsmissing.archive.cfg", "colour = blue\n".getBytes());
    Result r = ok("plugin:install " + archive);
    assertTrue(r.out().contains("Installed io.dockevos.test.needsmissing 1.0.0"), r::toString);
    assertEquals("ACTIVE", plugin("io.dockevos.test.needsmissing").getString("state"));
    JsonObject lib = plugin("io.dockevos.test.providesmissing");
    assertEquals("ACTIVE", lib.getString("state"));
    assertEquals(archive + "!/lib/provides-missing.jar", lib.getString("source"));
    Result config = ok("config:get io.dockevos.test.needsmissing.archive");
    assertTrue(config.out().contains("colour") && config.out().contains("blue"), config::toString);
    ok("config:list");
    dist.client("plugin:uninstall io.dockevos.test.needsmissing");
    dist.client("plugin:uninstall io.dockevos.test.providesmissing");
  }

  /** Issue 12, defect 5: an archive may not take over another PID, the runtime's here. */
  @Test
  void anArchiveWithAConfigurationOfAnotherPidIsRefusedAndThatConfigurationStays() throws IOException {
    String before = dist.client("config:get dockevos.deploy").all();
    Path archive = zip("takeover.zip", "good.jar", bytes(GOOD_1), "dockevos.deploy.cfg", "quietMillis = 999999\n".getBytes());
    Result r = fails("plugin:install " + archive);
    assertTrue(r.err().contains("its configuration dockevos.deploy.cfg is for dockevos.deploy, which is not its own"),
        r::toString);
    assertEquals(List.of(), testPlugins(), "nothing installed");
    assertEquals(before, dist.client("config:get dockevos.deploy").all(), "the runtime's configuration is as it was");
  }

  /** Issue 12, defect 5: a refused install puts back the configuration it changed, rather than deleting it. */
  @Test
  void aRefusedInstallPutsTheUsersConfigurationOfItsPidBack() throws Exception {
    Path cfg = dist.home().resolve("etc/io.dockevos.test.throws.cfg");
    Files.writeString(cfg, "colour = red\n");
    try {
      Await.until("etc/io.dockevos.test.throws.cfg is a configuration", Duration.ofSeconds(30),
          () -> dist.client("config:get io.dockevos.test.throws").out(), out -> out.contains("red"));
      Path archive = zip("throws-with-config.zip", "throws.jar", bytes(THROWS),
          "io.dockevos.test.throws.cfg", "colour = blue\n".getBytes());
      Result r = fails("plugin:install " + archive);
      assertTrue(r.err().contains("tiny bundle refuses to start"), r::toString);
      Result config = ok("config:get io.dockevos.test.throws");
      assertTrue(config.out().contains("red") && !config.out().contains("blue"), config::toString);
    } finally {
      Files.deleteIfExists(cfg);
    }
  }

  @Test
  void aTarGzArchiveInstalls() throws Exception {
    Path dir = Files.createDirectories(jars.resolve("tgz"));
    Files.copy(jars.resolve(GOOD_1), dir.resolve("good.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path archive = jars.resolve("good.tar.gz");
    Process tar = new ProcessBuilder("tar", "czf", archive.toString(), "-C", dir.toString(), "good.jar").start();
    assertEquals(0, tar.waitFor());
    ok("plugin:install " + archive);
    assertEquals("ACTIVE", plugin(GOOD).getString("state"));
  }

  @Test
  void anArchiveWhoseDependencyDoesNotResolveLeavesNothing() throws IOException {
    Path archive = zip("needs-alone.zip", "needs-missing.jar", bytes(NEEDS_MISSING), "lib/good.jar", bytes(GOOD_1));
    Result r = fails("plugin:install " + archive);
    assertTrue(r.err().contains("package io.dockevos.test.missing"), r::toString);
    assertEquals(List.of(), testPlugins(), "the good dependency was removed too");
  }

  @Test
  void zipSlipIsRefusedAndNothingIsWrittenOutside() throws IOException {
    Path archive = zip("slip.zip", "good.jar", bytes(GOOD_1), "../../escaped.jar", bytes(GOOD_1));
    Result r = fails("plugin:install " + archive);
    assertTrue(r.err().contains("'../../escaped.jar' would be written outside") && r.err().contains("zip slip"),
        r::toString);
    assertEquals(List.of(), testPlugins());
    assertEquals(List.of(), Distribution.tree(dist.home()).stream()
        .filter(f -> f.getFileName().toString().equals("escaped.jar")).toList());
  }

  @Test
  void aZipBombIsRefusedNamingTheLimit() throws IOException {
    Path archive = jars.resolve("bomb.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
      zip.putNextEntry(new ZipEntry("good.jar"));
      zip.write(bytes(GOOD_1));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("zeros.bin"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 300; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }
    assertTrue(Files.size(archive) < 2_000_000, "300 MB of zeros packs small");
    Result r = fails("plugin:install " + archive);
    assertTrue(r.err().contains("unpacks to more than 256 MB, the limit"), r::toString);
    assertEquals(List.of(), testPlugins());
  }

  @Test
  void tooManyEntriesAreRefusedNamingTheLimit() throws IOException {
    Path archive = jars.resolve("many.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
      for (int i = 0; i <= 10_000; i++) {
        zip.putNextEntry(new ZipEntry("f" + i + ".txt"));
        zip.closeEntry();
      }
    }
    Result r = fails("plugin:install " + archive);
    assertTrue(r.err().contains("more than 10000 entries"), r::toString);
  }
}
