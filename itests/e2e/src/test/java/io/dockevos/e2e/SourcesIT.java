package io.dockevos.e2e;

import static io.dockevos.test.tiny.TinyBundles.GOOD_1;
import static io.dockevos.test.tiny.TinyBundles.GOOD_2;
import static io.dockevos.test.tiny.TinyBundles.NEEDS_MISSING;
import static io.dockevos.test.tiny.TinyBundles.PATIENT;
import static io.dockevos.test.tiny.TinyBundles.PROVIDES_MISSING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What may enter through {@code plugin:install}, the deploy folder, {@code repo:add} and {@code
 * feature:repo-add}, and how a download is bounded, through {@code bin/dockevos client} against a
 * running instance and HTTP servers on the loopback interface.
 *
 * <p>The instance runs with small download limits, set as a user sets them (framework properties,
 * here through {@code JAVA_OPTS}): {@value #MAX_MIB} MiB, nothing received for {@value #IDLE_SECONDS}
 * s, {@value #DEADLINE_SECONDS} s in all.
 */
class SourcesIT extends UnpackedDistribution {
  private static final int MAX_MIB = 2;
  private static final int IDLE_SECONDS = 2;
  private static final int DEADLINE_SECONDS = 6;
  private static final Map<String, String> ENV = Map.of("JAVA_OPTS", "-Ddockevos.download.maxMiB=" + MAX_MIB
      + " -Ddockevos.download.idleSeconds=" + IDLE_SECONDS + " -Ddockevos.download.deadlineSeconds="
      + DEADLINE_SECONDS);
  private static final String GOOD = "io.dockevos.test.good";
  /** From {@code data/plugins/kept/NAME} up to the temporary directory that holds the distribution. */
  private static final String ESCAPING_NAME = "../../../../../victim";
  /** What a server that never ends sends at most, so that a runtime without a limit does not fill the disk. */
  private static final long ENDLESS_CAP = 64L << 20;

  private static Path jars;
  private static HttpServer server;
  private static String base;
  /** Requests the server got, by path. */
  private static final Map<String, AtomicInteger> requests = new java.util.concurrent.ConcurrentHashMap<>();
  /** Released when a test ends: a handler that holds its exchange open waits on it. */
  private static volatile CountDownLatch testOver = new CountDownLatch(1);

  @BeforeAll
  static void startInstance() throws IOException {
    jars = Files.createDirectories(dist.root().resolve("jars"));
    for (String name : TinyBundles.ALL) {
      TinyBundles.copyTo(name, jars);
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", SourcesIT::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    dist.start(ENV);
  }

  @AfterAll
  static void stopServer() {
    testOver.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  @BeforeEach
  void newTest() {
    testOver = new CountDownLatch(1);
    requests.clear();
  }

  /** Each test starts with no plugin installed and no registered index. */
  @AfterEach
  void uninstallPlugins() throws IOException {
    testOver.countDown();
    if (!dist.running()) {
      dist.start(ENV);
    }
    for (JsonObject p : plugins()) {
      long id = p.getJsonNumber("id").longValue();
      if (dist.client("plugin:uninstall " + id).exit() != 0) {
        dist.client("felix:uninstall " + id);
      }
    }
    Result repos = dist.ok("repo:list --json");
    for (JsonObject r : Json.createReader(new StringReader(repos.out())).readArray().getValuesAs(JsonObject.class)) {
      if (!List.of("system", "maven-local").contains(r.getString("name"))) {
        dist.ok("repo:remove " + r.getString("name"));
      }
    }
    try (Stream<Path> files = Files.list(dist.deploy())) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("README")) {
          Files.deleteIfExists(f);
        }
      }
    }
    assertEquals(List.of(), plugins(), "plugins left behind");
  }

  // ---- the server ----------------------------------------------------------------------------------

  /**
   * {@code /jar/NAME}: the tiny bundle NAME; {@code /silent}: headers, then nothing until the test
   * ends; {@code /drip}: one byte a second; {@code /endless}: zeros without a length, up to {@link
   * #ENDLESS_CAP}; {@code /huge}: a Content-Length of 2^63-1 bytes (8 EiB), then zeros up to the cap.
   */
  private static void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    try (exchange; OutputStream out = exchange.getResponseBody()) {
      if (path.startsWith("/jar/")) {
        Path jar = jars.resolve(path.substring("/jar/".length()));
        if (!Files.isRegularFile(jar)) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] body = Files.readAllBytes(jar);
        exchange.sendResponseHeaders(200, body.length);
        out.write(body);
      } else if (path.equals("/silent")) {
        exchange.sendResponseHeaders(200, 100_000);
        out.flush();
        testOver.await(60, TimeUnit.SECONDS);
      } else if (path.equals("/drip")) {
        exchange.sendResponseHeaders(200, 100_000);
        for (int i = 0; i < 60 && testOver.getCount() > 0; i++) {
          out.write(0);
          out.flush();
          testOver.await(1, TimeUnit.SECONDS);
        }
      } else if (path.equals("/endless") || path.equals("/huge")) {
        exchange.sendResponseHeaders(200, path.equals("/huge") ? Long.MAX_VALUE : 0);
        byte[] zeros = new byte[64 * 1024];
        for (long sent = 0; sent < ENDLESS_CAP; sent += zeros.length) {
          out.write(zeros);
        }
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientWentAway) {
      // the runtime stopped reading: what these tests want
    }
  }

  private static int requestsFor(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private static List<JsonObject> plugins() {
    JsonArray list = Json.createReader(new StringReader(dist.ok("plugin:list --json").out())).readArray();
    return list.getValuesAs(JsonObject.class);
  }

  private static Optional<JsonObject> plugin(String symbolicName) {
    return plugins().stream().filter(p -> p.getString("symbolicName").equals(symbolicName)).findFirst();
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Copies the jar into deploy/ as {@code name} and returns what its {@code .failed} marker says. */
  private static String dropAndAwaitMarker(Path jar, String name) throws IOException {
    Files.copy(jar, dist.deploy().resolve(name));
    Path marker = dist.deploy().resolve(name + ".failed");
    return Await.until("deploy/" + name + ".failed says why", Duration.ofSeconds(30), () -> {
      try {
        return Files.isRegularFile(marker) ? Files.readString(marker) : "";
      } catch (IOException e) {
        return "";
      }
    }, s -> !s.isBlank());
  }

  /** A bundle that is nothing but a manifest, with the symbolic name given and the headers after it. */
  private static Path manifestOnly(String file, String symbolicName, String... headers) throws IOException {
    Manifest mf = new Manifest();
    Attributes main = mf.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", symbolicName);
    main.putValue("Bundle-Version", "1.0.0");
    for (int i = 0; i < headers.length; i += 2) {
      main.putValue(headers[i], headers[i + 1]);
    }
    Path jar = jars.resolve(file);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
      // the manifest is all
    }
    return jar;
  }

  /**
   * A directory beside the distribution, outside {@code data/}, with a file in it, and {@code
   * data/plugins/kept/} as an earlier {@code plugin:uninstall --keep-data} leaves it.
   */
  private static Path victim() throws IOException {
    Path victim = Files.createDirectories(dist.root().resolve("victim"));
    Files.writeString(victim.resolve("precious.txt"), "mine");
    Files.createDirectories(dist.data().resolve("plugins/kept"));
    assertEquals(victim.normalize(), dist.data().resolve("plugins/kept").resolve(ESCAPING_NAME).normalize(),
        "the name leads from data/plugins/kept to the victim");
    return victim;
  }

  private static void assertUntouched(Path victim) throws IOException {
    assertTrue(Files.isDirectory(victim), victim + " is still there");
    assertEquals("mine", Files.readString(victim.resolve("precious.txt")), "and so is what it holds");
  }

  private static List<Path> downloads() throws IOException {
    Path dir = dist.data().resolve("plugins/downloads");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  // ---- symbolic names that are paths (issue 12, outside review 1) -----------------------------------

  @Test
  void aSymbolicNameWithPathCharactersIsRefusedNamingTheFileAndTheHeader() throws IOException {
    Path victim = victim();
    Path jar = manifestOnly("escaping.jar", ESCAPING_NAME);
    Result r = dist.fails("plugin:install " + jar);
    assertTrue(r.err().contains(jar.toString()) && r.err().contains("Bundle-SymbolicName")
        && r.err().contains("'" + ESCAPING_NAME + "'") && r.err().contains("not a valid symbolic name"), r::toString);
    assertUntouched(victim);
    assertEquals(List.of(), plugins());

    // --force takes its own path, to a bundle that stays installed though it does not resolve.
    Path unresolvable = manifestOnly("escaping-unresolvable.jar", ESCAPING_NAME, "Import-Package",
        "io.dockevos.test.nowhere");
    Result forced = dist.fails("plugin:install --force " + unresolvable);
    assertTrue(forced.err().contains(unresolvable.toString()) && forced.err().contains("Bundle-SymbolicName"),
        forced::toString);
    assertUntouched(victim);
    assertEquals(List.of(), plugins());
  }

  @Test
  void theDeployFolderRefusesASymbolicNameWithPathCharacters() throws IOException {
    Path victim = victim();
    Path jar = manifestOnly("escaping.jar", ESCAPING_NAME);
    String why = dropAndAwaitMarker(jar, "escaping.jar");
    assertTrue(why.contains("Bundle-SymbolicName") && why.contains(ESCAPING_NAME), why);
    assertUntouched(victim);
    assertEquals(List.of(), plugins());
  }

  /** Issue 17, row 3: a broken header is named, with the clause and why, by plugin:install and in deploy/. */
  @Test
  void aMalformedImportPackageIsNamedWithItsClause() throws IOException {
    Path jar = manifestOnly("bad-import.jar", "t.badimport", "Import-Package", "org.foo;version=\"[1,2\"");
    Result r = dist.fails("plugin:install " + jar);
    assertTrue(r.err().contains(jar.toString()) && r.err().contains("its manifest header Import-Package is malformed:"
        + " in the clause 'org.foo;version=\"[1,2\"', '[1,2' is not a version range"), r::toString);
    assertEquals(List.of(), plugins());

    String why = dropAndAwaitMarker(jar, "bad-import.jar");
    assertTrue(why.contains("Import-Package is malformed") && why.contains("'[1,2' is not a version range"), why);
    assertEquals(List.of(), plugins());
  }

  @Test
  void keepingTheDataOfABundleWhoseNameIsAPathTouchesNothingOutside() throws IOException {
    Path victim = victim();
    // Installed behind the plugin manager's back, with the framework's own command, as any bundle can be.
    Path jar = manifestOnly("escaping.jar", ESCAPING_NAME);
    Result installed = dist.ok("felix:install " + jar.toUri());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Bundle ID: (\\d+)").matcher(installed.out());
    assertTrue(m.find(), installed::toString);
    String id = m.group(1);
    dist.ok("felix:start " + id);
    Path data = Path.of(Json.createReader(new StringReader(dist.ok("plugin:info --json " + id).out())).readObject()
        .getString("dataArea"));
    Files.createDirectories(data);
    Files.writeString(data.resolve("notes.txt"), "its own");

    Result r = dist.fails("plugin:uninstall --keep-data " + id);
    assertTrue(r.err().contains("not a valid symbolic name") && r.err().contains("--keep-data"), r::toString);
    assertUntouched(victim);
    dist.ok("plugin:uninstall " + id);
    assertUntouched(victim);
  }

  // ---- a client that leaves (issue 12, outside review 2) ---------------------------------------------

  @Test
  void aPluginReportedActiveAfterItsClientLeftIsStillThereAfterARestart() throws Exception {
    Process install = dist.launch(dist.root(), Map.of(),
        List.of(dist.script().toString(), "client", "plugin:install " + jars.resolve(PATIENT)));
    Await.until("the patient plugin is starting", Duration.ofSeconds(30), () -> plugin("io.dockevos.test.patient")
        .map(p -> p.getString("state").equals("STARTING")).orElse(false));
    Distribution.destroyTree(install.toHandle()); // the client goes away: the installing thread is interrupted
    Await.until("the patient plugin is ACTIVE", Duration.ofSeconds(30), () -> plugin("io.dockevos.test.patient")
        .map(p -> p.getString("state").equals("ACTIVE")).orElse(false));
    Await.until("the install is over (its journal is gone)", Duration.ofSeconds(30),
        () -> !Files.exists(dist.data().resolve("plugins/journal.json")));

    dist.stop();
    dist.start(ENV);
    Optional<JsonObject> p = plugin("io.dockevos.test.patient");
    assertTrue(p.isPresent(), () -> "the plugin reported ACTIVE is still installed after a restart\n"
        + dist.logText().lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).toList());
    assertEquals("ACTIVE", p.get().getString("state"));
    assertEquals(jars.resolve(PATIENT).toString(), p.get().getString("source"), "with its source recorded");
  }

  // ---- files that are not jar files (issue 17, rows 6-8) --------------------------------------------

  @Test
  void aDirectoryOrADeviceIsNamedForWhatItIs() throws IOException {
    Path dir = Files.createDirectories(dist.root().resolve("a-folder.jar"));
    Result folder = dist.fails("plugin:install " + dir);
    assertTrue(folder.err().contains(dir + " is a directory, not a regular file"), folder::toString);

    Result devNull = dist.fails("plugin:install /dev/null");
    assertTrue(devNull.err().contains("/dev/null is a character device, not a regular file"), devNull::toString);

    Result zero = dist.fails("plugin:install file:///dev/zero");
    assertTrue(zero.err().contains("file:///dev/zero") && zero.err().contains("/dev/zero is a character device,"
        + " not a regular file"), zero::toString);
    assertEquals(List.of(), plugins());
  }

  @Test
  void aFileUrlWithAHostNamesTheInputAndSaysFileUrlsTakeNoHost() {
    Result r = dist.fails("plugin:install file://127.0.0.1/x.jar");
    assertTrue(r.err().contains("Cannot install file://127.0.0.1/x.jar: ") && r.err().contains("takes no host"),
        r::toString);
    assertFalse(r.err().contains("URI has an authority component"), r::toString);
  }

  // ---- downloads: bounded in time and size (issue 17, rows 9-10) -------------------------------------

  /** {@code plugin:install} of a URL on the test server, vouched for, so that the download itself is tried. */
  private static Result installUrl(String path) {
    return dist.fails("plugin:install --insecure --sha256=" + "0".repeat(64) + " " + base + path);
  }

  @Test
  void aServerThatSendsHeadersThenNothingIsCutOff() throws IOException {
    Result r = installUrl("silent");
    assertTrue(r.err().contains(base + "silent") && r.err().contains("no data came for " + IDLE_SECONDS + " s"),
        r::toString);
    assertEquals(List.of(), downloads(), "what came is deleted");
  }

  @Test
  void aServerThatDripsIsCutOffAtTheDeadline() throws IOException {
    Result r = installUrl("drip");
    assertTrue(r.err().contains(base + "drip") && r.err().contains("not finished within " + DEADLINE_SECONDS + " s"),
        r::toString);
    assertEquals(List.of(), downloads(), "what came is deleted");
  }

  @Test
  void anEndlessBodyIsCutOffAtTheSizeLimitAndNothingIsLeft() throws IOException {
    Result r = installUrl("endless");
    assertTrue(r.err().contains(base + "endless") && r.err().contains("larger than " + MAX_MIB + " MiB"),
        r::toString);
    assertEquals(List.of(), downloads(), "what came is deleted");
  }

  @Test
  void aContentLengthOverTheLimitIsRefusedBeforeAnythingIsWritten() throws IOException {
    Result r = installUrl("huge");
    assertTrue(r.err().contains(base + "huge") && r.err().contains("the server says it is " + Long.MAX_VALUE
        + " bytes") && r.err().contains("more than " + MAX_MIB + " MiB"), r::toString);
    assertEquals(List.of(), downloads(), "nothing is left");
  }

  // ---- provenance (issue 12) -----------------------------------------------------------------------

  @Test
  void plainHttpIsRefusedUnlessInsecureIsGiven() throws IOException {
    String url = base + "jar/" + GOOD_1;
    String sha = sha256(jars.resolve(GOOD_1));
    Result r = dist.fails("plugin:install --sha256=" + sha + " " + url);
    assertTrue(r.err().contains(url) && r.err().contains("http: is not secure") && r.err().contains("--insecure"),
        r::toString);
    assertEquals(0, requestsFor("/jar/" + GOOD_1), "refused before anything is asked of the server");

    // --sha256 HEX, as well as --sha256=HEX.
    Result ok = dist.ok("plugin:install --insecure --sha256 " + sha + " " + url);
    assertTrue(ok.out().contains("Installed " + GOOD + " 1.0.0"), ok::toString);
    assertEquals("ACTIVE", plugin(GOOD).orElseThrow().getString("state"));
    assertEquals(url, plugin(GOOD).orElseThrow().getString("source"));
  }

  @Test
  void anUpdateFromAUrlNeedsItsSha256TooAndTheRecordedSourceIsCheckedAgain() throws IOException {
    String url1 = base + "jar/" + GOOD_1;
    String sha1 = sha256(jars.resolve(GOOD_1));
    dist.ok("plugin:install --insecure --sha256=" + sha1 + " " + url1);

    String url2 = base + "jar/" + GOOD_2;
    Result unvouched = dist.fails("plugin:update --insecure " + GOOD + " " + url2);
    assertTrue(unvouched.err().contains(url2) && unvouched.err().contains("--sha256="), unvouched::toString);
    Result wrong = dist.fails("plugin:update --insecure --sha256=" + sha1 + " " + GOOD + " " + url2);
    assertTrue(wrong.err().contains(sha256(jars.resolve(GOOD_2))) && wrong.err().contains(sha1), wrong::toString);
    assertEquals("1.0.0", plugin(GOOD).orElseThrow().getString("version"), "nothing changed");

    Result updated = dist.ok("plugin:update --insecure --sha256=" + sha256(jars.resolve(GOOD_2)) + " " + GOOD + " "
        + url2);
    assertTrue(updated.out().contains("Updated " + GOOD + " to 2.0.0"), updated::toString);
    // Without a source, the one it came from (url2) is fetched again: the same rules hold.
    Result again = dist.fails("plugin:update " + GOOD);
    assertTrue(again.err().contains(url2) && again.err().contains("--insecure"), again::toString);
    dist.ok("plugin:update --insecure --sha256 " + sha256(jars.resolve(GOOD_2)) + " " + GOOD);
    assertEquals(List.of(), downloads());
  }

  @Test
  void aUrlWithoutItsSha256FromNoTrustedRepositoryIsRefused() {
    String url = base + "jar/" + GOOD_1;
    Result r = dist.fails("plugin:install --insecure " + url);
    assertTrue(r.err().contains(url) && r.err().contains("--sha256=") && r.err().contains("repo:add"), r::toString);
    assertEquals(0, requestsFor("/jar/" + GOOD_1), "refused before anything is asked of the server");
    assertEquals(List.of(), plugins());
  }

  @Test
  void aWrongSha256IsRefusedNamingBothAndTheDownloadIsDeleted() throws IOException {
    String url = base + "jar/" + GOOD_1;
    String wrong = "ab".repeat(32);
    Result r = dist.fails("plugin:install --insecure --sha256=" + wrong + " " + url);
    assertTrue(r.err().contains(url) && r.err().contains(sha256(jars.resolve(GOOD_1))) && r.err().contains(wrong),
        r::toString);
    assertEquals(1, requestsFor("/jar/" + GOOD_1));
    assertEquals(List.of(), plugins());
    assertEquals(List.of(), downloads(), "the download is deleted");
  }

  @Test
  void aBundleOfARegisteredIndexNeedsNoSha256AndTheIndexDigestIsChecked() throws IOException {
    String url = base + "jar/" + PROVIDES_MISSING;
    Path provider = jars.resolve(PROVIDES_MISSING);
    byte[] bytes = Files.readAllBytes(provider);
    Path index = dist.root().resolve("trusted-index.xml");
    Files.writeString(index, InstallPipelineIT.r5Index("trusted", url, bytes, sha256(provider),
        "io.dockevos.test.providesmissing", "1.0.0", "io.dockevos.test.missing"));
    dist.ok("repo:add " + index);

    // Named by its URL: the index offers it, with its digest.
    Result direct = dist.ok("plugin:install " + url);
    assertTrue(direct.out().contains("Installed io.dockevos.test.providesmissing 1.0.0"), direct::toString);
    dist.ok("plugin:uninstall io.dockevos.test.providesmissing");

    // Taken by a plan for what a local plugin needs.
    Result pulled = dist.ok("plugin:install " + jars.resolve(NEEDS_MISSING));
    assertTrue(pulled.out().contains("Added from the repositories, as needed: io.dockevos.test.providesmissing"),
        pulled::toString);
    assertEquals("ACTIVE", plugin("io.dockevos.test.needsmissing").orElseThrow().getString("state"));
    dist.ok("plugin:uninstall io.dockevos.test.needsmissing");
    dist.ok("plugin:uninstall io.dockevos.test.providesmissing");
    dist.ok("repo:remove trusted");

    // An index whose digest is not the jar's: refused, naming the index.
    String other = "cd".repeat(32);
    Files.writeString(index, InstallPipelineIT.r5Index("lying", url, bytes, other,
        "io.dockevos.test.providesmissing", "1.0.0", "io.dockevos.test.missing"));
    dist.ok("repo:add " + index);
    Result refused = dist.fails("plugin:install " + jars.resolve(NEEDS_MISSING));
    assertTrue(refused.err().contains(url) && refused.err().contains(other) && refused.err().contains("lying"),
        refused::toString);
    assertEquals(List.of(), plugins());
    assertEquals(List.of(), downloads(), "the download is deleted");
  }

  @Test
  void anHttpIndexOrFeatureRepositoryIsRefusedUnlessInsecureIsGiven() throws IOException {
    String index = base + "index.xml";
    Result r = dist.fails("repo:add " + index);
    assertTrue(r.err().contains(index) && r.err().contains("http: is not secure") && r.err().contains("--insecure"),
        r::toString);
    String features = base + "features/extra.json";
    Result f = dist.fails("feature:repo-add " + features);
    assertTrue(f.err().contains(features) && f.err().contains("http: is not secure") && f.err().contains("--insecure"),
        f::toString);
    assertEquals(0, requestsFor("/index.xml") + requestsFor("/features/extra.json"),
        "refused before anything is asked of the server");
    // With --insecure it is read (the server has neither: the error is the server's answer).
    Result insecure = dist.fails("feature:repo-add --insecure " + features);
    assertTrue(insecure.err().contains("HTTP 404"), insecure::toString);
  }
}
