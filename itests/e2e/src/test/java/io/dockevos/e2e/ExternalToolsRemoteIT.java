package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An external plugin's tools are actions like any plugin's (issue 14, item 2), so REST and MCP reach
 * them: examples/hello-python in a real {@code bin/dockevos} with the features dockevos-http and
 * dockevos-mcp, its {@code greet} listed and called over {@code /api/v1/actions} and over MCP's
 * Streamable HTTP transport with the MCP SDK's client, its input schema carried through.
 */
class ExternalToolsRemoteIT extends UnpackedDistribution {
  /** A port of its own: McpIT, HttpApiIT and ReadmeIT may run beside. */
  private static final int PORT = 8187;
  private static final String BASE = "http://127.0.0.1:" + PORT;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path HELLO = Path.of(System.getProperty("user.dir")).resolve("../../examples/hello-python")
      .normalize();
  private static String token;

  @BeforeAll
  static void startWithHelloPython() throws Exception {
    Files.writeString(dist.home().resolve("etc/config.properties"), "\ndockevos.http.port=" + PORT + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    dist.start();
    for (String feature : List.of("dockevos-http", "dockevos-mcp", "dockevos-external")) {
      assertTrue(dist.ok("feature:install " + feature).out().contains("Installed feature " + feature));
    }
    assertTrue(dist.ok("external:install --grant " + HELLO).out().contains("ACTIVE"));
    token = dist.token("remote", "--scope", "admin");
    Await.until("the REST API answers", WAIT, () -> status("GET", "/api/v1/actions", null), s -> s == 200);
  }

  @AfterAll
  static void stop() {
    dist.ensureStopped();
  }

  private static HttpResponse<String> send(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(WAIT)
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return Http.send(b);
  }

  private static int status(String method, String path, String body) {
    try {
      return send(method, path, body).statusCode();
    } catch (java.io.UncheckedIOException notYet) {
      return -1;
    }
  }

  @Test
  void overRestItsToolIsAnActionOfThePluginHelloPython() {
    HttpResponse<String> list = send("GET", "/api/v1/actions", null);
    assertTrue(list.body().contains("\"hello-python:greet\""), list::body);
    HttpResponse<String> greeted = send("POST", "/api/v1/actions/hello-python/greet", "{\"name\": \"Rest\"}");
    assertEquals(200, greeted.statusCode(), greeted::body);
    assertTrue(greeted.body().contains("\"result\": \"Hello, Rest!\""), greeted::body);
    HttpResponse<String> wrong = send("POST", "/api/v1/actions/hello-python/greet", "{\"name\": 7}");
    assertEquals(400, wrong.statusCode(), wrong::body);
    assertTrue(wrong.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), wrong::toString);
    assertTrue(wrong.body().contains("field 'name'"), wrong::body); // checked against the tool's own schema
  }

  @Test
  void overMcpItsToolKeepsItsSchemaAndAnswers() {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(BASE).endpoint("/mcp")
        .jsonMapper(new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper()))
        .httpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", "Bearer " + token))
        .build();
    try (McpSyncClient client = McpClient.sync(transport).requestTimeout(WAIT).build()) {
      client.initialize();
      McpSchema.Tool greet = client.listTools().tools().stream().filter(t -> "hello-python:greet".equals(t.title()))
          .findFirst().orElseThrow(() -> new AssertionError("no tool of hello-python:greet"));
      @SuppressWarnings("unchecked")
      Map<String, Object> properties = (Map<String, Object>) greet.inputSchema().get("properties");
      assertTrue(properties.containsKey("name"), greet::toString);
      McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder().name(greet.name())
          .arguments(Map.of("name", "Mcp")).build());
      assertFalse(r.isError(), r::toString);
      assertTrue(r.content().stream().map(c -> ((McpSchema.TextContent) c).text()).reduce("", String::concat)
          .contains("Hello, Mcp!"), r::toString);
    }
    String history = dist.ok("history -n 20").out();
    assertTrue(history.lines().anyMatch(l -> l.contains("remote") && l.contains("mcp") && l.contains("greet")
        && l.contains("ok")), history);
  }
}
