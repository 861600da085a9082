package io.dockevos.assist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.dockevos.assist.Diagnosis;
import io.dockevos.common.internal.Json;
import io.dockevos.error.Incident;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The AI analyzer against an OpenAI-compatible endpoint on loopback: what it sends, and what it shows. */
class AiAnalyzerTest {
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String answer = "{\"choices\":[{\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Install the bundle that exports io.x, then restart the plugin.\"}}]}";
  private volatile long delayMs;

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n"
          + exchange.getRequestHeaders().getFirst("Authorization") + "\n" + body);
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private static Incident incident() {
    return Fakes.incident("framework", "io.x.plugin", "io.x.plugin does not resolve",
        Map.of("requirement", "osgi.wiring.package; (osgi.wiring.package=io.x)"));
  }

  @Test
  void itPostsTheIncidentToChatCompletionsAndShowsTheAnswerAsALowConfidenceDiagnosis() {
    AiAnalyzer ai = new AiAnalyzer(url(), "tiny-model", "secret-key", Duration.ofSeconds(5));
    assertTrue(requests.isEmpty(), "no connection before the first analysis");

    List<Diagnosis> d = ai.analyze(incident());

    assertEquals(1, requests.size());
    String[] parts = requests.get(0).split("\n", 3);
    assertEquals("POST /v1/chat/completions", parts[0]);
    assertEquals("Bearer secret-key", parts[1]);
    JsonObject body = Json.read(new StringReader(parts[2]));
    assertEquals("tiny-model", body.getString("model"));
    assertEquals("system", body.getJsonArray("messages").getJsonObject(0).getString("role"));
    String user = body.getJsonArray("messages").getJsonObject(1).getString("content");
    assertTrue(user.contains("io.x.plugin does not resolve"), user);
    assertTrue(user.contains("requirement = osgi.wiring.package; (osgi.wiring.package=io.x)"), user);

    assertEquals("ai", d.get(0).analyzer());
    assertEquals("The AI (tiny-model) suggests: Install the bundle that exports io.x, then restart the plugin.", d.get(0).cause());
    assertEquals(AiAnalyzer.CONFIDENCE, d.get(0).confidence());
    assertTrue(d.get(0).fixes().isEmpty(), "no automatic fix");
  }

  @Test
  void whatGoesToTheEndpointHasNoSecret() {
    Incident i = Fakes.incident("plugin", "io.x.plugin", "Cannot install http://bob:hunter2@repo.example.org/x.jar",
        Map.of("plugin.source", "http://bob:hunter2@repo.example.org/x.jar", "db.password", "pw-1234",
            "reason", "login failed with --token tok-5678"));
    new AiAnalyzer(url(), "m", "", Duration.ofSeconds(5)).analyze(i);
    String body = requests.get(0).split("\n", 3)[2];
    for (String secret : List.of("hunter2", "pw-1234", "tok-5678")) {
      assertFalse(body.contains(secret), () -> "sent " + secret + ": " + body);
    }
    assertTrue(body.contains("http://bob:********@repo.example.org/x.jar"), body);
    assertTrue(body.contains("db.password = ********"), body);
  }

  @Test
  void anErrorOrASlowAnswerIsShownAndNothingElse() {
    status = 401;
    answer = "{\"error\":\"bad key\"}";
    AiAnalyzer ai = new AiAnalyzer(url(), "m", "", Duration.ofSeconds(5));
    Diagnosis d = ai.analyze(incident()).get(0);
    assertTrue(d.cause().contains("could not answer: it answered HTTP 401: {\"error\":\"bad key\"}"), d.cause());
    assertEquals(0.0, d.confidence());
    assertEquals("null", requests.get(0).split("\n", 3)[1], "no API key, no Authorization header");

    status = 200;
    delayMs = 3000;
    Diagnosis slow = new AiAnalyzer(url(), "m", "", Duration.ofSeconds(1)).analyze(incident()).get(0);
    assertTrue(slow.cause().contains("it did not answer within 1 s"), slow.cause());
  }

  @Test
  void aBadConfigurationIsRefusedNamingTheProperty() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AiAnalyzer("ftp://x", "m", "", Duration.ofSeconds(1)));
    assertEquals("configuration dockevos.assist.ai: url must be an http: or https: URL, it is 'ftp://x'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AiAnalyzer(url(), " ", "", Duration.ofSeconds(1)));
  }
}
