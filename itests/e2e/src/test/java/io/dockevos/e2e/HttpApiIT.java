package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HTTP surface (issue 13, first part): the feature {@code dockevos-http} installed into a real
 * {@code bin/dockevos}, bearer tokens made with {@code bin/dockevos token create}, and the REST API
 * asked by a real HTTP client. What a user sees: the status codes and problem+json bodies, the
 * plugin list, the token file's mode and content, the socket the server listens on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpApiIT extends UnpackedDistribution {
  /** The test's own port, free when it starts: another runtime on 8181 cannot answer for it. */
  private static int port;
  private static String API;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static String read;
  private static String admin;

  @BeforeAll
  static void startWithTheHttpFeature() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    API = "http://127.0.0.1:" + port + "/api/v1/";
    // The user's way to choose another port (the host stays the default, the loopback interface).
    Files.writeString(dist.home().resolve("etc/config.properties"), "\ndockevos.http.port=" + port + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    dist.start();
    Result r = dist.ok("feature:install dockevos-http");
    assertTrue(r.out().contains("Installed feature dockevos-http"), r::toString);
    read = dist.token("ci");
    admin = dist.token("deployer", "--scope", "admin");
    Await.until("the server answers on " + API, WAIT, () -> status(get("plugins", null)), s -> s == 401);
  }

  @AfterAll
  static void stop() {
    dist.ensureStopped();
  }

  @Test
  @Order(1)
  void withoutATokenTheApiAnswers401AsProblemJson() throws Exception {
    HttpResponse<String> r = get("plugins", null);
    assertEquals(401, r.statusCode(), r::body);
    assertEquals("Bearer realm=\"dockevos\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r::toString);
    JsonObject problem = json(r).asJsonObject();
    assertEquals(401, problem.getInt("status"));
    assertTrue(problem.getString("detail").contains("bin/dockevos token create"), r::body);
    HttpResponse<String> wrong = get("plugins", "dkv_" + "A".repeat(43));
    assertEquals(401, wrong.statusCode(), wrong::body);
    assertTrue(json(wrong).asJsonObject().getString("detail").contains("not known"), wrong::body);
  }

  @Test
  @Order(2)
  void aReadTokenListsThePluginsAsPluginListJsonDoes() throws Exception {
    HttpResponse<String> r = get("plugins", read);
    assertEquals(200, r.statusCode(), r::body);
    JsonArray plugins = json(r).asJsonArray();
    List<String> names = new ArrayList<>();
    plugins.forEach(p -> names.add(p.asJsonObject().getString("symbolicName")));
    assertTrue(names.contains("io.dockevos.http"), () -> "the HTTP bundle is a plugin: " + names);
    assertFalse(names.contains("io.dockevos.core"), () -> "the runtime's own only with ?all=true: " + names);
    JsonArray shell = Json.createReader(new StringReader(dist.ok("plugin:list --json").out())).readArray();
    assertEquals(shell.size(), plugins.size(), "the same plugins as plugin:list --json");
    JsonArray all = json(get("plugins?all=true", read)).asJsonArray();
    assertTrue(all.size() > plugins.size() && all.toString().contains("\"io.dockevos.core\""), all::toString);

    HttpResponse<String> one = get("plugins/io.dockevos.http", read);
    assertEquals(200, one.statusCode(), one::body);
    assertEquals("ACTIVE", json(one).asJsonObject().getString("state"));
    HttpResponse<String> none = get("plugins/no.such.plugin", read);
    assertEquals(404, none.statusCode(), none::body);
    assertEquals("No plugin no.such.plugin: GET /api/v1/plugins lists them",
        json(none).asJsonObject().getString("detail"));
  }

  @Test
  @Order(3)
  void aReadTokenCannotChangeAnything() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(API + "plugins"))
        .header("Authorization", "Bearer " + read).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(403, r.statusCode(), r::body);
    assertTrue(json(r).asJsonObject().getString("detail").contains("has the scope read"), r::body);
    String events = dist.ok("log:events --topic dockevos/http").out();
    assertTrue(events.contains("dockevos/http/REFUSED") && events.contains("POST /api/v1/plugins")
        && events.contains("dockevos/http/TOKEN_CREATED"), events);
  }

  @Test
  @Order(31)
  void anAdminTokenInstallsStopsAndUninstallsAndTheHistoryNamesIt() throws Exception {
    Path jar = dist.root().resolve("greeter.jar");
    Files.copy(Path.of(System.getProperty("dockevos.example.greeter")), jar);
    HttpResponse<String> installed = send("POST", "plugins", admin, "{\"source\": \"" + jar + "\"}");
    assertEquals(200, installed.statusCode(), installed::body);
    assertEquals("ACTIVE", json(installed).asJsonObject().getString("state"), installed::body);
    HttpResponse<String> again = send("POST", "plugins", admin, "{\"source\": \"" + jar + "\"}");
    assertEquals(409, again.statusCode(), again::body);
    assertTrue(json(again).asJsonObject().getString("detail").contains("is installed already"), again::body);
    HttpResponse<String> stopped = send("POST", "plugins/io.dockevos.example.greeter/stop", admin, "");
    assertEquals(200, stopped.statusCode(), stopped::body);
    assertEquals("RESOLVED", json(stopped).asJsonObject().getString("state"), stopped::body);
    assertEquals(200, send("POST", "plugins/io.dockevos.example.greeter/start", admin, "").statusCode());
    HttpResponse<String> unknown = send("POST", "plugins/io.dockevos.example.greeter/explode", admin, "");
    assertEquals(404, unknown.statusCode(), unknown::body);
    String history = dist.ok("history -n 10").out();
    assertTrue(history.lines().anyMatch(l -> l.contains("deployer") && l.contains("rest")
        && l.contains("POST /api/v1/plugins/io.dockevos.example.greeter/stop") && l.contains("ok")), history);
    assertTrue(history.lines().anyMatch(l -> l.contains("deployer") && l.contains("failed")
        && l.contains("POST /api/v1/plugins ")), () -> "the refused install is kept as failed\n" + history);
  }

  @Test
  @Order(32)
  void badBodiesAreRefusedWithTheirCause() throws Exception {
    HttpResponse<String> broken = send("POST", "plugins", admin, "{\"source\": bad}");
    assertEquals(400, broken.statusCode(), broken::body);
    assertTrue(json(broken).asJsonObject().getString("detail").startsWith("The body is not JSON: line 1, column"),
        broken::body);
    HttpResponse<String> array = send("POST", "plugins", admin, "[1]");
    assertEquals(400, array.statusCode(), array::body);
    HttpResponse<String> big = send("POST", "plugins", admin, "{\"source\": \"" + "x".repeat(2 << 20) + "\"}");
    assertEquals(413, big.statusCode(), big::body);
    HttpResponse<String> none = send("POST", "plugins", admin, "{}");
    assertEquals(400, none.statusCode(), none::body);
    assertTrue(json(none).asJsonObject().getString("detail").contains("\"source\""), none::body);
  }

  @Test
  @Order(33)
  void actionsRunThroughTheActionModelPlainAndStreamed() throws Exception {
    JsonArray actions = json(get("actions", read)).asJsonArray();
    JsonObject greet = actions.stream().map(a -> a.asJsonObject())
        .filter(a -> a.getString("command").equals("greeter:greet")).findFirst().orElseThrow();
    assertTrue(greet.getJsonObject("schema").getJsonObject("properties").containsKey("times"), greet::toString);
    HttpResponse<String> r = send("POST", "actions/io.dockevos.example.greeter/greet", admin,
        "{\"name\": \"REST\", \"times\": 2}");
    assertEquals(200, r.statusCode(), r::body);
    JsonObject answer = json(r).asJsonObject();
    assertEquals("REST", answer.getJsonObject("result").getString("greeted"), r::body);
    assertEquals("Hello, REST! (2/2)", answer.getJsonArray("output").getString(1), r::body);
    HttpResponse<String> invalid = send("POST", "actions/io.dockevos.example.greeter/greet", admin,
        "{\"name\": \"REST\", \"times\": 11}");
    assertEquals(400, invalid.statusCode(), invalid::body);
    assertTrue(json(invalid).asJsonObject().getString("detail").contains("11 is greater than 10"), invalid::body);
    assertEquals(404, send("POST", "actions/io.dockevos.example.greeter/nothing", admin, "{}").statusCode());
    assertEquals(403, send("POST", "actions/io.dockevos.example.greeter/greet", read, "{}").statusCode());

    HttpResponse<String> events = HTTP.send(HttpRequest.newBuilder(URI.create(API
        + "actions/io.dockevos.example.greeter/greet")).header("Authorization", "Bearer " + admin)
        .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(
            "{\"name\": \"Stream\", \"times\": 2}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, events.statusCode(), events::body);
    assertTrue(events.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), events::toString);
    String body = events.body();
    assertTrue(body.contains("event: output\ndata: \"Hello, Stream! (1/2)\""), body);
    assertTrue(body.contains("event: progress\ndata: {\"percent\":50"), body);
    assertTrue(body.indexOf("event: result") > body.lastIndexOf("event: output"), body);
  }

  @Test
  @Order(34)
  void incidentsAreListedAndIgnored() throws Exception {
    Path jar = io.dockevos.test.tiny.TinyBundles.copyTo(io.dockevos.test.tiny.TinyBundles.NEEDS_MISSING, dist.root());
    Files.copy(jar, dist.deploy().resolve("needs-missing.jar"));
    JsonObject incident = Await.until("an incident for needs-missing", WAIT,
        () -> json(get("incidents", read)).asJsonArray(), a -> a.toString().contains("io.dockevos.test.needsmissing"))
        .stream().map(v -> v.asJsonObject()).filter(i -> "io.dockevos.test.needsmissing".equals(i.getString("pluginId")))
        .findFirst().orElseThrow();
    String id = incident.getString("id");
    assertEquals("OPEN", json(get("incidents/" + id, read)).asJsonObject().getString("status"));
    HttpResponse<String> ignored = send("POST", "incidents/" + id + "/ignore", admin, "");
    assertEquals(200, ignored.statusCode(), ignored::body);
    assertEquals("IGNORED", json(ignored).asJsonObject().getString("status"));
    assertFalse(json(get("incidents", read)).toString().contains("\"" + id + "\""), "no longer open");
    assertEquals(404, get("incidents/E999", read).statusCode());
  }

  @Test
  @Order(35)
  void anUninstallAnswersWhatWentAway() throws Exception {
    HttpResponse<String> r = send("DELETE", "plugins/io.dockevos.example.greeter", admin, null);
    assertEquals(200, r.statusCode(), r::body);
    assertEquals("io.dockevos.example.greeter", json(r).asJsonObject().getString("uninstalled"));
    assertEquals(404, get("plugins/io.dockevos.example.greeter", read).statusCode());
  }

  @Test
  @Order(40)
  void tokensAreKeptHashedInAFileOnlyTheOwnerReads() throws IOException {
    Path file = dist.data().resolve("http/tokens.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String text = Files.readString(file);
    assertTrue(text.contains("\"deployer\"") && text.contains("\"sha256\""), text);
    assertFalse(text.contains(read.substring(4)) || text.contains(admin.substring(4)), "no secret in " + text);
    Result list = dist.dockevos("token", "list");
    assertTrue(list.out().contains("ci") && list.out().contains("deployer") && list.out().contains("admin"),
        list::toString);
    assertFalse(list.out().contains(read), "token list shows no secret");
  }

  @Test
  @Order(50)
  void aRevokedTokenIsRefused() throws Exception {
    assertEquals(200, get("plugins", admin).statusCode());
    Result r = dist.dockevos("token", "revoke", "deployer");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(401, get("plugins", admin).statusCode(), "revoked at once");
    Result again = dist.dockevos("token", "revoke", "deployer");
    assertEquals(1, again.exit(), again::toString);
    assertTrue(again.err().contains("No token named deployer"), again::toString);
    Result dup = dist.dockevos("token", "create", "--name", "ci");
    assertTrue(dup.err().contains("a token named ci exists already"), dup::toString);
  }

  @Test
  @Order(60)
  void theServerListensOnTheLoopbackInterfaceOnly() throws IOException {
    List<String> listening = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
        String[] f = line.trim().split("\\s+");
        if (f[3].equals("0A") && f[1].endsWith(String.format(":%04X", port))) { // LISTEN on the port
          listening.add(f[1].substring(0, f[1].indexOf(':')));
        }
      }
    }
    assertFalse(listening.isEmpty(), "something listens on " + port);
    for (String address : listening) {
      // 127.0.0.1 in /proc/net/tcp, and as an IPv4-mapped address in tcp6
      assertTrue(address.equals("0100007F") || address.equals("0000000000000000FFFF00000100007F"),
          () -> port + " is bound to " + address + ", not to the loopback interface: " + listening);
    }
  }

  private static HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(API + path)).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(API + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int status(HttpResponse<String> r) {
    return r == null ? -1 : r.statusCode();
  }

  private static jakarta.json.JsonValue json(HttpResponse<String> r) {
    return Json.createReader(new StringReader(r.body())).readValue();
  }
}
