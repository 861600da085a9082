package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The rest of the REST API (issue 13) against a real {@code bin/dockevos} with {@code dockevos-http}
 * installed, asked by a real HTTP client: a plugin's diagnosis, an install by multipart upload (and
 * the upload names and sizes that are refused), the features, the assistant with its explicit
 * confirmation, the event stream and the metrics.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestApiIT extends UnpackedDistribution {
  /** A port of its own, set in etc/ as a user would, so that it never meets another test's server on 8181. */
  static final int PORT = 18182;
  static final String BASE = "http://127.0.0.1:" + PORT + "/";
  static final String API = BASE + "api/v1/";
  private static final Duration WAIT = Duration.ofSeconds(30);
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static String read;
  static String admin;
  /** Every answer the tests got, checked against the OpenAPI document at the end. */
  static final List<Seen> SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

  record Seen(String method, String path, int status, String contentType, String body) {}

  static HttpResponse<String> seen(HttpResponse<String> r) {
    String path = r.request().uri().getPath();
    SEEN.add(new Seen(r.request().method(), path, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
        r.body()));
    return r;
  }

  @BeforeAll
  static void startWithTheHttpFeature() throws Exception {
    Files.writeString(dist.home().resolve("etc/org.apache.felix.http.cfg"),
        "org.apache.felix.http.host=127.0.0.1\norg.osgi.service.http.port=" + PORT + "\n");
    dist.start();
    // dockevos-health first, as the error handler installs it when a health check is first run: the
    // HTTP feature's health servlet must work whichever comes first (they share their bundles)
    assertTrue(dist.ok("feature:install dockevos-health").out().contains("Installed feature dockevos-health"));
    Result r = dist.ok("feature:install dockevos-http");
    assertTrue(r.out().contains("Installed feature dockevos-http"), r::toString);
    read = dist.token("reader");
    admin = dist.token("operator", "--scope", "admin");
    Await.until("the server answers on " + API, WAIT, () -> {
      try {
        return get("plugins", null).statusCode();
      } catch (java.io.UncheckedIOException e) {
        return -1;
      }
    }, s -> s == 401);
  }

  @AfterAll
  static void stop() {
    dist.ensureStopped();
  }

  @Test
  @Order(1)
  void aPluginsDiagnosisIsWhatPluginDiagJsonShows() throws Exception {
    HttpResponse<String> r = get("plugins/io.dockevos.http/diag", read);
    assertEquals(200, r.statusCode(), r::body);
    JsonObject diag = json(r).asJsonObject();
    assertTrue(diag.getBoolean("healthy"), r::body);
    assertEquals("io.dockevos.http", diag.getJsonObject("plugin").getString("symbolicName"));
    JsonObject shell = Json.createReader(new StringReader(dist.ok("plugin:diag --json io.dockevos.http").out()))
        .readObject();
    assertEquals(shell.keySet(), diag.keySet(), "the same fields as plugin:diag --json");
    assertEquals(shell.getJsonArray("components"), diag.getJsonArray("components"));
    HttpResponse<String> none = get("plugins/no.such.plugin/diag", read);
    assertEquals(404, none.statusCode(), none::body);
    assertEquals("No plugin no.such.plugin: GET /api/v1/plugins lists them", json(none).asJsonObject()
        .getString("detail"));
  }

  @Test
  @Order(2)
  void aJarUploadedAsMultipartIsInstalledAndKeptUnderData() throws Exception {
    byte[] jar = Files.readAllBytes(Path.of(System.getProperty("dockevos.example.greeter")));
    assertEquals(403, upload("greeter.jar", jar, read).statusCode(), "a read token cannot upload");
    HttpResponse<String> r = upload("greeter.jar", jar, admin);
    assertEquals(200, r.statusCode(), r::body);
    JsonObject plugin = json(r).asJsonObject();
    assertEquals("io.dockevos.example.greeter", plugin.getString("symbolicName"), r::body);
    assertEquals("ACTIVE", plugin.getString("state"), r::body);
    Path kept = dist.data().resolve("http/uploads/greeter.jar");
    assertTrue(Files.exists(kept), "kept as " + kept);
    assertTrue(plugin.getString("source").endsWith("data/http/uploads/greeter.jar"), r::body);

    HttpResponse<String> again = upload("greeter.jar", jar, admin);
    assertEquals(409, again.statusCode(), again::body);
    assertTrue(json(again).asJsonObject().getString("detail").contains("is installed already"), again::body);
    assertTrue(Files.exists(kept), "the installed plugin's jar stays");
    try (Stream<Path> s = Files.list(kept.getParent())) {
      assertEquals(List.of("greeter.jar"), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "the refused second upload is not left behind");
    }
    String history = dist.ok("history -n 5").out();
    assertTrue(history.lines().anyMatch(l -> l.contains("operator") && l.contains("rest")
        && l.contains("POST /api/v1/plugins") && l.contains("ok")), history);
  }

  @Test
  @Order(3)
  void anUploadNameWithAPathIsRefusedAndNothingIsWritten() throws Exception {
    byte[] jar = Files.readAllBytes(Path.of(System.getProperty("dockevos.example.greeter")));
    for (String name : List.of("../../x.jar", "/tmp/x.jar", "..")) {
      HttpResponse<String> r = upload(name, jar, admin);
      assertEquals(400, r.statusCode(), r::body);
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r::toString);
      assertTrue(json(r).asJsonObject().getString("detail").contains("'" + name + "'"), r::body);
    }
    assertFalse(Files.exists(dist.data().resolve("x.jar")) || Files.exists(dist.root().resolve("x.jar"))
        || Files.exists(dist.data().resolve("http/x.jar")) || Files.exists(Path.of("/tmp/x.jar")), "nothing written");
    HttpResponse<String> text = upload("notes.txt", "hello".getBytes(StandardCharsets.UTF_8), admin);
    assertEquals(400, text.statusCode(), text::body);
    assertTrue(json(text).asJsonObject().getString("detail").contains("does not end in .jar"), text::body);
  }

  @Test
  @Order(4)
  void anUploadOverTheLimitIs413BeforeItIsRead() throws Exception {
    try (Socket s = new Socket("127.0.0.1", PORT)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/v1/plugins HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin
          + "\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: " + (200L << 20)
          + "\r\n\r\n--xyz\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readAnswer(s.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("a plugin jar may have at most 67108864 bytes"), answer);
    }
  }

  @Test
  @Order(10)
  void featuresAreListedShownInstalledAndUninstalled() throws Exception {
    HttpResponse<String> list = get("features", read);
    assertEquals(200, list.statusCode(), list::body);
    JsonArray features = json(list).asJsonArray();
    assertTrue(features.stream().anyMatch(f -> f.asJsonObject().getString("name").equals("dockevos-http")
        && f.asJsonObject().getString("state").equals("INSTALLED")), list::body);
    assertTrue(features.stream().anyMatch(f -> f.asJsonObject().getString("name").equals("dockevos-hardware")
        && f.asJsonObject().getString("state").equals("AVAILABLE")), list::body);
    JsonArray shell = Json.createReader(new StringReader(dist.ok("feature:list --json").out())).readArray();
    assertEquals(shell, features, "as feature:list --json shows them");

    HttpResponse<String> info = get("features/dockevos-http", read);
    assertEquals(200, info.statusCode(), info::body);
    assertTrue(json(info).asJsonObject().getJsonArray("bundles").toString().contains("io.dockevos.http"), info::body);
    HttpResponse<String> none = get("features/no-such-feature", read);
    assertEquals(404, none.statusCode(), none::body);
    assertTrue(json(none).asJsonObject().getString("detail").startsWith("No feature named no-such-feature"), none::body);

    assertEquals(403, send("POST", "features", read, "{\"feature\": \"dockevos-hardware\"}").statusCode());
    HttpResponse<String> unknown = send("POST", "features", admin, "{\"feature\": \"no-such-feature\"}");
    assertEquals(404, unknown.statusCode(), unknown::body);
    HttpResponse<String> bad = send("POST", "features", admin, "{}");
    assertEquals(400, bad.statusCode(), bad::body);
    HttpResponse<String> installed = send("POST", "features", admin, "{\"feature\": \"dockevos-hardware\"}");
    assertEquals(200, installed.statusCode(), installed::body);
    assertEquals("INSTALLED", json(installed).asJsonObject().getString("state"), installed::body);
    assertTrue(dist.ok("plugin:list --all").out().contains("io.dockevos.hardware"));
    HttpResponse<String> removed = send("DELETE", "features/dockevos-hardware", admin, null);
    assertEquals(200, removed.statusCode(), removed::body);
    assertEquals("dockevos-hardware", json(removed).asJsonObject().getJsonObject("uninstalled").getString("name"));
    assertFalse(dist.ok("plugin:list --all").out().contains("io.dockevos.hardware"));
    String history = dist.ok("history -n 10").out();
    assertTrue(history.lines().anyMatch(l -> l.contains("operator") && l.contains("DELETE /api/v1/features/dockevos-hardware")
        && l.contains("ok")), history);
  }

  @Test
  @Order(20)
  void theAssistantAnalyzesAndAppliesAFixOnlyWhenTheRequestConfirmsIt() throws Exception {
    Path jars = Files.createDirectories(dist.root().resolve("jars"));
    dist.provideTheMissingPackage();
    Files.copy(TinyBundles.copyTo(TinyBundles.NEEDS_MISSING, jars), dist.deploy().resolve("needs-missing.jar"));
    String id = Await.until("an incident for needs-missing", WAIT, () -> json(get("incidents", read)).asJsonArray(),
        a -> a.toString().contains("io.dockevos.test.needsmissing")).stream().map(v -> v.asJsonObject())
        .filter(i -> "io.dockevos.test.needsmissing".equals(i.getString("pluginId"))).findFirst().orElseThrow()
        .getString("id");

    HttpResponse<String> analysis = get("assistant/" + id, read);
    assertEquals(200, analysis.statusCode(), analysis::body);
    JsonObject fix = json(analysis).asJsonObject().getJsonArray("diagnoses").getJsonObject(0).getJsonArray("fixes")
        .getJsonObject(0);
    assertEquals(1, fix.getInt("fix"), analysis::body);
    assertTrue(fix.getString("description").contains("install io.dockevos.test.providesmissing"), analysis::body);

    HttpResponse<String> unconfirmed = send("POST", "assistant/" + id + "/fix", admin, "{\"fix\": 1}");
    assertEquals(400, unconfirmed.statusCode(), unconfirmed::body);
    String detail = json(unconfirmed).asJsonObject().getString("detail");
    assertTrue(detail.startsWith("Not applied: the request must confirm it with \"confirm\": true.")
        && detail.contains("What will change:"), detail);
    assertFalse(dist.ok("plugin:list").out().contains("io.dockevos.test.providesmissing"), "nothing applied");
    assertEquals(403, send("POST", "assistant/" + id + "/fix", read, "{\"fix\": 1, \"confirm\": true}").statusCode());
    assertEquals(400, send("POST", "assistant/" + id + "/fix", admin, "{\"fix\": 7, \"confirm\": true}").statusCode());

    HttpResponse<String> applied = send("POST", "assistant/" + id + "/fix", admin, "{\"fix\": 1, \"confirm\": true}");
    assertEquals(200, applied.statusCode(), applied::body);
    JsonObject a = json(applied).asJsonObject();
    assertTrue(a.getBoolean("worked"), applied::body);
    assertEquals("FIXED", a.getString("status"), applied::body);
    Await.until("needs-missing is ACTIVE", WAIT, () -> json(get("plugins/io.dockevos.test.needsmissing", read))
        .asJsonObject().getString("state"), "ACTIVE"::equals);
    assertTrue(dist.ok("assist:fixes").out().contains(id), "assist:fixes lists it");
    assertEquals(404, get("assistant/E999999", read).statusCode());
  }

  @Test
  @Order(30)
  void theEventStreamSendsTheRuntimesEventsAsTheyHappen() throws Exception {
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpResponse<Stream<String>> events = HTTP.send(HttpRequest.newBuilder(URI.create(API
        + "events?topic=dockevos/plugin")).header("Authorization", "Bearer " + read).GET().build(),
        HttpResponse.BodyHandlers.ofLines());
    try {
      assertEquals(200, events.statusCode());
      assertTrue(events.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
          events::toString);
      Thread reader = new Thread(() -> {
        try {
          events.body().forEach(lines::add);
        } catch (RuntimeException closed) {
          // the test closed the stream
        }
      });
      reader.setDaemon(true);
      reader.start();
      assertEquals(": dockevos events under dockevos/plugin", lines.poll(10, TimeUnit.SECONDS));
      assertEquals(200, send("POST", "plugins/io.dockevos.example.greeter/stop", admin, "").statusCode());
      List<String> seen = new ArrayList<>();
      long end = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < end && seen.stream().noneMatch(l -> l.contains("io.dockevos.example.greeter"))) {
        String l = lines.poll(1, TimeUnit.SECONDS);
        if (l != null) {
          seen.add(l);
        }
      }
      assertTrue(seen.stream().anyMatch(l -> l.startsWith("event: dockevos/plugin/")), seen::toString);
      assertTrue(seen.stream().anyMatch(l -> l.startsWith("data: {\"topic\":\"dockevos/plugin/")
          && l.contains("io.dockevos.example.greeter")), seen::toString);
    } finally {
      events.body().close();
    }
    assertEquals(200, send("POST", "plugins/io.dockevos.example.greeter/start", admin, "").statusCode());
    HttpResponse<String> bad = get("events?topic=../etc", read);
    assertEquals(400, bad.statusCode(), bad::body);
  }

  @Test
  @Order(40)
  void metricsAreInPrometheusTextWithTheActionsFigures() throws Exception {
    assertEquals(200, send("POST", "actions/io.dockevos.example.greeter/greet", admin, "{\"name\": \"M\"}")
        .statusCode());
    assertEquals(401, get("metrics", null).statusCode());
    HttpResponse<String> r = get("metrics", read);
    assertEquals(200, r.statusCode(), r::body);
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), r::toString);
    String text = r.body();
    assertTrue(text.contains("# TYPE dockevos_heap_used_bytes gauge\ndockevos_heap_used_bytes "), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("dockevos_bundles [1-9][0-9]*")), text);
    assertTrue(text.lines().anyMatch(l -> l.matches(
        "dockevos_action_invocations_total\\{plugin=\"io.dockevos.example.greeter\",action=\"greet\"} [1-9][0-9]*")), text);
    for (String line : text.lines().toList()) {
      assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ")
          || line.matches("[a-z_]+(\\{[^}]*})? [-0-9.eE]+|[a-z_]+(\\{[^}]*})? NaN"), () -> "not exposition: " + line);
    }
  }

  @Test
  @Order(50)
  void livenessNeedsNoTokenAndReadinessSaysWhyItIsNot() throws Exception {
    HttpResponse<String> live = get("health/live", null);
    assertEquals(200, live.statusCode(), live::body);
    JsonObject l = json(live).asJsonObject();
    assertEquals("OK", l.getString("overallResult"), live::body);
    assertTrue(l.getJsonArray("results").toString().contains("\"systemalive\""), live::body);
    HttpResponse<String> asked = get("health/live?tags=dockevos", null);
    assertFalse(asked.body().contains("dockevos.incidents"), "a request cannot choose other checks: " + asked.body());
    assertEquals(401, get("health/ready", null).statusCode(), "readiness needs a token");

    dist.ok("plugin:uninstall --force io.dockevos.test.needsmissing");
    for (JsonValue i : json(get("incidents", read)).asJsonArray()) {
      send("POST", "incidents/" + i.asJsonObject().getString("id") + "/ignore", admin, "");
    }
    HttpResponse<String> ready = Await.until("ready", WAIT, () -> get("health/ready", read), r -> r.statusCode() == 200);
    JsonObject checks = json(ready).asJsonObject();
    assertEquals("OK", checks.getString("overallResult"), ready::body);
    assertTrue(ready.body().contains("The boot features are active: [dockevos-core, dockevos-shell]"), ready::body);

    Files.copy(TinyBundles.copyTo(TinyBundles.THROWS, dist.root().resolve("jars")), dist.deploy().resolve("throws.jar"));
    HttpResponse<String> notReady = Await.until("not ready while an ERROR incident is open", WAIT,
        () -> get("health/ready", read), r -> r.statusCode() == 503);
    assertEquals("CRITICAL", json(notReady).asJsonObject().getString("overallResult"), notReady::body);
    assertTrue(notReady.body().contains("\"status\":\"CRITICAL\""), notReady::body);
    assertEquals(200, get("health/live", null).statusCode(), "still alive");
    Files.delete(dist.deploy().resolve("throws.jar"));
  }

  @Test
  @Order(60)
  void aBodyThatTricklesIsCutOffAndTheServerKeepsAnswering() throws Exception {
    java.util.concurrent.CompletableFuture<String> json = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> trickle("features", "application/json", "{"));
    java.util.concurrent.CompletableFuture<String> upload = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> trickle("plugins", "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data;"
            + " name=\"file\"; filename=\"slow.jar\"\r\n\r\nPK"));
    for (int i = 0; i < 10; i++) {
      Thread.sleep(1000);
      assertEquals(200, get("plugins", read).statusCode(), "the server answers others meanwhile");
    }
    for (String answer : List.of(json.get(60, TimeUnit.SECONDS), upload.get(60, TimeUnit.SECONDS))) {
      assertTrue(answer.startsWith("after ") && answer.contains("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("The body arrives too slowly"), answer);
      int seconds = Integer.parseInt(answer.substring(6, answer.indexOf(' ', 6)));
      assertTrue(seconds >= 14 && seconds <= 25, "cut off after " + seconds + " s: " + answer);
    }
    assertFalse(Files.exists(dist.data().resolve("http/uploads/slow.jar")), "no trace of the slow upload");
  }

  /** @return "after S s: " and the answer to a request whose body comes one byte a second */
  private static String trickle(String path, String type, String first) {
    try (Socket s = new Socket("127.0.0.1", PORT)) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/v1/" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin
          + "\r\nContent-Type: " + type + "\r\nContent-Length: 100000\r\n\r\n" + first)
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      InputStream in = s.getInputStream();
      for (int i = 0; i < 40; i++) {
        Thread.sleep(1000);
        try {
          out.write('x');
          out.flush();
        } catch (IOException closed) {
          break;
        }
        if (in.available() > 0) {
          break;
        }
      }
      return "after " + (System.nanoTime() - start) / 1_000_000_000L + " s: " + readAnswer(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(100)
  void everyAnswerAboveIsOneTheOpenApiDocumentDescribes() throws Exception {
    HttpResponse<String> r = get("openapi.json", read);
    assertEquals(200, r.statusCode(), r::body);
    JsonObject doc = json(r).asJsonObject();
    assertEquals("3.1.0", doc.getString("openapi"));
    JsonObject paths = doc.getJsonObject("paths");
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    List<String> wrong = new ArrayList<>();
    java.util.Set<String> covered = new java.util.TreeSet<>();
    for (Seen seen : SEEN) {
      String template = paths.keySet().stream().filter(t -> matches(t, seen.path())).findFirst().orElse(null);
      if (template == null) {
        wrong.add(seen.method() + " " + seen.path() + ": no path in the document");
        continue;
      }
      JsonObject op = paths.getJsonObject(template).getJsonObject(seen.method().toLowerCase(java.util.Locale.ROOT));
      if (op == null) {
        wrong.add(seen.method() + " " + template + ": no such operation");
        continue;
      }
      JsonObject response = op.getJsonObject("responses").getJsonObject(String.valueOf(seen.status()));
      if (response == null) {
        wrong.add(seen.method() + " " + seen.path() + " answered " + seen.status() + ", not in the document");
        continue;
      }
      covered.add(seen.method() + " " + template + " " + seen.status());
      String type = seen.contentType().split(";")[0].trim();
      JsonObject media = response.getJsonObject("content") == null ? null
          : response.getJsonObject("content").getJsonObject(type);
      if (media == null) {
        wrong.add(seen.method() + " " + seen.path() + " " + seen.status() + ": content type " + type + " not documented");
        continue;
      }
      if (type.endsWith("json")) {
        checkRequired(seen, Json.createReader(new StringReader(seen.body())).readValue(), media.getJsonObject("schema"),
            schemas, wrong);
      }
    }
    assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    assertTrue(covered.size() >= 30, () -> "the answers checked: " + covered);
  }

  private static boolean matches(String template, String path) {
    return path.matches(template.replaceAll("\\{[^}]+}", "[^/]+").replace(".", "\\."));
  }

  private static void checkRequired(Seen seen, JsonValue body, JsonObject schema, JsonObject schemas, List<String> wrong) {
    if (schema.containsKey("$ref")) {
      String name = schema.getString("$ref").substring("#/components/schemas/".length());
      schema = schemas.getJsonObject(name);
    }
    if (schema.containsKey("items") && body.getValueType() == JsonValue.ValueType.ARRAY) {
      for (JsonValue item : body.asJsonArray()) {
        checkRequired(seen, item, schema.getJsonObject("items"), schemas, wrong);
      }
      return;
    }
    if ("array".equals(schema.getString("type", "")) != (body.getValueType() == JsonValue.ValueType.ARRAY)) {
      wrong.add(seen.method() + " " + seen.path() + ": not the documented type " + schema.getString("type", "?"));
      return;
    }
    if (schema.containsKey("required")) {
      for (JsonValue field : schema.getJsonArray("required")) {
        String f = ((jakarta.json.JsonString) field).getString();
        if (body.getValueType() != JsonValue.ValueType.OBJECT || !body.asJsonObject().containsKey(f)) {
          wrong.add(seen.method() + " " + seen.path() + " " + seen.status() + ": no required field " + f);
        }
      }
    }
  }

  // ---- helpers, shared with the other REST tests

  static HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(API + path)).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return seen(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(API + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return seen(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** A multipart/form-data upload of one file, as {@code curl -F file=@NAME} sends it. */
  static HttpResponse<String> upload(String name, byte[] content, String token) throws Exception {
    String boundary = "dockevosBoundary7MA4YWxk";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
        + "\"\r\nContent-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(content);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return seen(HTTP.send(HttpRequest.newBuilder(URI.create(API + "plugins")).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** @return what the server answered on a raw connection, up to the end of its body or the connection */
  static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    try {
      while ((n = in.read(buf)) > 0) {
        b.write(buf, 0, n);
        String s = b.toString(StandardCharsets.UTF_8);
        if (s.contains("\r\n\r\n") && s.trim().endsWith("}")) {
          break;
        }
      }
    } catch (java.net.SocketTimeoutException e) {
      // what came is the answer
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  static jakarta.json.JsonValue json(HttpResponse<String> r) {
    return Json.createReader(new StringReader(r.body())).readValue();
  }
}
