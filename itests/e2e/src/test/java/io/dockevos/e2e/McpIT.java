package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The MCP server (issue 13, item 4): the features {@code dockevos-http} and {@code dockevos-mcp}
 * installed into a real {@code bin/dockevos}, the example greeter's actions as tools, and the MCP
 * SDK's own client over both transports: Streamable HTTP at {@code /mcp} with a token, and stdio
 * through {@code bin/dockevos mcp}. What a client sees: the tools with their schemas, results,
 * progress notifications, errors in the action model's words, refusals, and the command history.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McpIT extends UnpackedDistribution {
  /** Not the default 8181: the port comes from etc/, as a user would change it (and HttpApiIT may run beside). */
  private static final int PORT = 8183;
  private static final String BASE = "http://127.0.0.1:" + PORT;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(MAPPER);
  private static String read;
  private static String admin;

  @BeforeAll
  static void startWithTheMcpFeature() throws Exception {
    Files.writeString(dist.home().resolve("etc/org.apache.felix.http.cfg"), "org.apache.felix.http.host = 127.0.0.1\n"
        + "org.osgi.service.http.port = " + PORT + "\norg.apache.felix.http.enable = true\n");
    dist.start();
    assertTrue(dist.ok("feature:install dockevos-http").out().contains("Installed feature dockevos-http"));
    Result mcp = dist.ok("feature:install dockevos-mcp");
    assertTrue(mcp.out().contains("Installed feature dockevos-mcp"), mcp::toString);
    Path jar = dist.root().resolve("greeter.jar");
    Files.copy(Path.of(System.getProperty("dockevos.example.greeter")), jar);
    dist.ok("plugin:install " + jar);
    read = dist.token("watcher");
    admin = dist.token("agent", "--scope", "admin");
    Await.until("the MCP endpoint answers", WAIT, () -> {
      try {
        return post(null, "{}").statusCode();
      } catch (java.io.UncheckedIOException notYet) {
        return -1;
      }
    }, s -> s == 401);
  }

  @AfterAll
  static void stop() {
    dist.ensureStopped();
  }

  private static HttpResponse<String> post(String token, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + "/mcp")).header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return Http.send(b);
  }

  private static McpSyncClient http(String token, Consumer<McpSchema.ProgressNotification> progress) {
    McpClientTransport transport = HttpClientStreamableHttpTransport.builder(BASE).endpoint("/mcp").jsonMapper(JSON)
        .httpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", "Bearer "
            + token))
        .build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).progressConsumer(progress).build();
  }

  private static McpSyncClient stdio(Consumer<McpSchema.ProgressNotification> progress,
      Consumer<List<McpSchema.Tool>> tools) {
    ServerParameters server = ServerParameters.builder(dist.script().toString()).args("mcp")
        .addEnvVar("JAVA_HOME", System.getProperty("java.home")).addEnvVar("DOCKEVOS_HOME", dist.home().toString())
        .build();
    return McpClient.sync(new StdioClientTransport(server, JSON)).requestTimeout(Duration.ofSeconds(20))
        .progressConsumer(progress).toolsChangeConsumer(tools).build();
  }

  private static McpSchema.CallToolResult greet(McpSyncClient client, Map<String, Object> args, Object progressToken) {
    McpSchema.CallToolRequest.Builder b = McpSchema.CallToolRequest.builder().name("greet").arguments(args);
    if (progressToken != null) {
      b.progressToken(progressToken);
    }
    return client.callTool(b.build());
  }

  private static String text(McpSchema.CallToolResult r) {
    return r.content().stream().map(c -> ((McpSchema.TextContent) c).text()).reduce("", String::concat);
  }

  @Test
  @Order(1)
  void withoutATokenTheEndpointAnswers401() {
    HttpResponse<String> r = post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
    assertEquals(401, r.statusCode(), r::body);
    assertEquals("Bearer realm=\"dockevos\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
    assertTrue(r.body().contains("bin/dockevos token create"), r::body);
    HttpResponse<String> wrong = post("dkv_" + "A".repeat(43), "{}");
    assertEquals(401, wrong.statusCode(), wrong::body);
    assertTrue(wrong.body().contains("not known"), wrong::body);
  }

  @Test
  @Order(2)
  void overHttpTheActionsAreToolsThatRunWithProgress() {
    List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    try (McpSyncClient client = http(admin, progress::add)) {
      McpSchema.InitializeResult init = client.initialize();
      assertEquals("dockevOS", init.serverInfo().name());
      assertTrue(init.capabilities().tools().listChanged(), "tools come and go with the actions");

      List<McpSchema.Tool> tools = client.listTools().tools();
      List<String> names = tools.stream().map(McpSchema.Tool::name).toList();
      assertTrue(names.containsAll(List.of("plugin_list", "plugin_info", "plugin_diag", "plugin_install",
          "incident_list", "assistant_analyze", "assistant_fix", "log_tail", "greet", "count")), names::toString);
      McpSchema.Tool greet = tools.stream().filter(t -> t.name().equals("greet")).findFirst().orElseThrow();
      @SuppressWarnings("unchecked")
      Map<String, Object> times = (Map<String, Object>) ((Map<String, Object>) greet.inputSchema().get("properties"))
          .get("times");
      assertEquals(10, ((Number) times.get("maximum")).intValue(), greet::toString);
      assertEquals(List.of("name"), greet.inputSchema().get("required"), greet::toString);
      assertTrue(greet.description().startsWith("Greets someone"), greet::toString);

      McpSchema.CallToolResult r = greet(client, Map.of("name", "MCP", "times", 3), "greeting-1");
      assertFalse(r.isError(), () -> text(r));
      assertTrue(text(r).contains("Hello, MCP! (3/3)"), () -> text(r));
      @SuppressWarnings("unchecked")
      Map<String, Object> result = (Map<String, Object>) ((Map<String, Object>) r.structuredContent()).get("result");
      assertEquals("MCP", result.get("greeted"), r::toString);
      Await.until("three progress notifications", WAIT, () -> progress.size() >= 3);
      // The client may hand notifications on in another order than they came: by their progress.
      List<McpSchema.ProgressNotification> sorted = byProgress(progress);
      assertEquals("greeting-1", sorted.get(0).progressToken());
      assertEquals("greeted 3 of 3", sorted.get(2).message(), progress::toString);
      assertEquals(100.0, sorted.get(2).progress(), progress::toString);

      McpSchema.CallToolResult invalid = greet(client, Map.of("name", "MCP", "times", 11), null);
      assertTrue(invalid.isError(), invalid::toString);
      assertTrue(text(invalid).contains("field 'times': 11 is greater than 10"), () -> text(invalid));

      McpSchema.CallToolResult log = client.callTool(McpSchema.CallToolRequest.builder().name("log_tail")
          .arguments(Map.of("lines", 5)).build());
      assertFalse(log.isError(), log::toString);
      assertEquals(5, text(log).lines().count(), () -> text(log));
    }
    String history = dist.ok("history -n 20").out();
    assertTrue(history.lines().anyMatch(l -> l.contains("agent") && l.contains("mcp")
        && l.contains("tools/call greet {") && l.contains("\"name\":\"MCP\"") && l.contains("\"times\":3")
        && l.contains("ok")), history);
    assertTrue(history.lines().anyMatch(l -> l.contains("agent") && l.contains("mcp") && l.contains("failed")
        && l.contains("\"times\":11")), () -> "the invalid call is kept as failed\n" + history);
  }

  @Test
  @Order(3)
  void aReadTokenReadsButCannotCallAToolThatChangesSomething() {
    String before = dist.ok("greeter:count").out();
    try (McpSyncClient client = http(read, p -> {})) {
      client.initialize();
      McpSchema.CallToolResult plugins = client.callTool(McpSchema.CallToolRequest.builder().name("plugin_list")
          .arguments(Map.of()).build());
      assertFalse(plugins.isError(), plugins::toString);
      assertTrue(text(plugins).contains("\"io.dockevos.example.greeter\""), () -> text(plugins));
      McpSchema.CallToolResult refused = greet(client, Map.of("name", "nobody"), null);
      assertTrue(refused.isError(), refused::toString);
      assertTrue(text(refused).contains("The token watcher has the scope read: it cannot call greet"),
          () -> text(refused));
      McpSchema.CallToolResult plan = client.callTool(McpSchema.CallToolRequest.builder().name("plugin_install")
          .arguments(Map.of("source", "/nowhere.jar")).build());
      assertTrue(plan.isError() && text(plan).contains("it cannot call plugin_install"), plan::toString);
    }
    String history = dist.ok("history -n 20").out();
    assertTrue(history.lines().anyMatch(l -> l.contains("watcher") && l.contains("mcp") && l.contains("failed")
        && l.contains("tools/call greet")), history);
    assertEquals(before, dist.ok("greeter:count").out(), "the refused greet did not run");
  }

  @Test
  @Order(4)
  void overStdioTheSameToolsRunAndFollowTheActions() throws Exception {
    List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    List<List<String>> changes = new CopyOnWriteArrayList<>();
    try (McpSyncClient client = stdio(progress::add, tools -> changes.add(tools.stream().map(McpSchema.Tool::name)
        .toList()))) {
      assertEquals("dockevOS", client.initialize().serverInfo().name());
      assertTrue(client.listTools().tools().stream().anyMatch(t -> t.name().equals("greet")));
      McpSchema.CallToolResult r = greet(client, Map.of("name", "stdio", "times", 2), 7);
      assertFalse(r.isError(), r::toString);
      assertTrue(text(r).contains("Hello, stdio! (2/2)"), () -> text(r));
      Await.until("two progress notifications", WAIT, () -> progress.size() >= 2);
      assertEquals("greeted 1 of 2", byProgress(progress).get(0).message(), progress::toString);

      McpSchema.CallToolResult invalid = greet(client, Map.of("times", 2), null);
      assertTrue(invalid.isError(), invalid::toString);
      assertTrue(text(invalid).contains("name"), () -> text(invalid));

      // The plan first, nothing installed; then the confirmed call installs it.
      Path good = io.dockevos.test.tiny.TinyBundles.copyTo(io.dockevos.test.tiny.TinyBundles.GOOD_1, dist.root());
      McpSchema.CallToolResult plan = client.callTool(McpSchema.CallToolRequest.builder().name("plugin_install")
          .arguments(Map.of("source", good.toString())).build());
      assertFalse(plan.isError(), plan::toString);
      assertTrue(text(plan).contains("io.dockevos.test.good") && text(plan).contains("nothing was changed"),
          () -> text(plan));
      assertFalse(dist.ok("plugin:list").out().contains("io.dockevos.test.good"), "the plan installs nothing");
      String confirm = (String) ((Map<?, ?>) plan.structuredContent()).get("confirm");
      McpSchema.CallToolResult wrong = client.callTool(McpSchema.CallToolRequest.builder().name("plugin_install")
          .arguments(Map.of("source", good.toString(), "confirm", "0000")).build());
      assertTrue(wrong.isError() && text(wrong).contains("is not one for"), wrong::toString);
      McpSchema.CallToolResult installed = client.callTool(McpSchema.CallToolRequest.builder()
          .name("plugin_install").arguments(Map.of("source", good.toString(), "confirm", confirm)).build());
      assertFalse(installed.isError(), installed::toString);
      assertTrue(text(installed).startsWith("Installed io.dockevos.test.good 1.0.0"), () -> text(installed));
      assertTrue(dist.ok("plugin:list").out().contains("io.dockevos.test.good"));

      dist.ok("plugin:stop io.dockevos.example.greeter");
      Await.until("tools/list_changed without greet", WAIT, () -> !changes.isEmpty()
          && !changes.get(changes.size() - 1).contains("greet"));
      assertFalse(client.listTools().tools().stream().anyMatch(t -> t.name().equals("greet")));
      dist.ok("plugin:start io.dockevos.example.greeter");
      Await.until("tools/list_changed with greet again", WAIT, () -> changes.get(changes.size() - 1).contains("greet"));
    }
    String user = System.getProperty("user.name");
    String history = dist.ok("history -n 30").out();
    assertTrue(history.lines().anyMatch(l -> l.contains(user) && l.contains("mcp")
        && l.contains("tools/call plugin_install") && l.contains("ok")), history);
  }

  @Test
  @Order(5)
  void theStdioBridgeExitsWhenItsStdinCloses() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(dist.script().toString(), "mcp");
    Distribution.environment(pb.environment());
    pb.environment().put("DOCKEVOS_HOME", dist.home().toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try {
      OutputStream in = p.getOutputStream();
      in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertNotNull(line, "an answer to initialize");
      assertTrue(line.contains("\"serverInfo\":{\"name\":\"dockevOS\""), line);
      long closed = System.nanoTime();
      in.close();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "bin/dockevos mcp exits when its stdin closes");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed);
      assertEquals(0, p.exitValue());
      System.out.println("bin/dockevos mcp exited " + millis + " ms after its stdin closed");
    } finally {
      p.destroyForcibly();
    }
    assertTrue(dist.running(), "the runtime stays up");
  }

  @Test
  @Order(6)
  void theResourcesTheDiagnosisAndTheAssistantsFixOnlyWhenTheCallConfirmsIt() throws Exception {
    Path jars = Files.createDirectories(dist.root().resolve("jars"));
    dist.provideTheMissingPackage();
    Files.copy(TinyBundles.copyTo(TinyBundles.NEEDS_MISSING, jars), dist.deploy().resolve("needs-missing.jar"));
    try (McpSyncClient agent = http(admin, p -> {}); McpSyncClient watcher = http(read, p -> {})) {
      assertNotNull(agent.initialize().capabilities().resources(), "the server offers resources");
      watcher.initialize();
      List<String> uris = watcher.listResources().resources().stream().map(McpSchema.Resource::uri).toList();
      assertEquals(java.util.Set.of("dockevos://log", "dockevos://incidents", "dockevos://plugins"), java.util.Set.copyOf(uris));
      String incidents = Await.until("an incident for needs-missing in the resource", WAIT,
          () -> resource(watcher, "dockevos://incidents"), t -> t.contains("io.dockevos.test.needsmissing"));
      com.fasterxml.jackson.databind.JsonNode open = MAPPER.readTree(incidents).get("incidents");
      String id = java.util.stream.StreamSupport.stream(open.spliterator(), false)
          .filter(i -> "io.dockevos.test.needsmissing".equals(i.path("pluginId").asText())).findFirst()
          .orElseThrow().get("id").asText();
      com.fasterxml.jackson.databind.JsonNode plugins = MAPPER.readTree(resource(watcher, "dockevos://plugins"));
      assertTrue(plugins.get("plugins").toString().contains("\"symbolicName\":\"io.dockevos.example.greeter\""),
          plugins::toString);
      assertTrue(resource(watcher, "dockevos://log").contains("io.dockevos.test.needsmissing"), "the log's end");

      McpSchema.CallToolResult diag = call(watcher, "plugin_diag", Map.of("plugin", "io.dockevos.example.greeter"));
      assertFalse(diag.isError(), diag::toString);
      com.fasterxml.jackson.databind.JsonNode d = MAPPER.readTree(text(diag));
      assertTrue(d.get("healthy").asBoolean(), d::toString);
      assertEquals(3, d.get("components").size(), d::toString);
      McpSchema.CallToolResult unknown = call(watcher, "plugin_diag", Map.of("plugin", "nosuch"));
      assertTrue(unknown.isError() && text(unknown).equals("No plugin nosuch: plugin_list lists them"), unknown::toString);
      McpSchema.CallToolResult analysis = call(watcher, "assistant_analyze", Map.of("incident", id));
      assertTrue(text(analysis).contains("fix 1 [") && text(analysis).contains("(assistant_fix " + id + " 1)"),
          () -> text(analysis));

      McpSchema.CallToolResult refused = call(watcher, "assistant_fix", Map.of("incident", id, "confirm", true));
      assertTrue(refused.isError() && text(refused).contains("it cannot call assistant_fix"), refused::toString);
      McpSchema.CallToolResult unconfirmed = call(agent, "assistant_fix", Map.of("incident", id, "fix", 1));
      assertTrue(unconfirmed.isError(), unconfirmed::toString);
      assertTrue(text(unconfirmed).startsWith("Not applied: the call must confirm it with \"confirm\": true.")
          && text(unconfirmed).contains("What will change:"), () -> text(unconfirmed));
      assertFalse(dist.ok("plugin:list").out().contains("io.dockevos.test.providesmissing"), "nothing applied");
      McpSchema.CallToolResult none = call(agent, "assistant_fix", Map.of("incident", id, "fix", 7, "confirm", true));
      assertTrue(none.isError() && text(none).contains("there is no fix 7 (assistant_analyze " + id + " lists them)"),
          none::toString);

      McpSchema.CallToolResult applied = call(agent, "assistant_fix", Map.of("incident", id, "fix", 1, "confirm", true));
      assertFalse(applied.isError(), applied::toString);
      assertTrue(text(applied).contains(id + " is FIXED."), () -> text(applied));
      Await.until("needs-missing is ACTIVE", WAIT, () -> dist.ok("plugin:list").out(),
          o -> o.lines().anyMatch(l -> l.contains("io.dockevos.test.needsmissing") && l.contains("ACTIVE")));
    }
    String history = dist.ok("history -n 20").out();
    assertTrue(history.lines().anyMatch(l -> l.contains("agent") && l.contains("mcp")
        && l.contains("tools/call assistant_fix") && l.contains("ok")), history);
  }

  private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(McpSchema.CallToolRequest.builder().name(tool).arguments(args).build());
  }

  private static String resource(McpSyncClient client, String uri) {
    return client.readResource(new McpSchema.ReadResourceRequest(uri)).contents().stream()
        .map(c -> ((McpSchema.TextResourceContents) c).text()).reduce("", String::concat);
  }

  @Test
  @Order(8)
  void afterARestartTheFeatureUninstallsAloneAndTheBridgeSaysWhatIsMissing() {
    dist.stop();
    dist.start();
    Await.until("the MCP endpoint answers again", WAIT, () -> {
      try {
        return post(null, "{}").statusCode();
      } catch (java.io.UncheckedIOException notYet) {
        return -1;
      }
    }, s -> s == 401);
    long start = System.nanoTime();
    Result r = dist.ok("feature:uninstall dockevos-mcp");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(r.out().contains("Uninstalled feature dockevos-mcp"), r::toString);
    assertTrue(millis < 10_000, "no refresh of the runtime's own bundles in the middle of the plan: " + millis + " ms");
    System.out.println("feature:uninstall dockevos-mcp after a restart took " + millis + " ms");
    String plugins = dist.ok("plugin:list").out();
    assertFalse(plugins.contains("io.dockevos.mcp") || plugins.contains("mcp-core"), plugins);
    assertTrue(plugins.contains("io.dockevos.http"), () -> "dockevos-http keeps its bundles\n" + plugins);
    Result bridge = dist.dockevos("mcp");
    assertEquals(1, bridge.exit(), bridge::toString);
    assertTrue(bridge.err().contains("Nothing in this dockevOS serves 'mcp'")
        && bridge.err().contains("feature:install dockevos-mcp"), bridge::toString);
  }

  @Test
  @Order(9)
  void withoutARunningInstanceTheBridgeSaysSo() {
    dist.stop();
    Result r = dist.dockevos("mcp");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains("dockevOS is not running"), r::toString);
  }

  private static List<McpSchema.ProgressNotification> byProgress(List<McpSchema.ProgressNotification> progress) {
    return progress.stream().sorted(java.util.Comparator.comparingDouble(McpSchema.ProgressNotification::progress))
        .toList();
  }
}
