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
  private static final String API = "http://127.0.0.1:8181/api/v1/";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static String read;
  private static String admin;

  @BeforeAll
  static void startWithTheHttpFeature() {
    dist.start();
    Result r = dist.ok("feature:install dockevos-http");
    assertTrue(r.out().contains("Installed feature dockevos-http"), r::toString);
    read = secret(dist.dockevos("token", "create", "--name", "ci"));
    admin = secret(dist.dockevos("token", "create", "--name", "deployer", "--scope", "admin"));
    Await.until("the server answers on " + API, WAIT, () -> status(get("plugins", null)), s -> s == 401);
  }

  @AfterAll
  static void stop() {
    dist.ensureStopped();
  }

  /** @return the secret that {@code token create} printed on its second line */
  private static String secret(Result r) {
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("Token "), r::toString);
    String secret = r.out().lines().skip(1).findFirst().orElseThrow().strip();
    assertTrue(secret.matches("dkv_[A-Za-z0-9_-]{43}"), () -> "a secret of 32 random bytes: " + r);
    return secret;
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
  @Order(4)
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
  @Order(5)
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
  @Order(6)
  void theServerListensOnTheLoopbackInterfaceOnly() throws IOException {
    List<String> listening = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
        String[] f = line.trim().split("\\s+");
        if (f[3].equals("0A") && f[1].endsWith(":1FF5")) { // LISTEN on 8181
          listening.add(f[1].substring(0, f[1].indexOf(':')));
        }
      }
    }
    assertFalse(listening.isEmpty(), "something listens on 8181");
    for (String address : listening) {
      // 127.0.0.1 in /proc/net/tcp, and as an IPv4-mapped address in tcp6
      assertTrue(address.equals("0100007F") || address.equals("0000000000000000FFFF00000100007F"),
          () -> "8181 is bound to " + address + ", not to the loopback interface: " + listening);
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

  private static int status(HttpResponse<String> r) {
    return r == null ? -1 : r.statusCode();
  }

  private static jakarta.json.JsonValue json(HttpResponse<String> r) {
    return Json.createReader(new StringReader(r.body())).readValue();
  }
}
