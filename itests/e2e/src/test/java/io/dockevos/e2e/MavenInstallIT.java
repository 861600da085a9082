package io.dockevos.e2e;

import static io.dockevos.test.tiny.TinyBundles.GOOD_1;
import static io.dockevos.test.tiny.TinyBundles.GOOD_2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code plugin:install mvn:...} through {@code bin/dockevos client}, against a local Maven
 * repository in a temporary folder and a remote one served over HTTP on the loopback interface,
 * both configured in {@code etc/dockevos.maven.cfg} as a user configures them.
 */
class MavenInstallIT extends UnpackedDistribution {
  private static final String GOOD = "io.dockevos.test.good";
  private static final String FORM = "mvn:groupId/artifactId/version[/type[/classifier]]";
  /** io.dockevos.test.good 2.0.0, only on the remote repository. */
  private static final String REMOTE_JAR = "io/dockevos/test/good/2.0.0/good-2.0.0.jar";

  private static Path localRepo;
  private static HttpServer server;
  private static String remoteUrl;
  private static String downUrl;
  /** What the remote serves, by path below /maven2/. */
  private static final Map<String, byte[]> served = new ConcurrentHashMap<>();
  /** Each request the remote got: method and path. */
  private static final List<String> asked = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startInstance() throws IOException {
    localRepo = Files.createDirectories(dist.root().resolve("local-repository"));
    TinyBundles.copyTo(GOOD_1, Files.createDirectories(localRepo.resolve("io/dockevos/test/good/1.0.0")));

    serve(REMOTE_JAR, bytes(GOOD_2));
    serve("io/dockevos/test/good/2.0.0/good-2.0.0.pom", ("<project><modelVersion>4.0.0</modelVersion>"
        + "<groupId>io.dockevos.test</groupId><artifactId>good</artifactId><version>2.0.0</version></project>")
        .getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/maven2/", exchange -> {
      String path = exchange.getRequestURI().getPath().substring("/maven2/".length());
      asked.add(exchange.getRequestMethod() + " " + path);
      byte[] body = served.get(path);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null || head ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (body != null && !head) {
          out.write(body);
        }
      }
    });
    server.start();
    remoteUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/";
    // A port that nothing listens on: the connection is refused at once.
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      downUrl = "http://127.0.0.1:" + s.getLocalPort() + "/maven2/";
    }

    Files.writeString(dist.home().resolve("etc/dockevos.maven.cfg"), "# written by MavenInstallIT\n"
        + "localRepository = " + localRepo + "\n"
        + "repositories = test=" + remoteUrl + ", down=" + downUrl + "\n"
        + "# the test servers speak plain http: on the loopback interface\n"
        + "insecure = test, down\n");
    dist.start();
    // FileInstall hands etc/*.cfg to Configuration Admin as the runtime boots; wait until the resolver has it.
    Await.until("the mvn: resolver has etc/dockevos.maven.cfg", Duration.ofSeconds(30),
        () -> dist.client("scr:info io.dockevos.plugin.maven.internal.MavenSourceResolver").out(),
        out -> out.contains(localRepo.toString()) && out.contains(downUrl));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @AfterEach
  void uninstallTestPlugins() {
    String ids = String.join(" ", plugins().stream().filter(p -> p.getString("symbolicName")
        .startsWith("io.dockevos.test.")).map(p -> String.valueOf(p.getJsonNumber("id").longValue())).toList());
    if (!ids.isEmpty()) {
      ok("plugin:uninstall --force " + ids);
    }
    asked.clear();
  }

  private static void serve(String path, byte[] body) {
    served.put(path, body);
    try {
      served.put(path + ".sha1", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body))
          .getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(String tinyBundle) {
    try (InputStream in = TinyBundles.open(tinyBundle)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Result ok(String command) {
    return dist.ok(command);
  }

  private static Result fails(String command) {
    return dist.fails(command);
  }

  private static List<JsonObject> plugins() {
    Result r = ok("plugin:list --json");
    return Json.createReader(new StringReader(r.out())).readArray().getValuesAs(JsonObject.class);
  }

  private static Optional<JsonObject> plugin(String symbolicName) {
    return plugins().stream().filter(p -> p.getString("symbolicName").equals(symbolicName)).findFirst();
  }

  @Test
  void installsFromTheLocalRepositoryWithoutAskingARemote() {
    Result r = ok("plugin:install mvn:io.dockevos.test/good/1.0.0");
    assertTrue(r.out().contains("Installed " + GOOD + " 1.0.0 as plugin") && r.out().contains("ACTIVE"), r::toString);

    JsonObject p = plugin(GOOD).orElseThrow(() -> new AssertionError(GOOD + " is not in plugin:list --json"));
    assertEquals("ACTIVE", p.getString("state"));
    assertEquals("1.0.0", p.getString("version"));
    assertEquals("mvn:io.dockevos.test/good/1.0.0", p.getString("source"));
    assertEquals(List.of(), asked, "the local repository comes first");
  }

  @Test
  void downloadsFromTheRemoteRepositoryIntoTheLocalOne() throws IOException {
    Path cached = localRepo.resolve(REMOTE_JAR);
    Files.deleteIfExists(cached);

    Result r = ok("plugin:install mvn:io.dockevos.test/good/2.0.0");
    assertTrue(r.out().contains("Installed " + GOOD + " 2.0.0 as plugin"), r::toString);
    JsonObject p = plugin(GOOD).orElseThrow(() -> new AssertionError(GOOD + " is not in plugin:list --json"));
    assertEquals("ACTIVE", p.getString("state"));
    assertEquals("2.0.0", p.getString("version"));
    assertEquals("mvn:io.dockevos.test/good/2.0.0", p.getString("source"));

    assertTrue(asked.contains("GET " + REMOTE_JAR), () -> "the remote was asked for " + asked);
    assertTrue(Files.isRegularFile(cached), "the download is kept in the local repository: " + cached);
    assertArrayEquals(bytes(GOOD_2), Files.readAllBytes(cached));
  }

  @Test
  void unresolvableCoordinatesNameEachRepositoryTriedAndInstallNothing() {
    long begin = System.nanoTime();
    Result r = fails("plugin:install mvn:io.dockevos.test/absent/1.0.0");
    long seconds = (System.nanoTime() - begin) / 1_000_000_000L;
    String err = r.err();
    assertTrue(err.contains("Cannot resolve mvn:io.dockevos.test/absent/1.0.0: io.dockevos.test:absent:jar:1.0.0 is in "
        + "none of the repositories tried:"), r::toString);
    assertTrue(err.contains("  - local repository " + localRepo + ": not there"), r::toString);
    assertTrue(err.contains("  - remote test (" + remoteUrl + "): not found"), r::toString);
    assertTrue(err.contains("  - remote down (" + downUrl + "): the connection was refused"), r::toString);
    assertTrue(asked.contains("GET io/dockevos/test/absent/1.0.0/absent-1.0.0.jar"), asked::toString);
    assertTrue(seconds < 15, "an unreachable repository must fail fast, not after " + seconds + " s");
    assertFalse(plugin(GOOD).isPresent());
    assertTrue(plugins().stream().noneMatch(p -> p.getString("symbolicName").startsWith("io.dockevos.test.")));
  }

  @Test
  void malformedCoordinatesShowTheExpectedForm() {
    Result r = fails("plugin:install mvn:io.dockevos.test/good");
    assertTrue(r.err().contains("Cannot resolve mvn:io.dockevos.test/good: these are not Maven coordinates, it has 2 "
        + "parts separated by '/'"), r::toString);
    assertTrue(r.err().contains("Expected " + FORM + " (type defaults to jar)"), r::toString);

    Result colons = fails("plugin:install mvn:io.dockevos.test:good:1.0.0");
    assertTrue(colons.err().contains("the parts are separated by '/', not ':'") && colons.err().contains(FORM),
        colons::toString);
    assertEquals(List.of(), asked, "nothing is looked up for malformed coordinates");
  }
}
