package io.dockevos.external.internal;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import reactor.core.publisher.Mono;

/**
 * One MCP session of the SDK client against a peer in this JVM, when the bundle starts: it loads and
 * links the classes of the client, of the JSON mapping and of Reactor that a plugin's first start
 * would otherwise pay for (measured: 240 ms of a first start of 330 ms, against 90 ms for the later
 * ones). It runs through the same {@link StdioTransport} as a plugin, so the same code is warm.
 */
final class Warmup implements PluginRun {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final McpJsonMapper json;
  private final StdioTransport transport;
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();

  private Warmup(McpJsonMapper json, Logger log) {
    this.json = json;
    this.transport = new StdioTransport(json, log);
    transport.attach(this);
  }

  /**
   * Runs a session: initialize, tools/list, tools/call, ping, a log message; a failure is only logged.
   *
   * @return whether the whole session went through
   */
  static boolean run(McpJsonMapper json, Logger log) {
    long start = System.nanoTime();
    Warmup peer = new Warmup(json, log);
    McpAsyncClient c = McpClient.async(peer.transport).requestTimeout(TIMEOUT).initializationTimeout(TIMEOUT)
        .clientInfo(new McpSchema.Implementation("dockevOS", "0.1"))
        .capabilities(McpSchema.ClientCapabilities.builder().experimental(Map.of("dockevos", Map.of())).build())
        .loggingConsumer(n -> Mono.empty()).build();
    try {
      c.initialize().block(TIMEOUT);
      c.listTools().block(TIMEOUT);
      c.callTool(new McpSchema.CallToolRequest("warmup", Map.of("name", "x"))).block(TIMEOUT);
      c.ping().block(TIMEOUT);
      log.debug("The MCP client was warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
      return true;
    } catch (RuntimeException e) {
      log.debug("Warming up the MCP client failed (the first plugin's start is slower): {}", e.toString());
      return false;
    } finally {
      c.close();
      peer.exited.complete(0);
    }
  }

  /** The peer's side: answers each request of the client at once, as a server would. */
  @Override
  public void send(String line) throws IOException {
    if (!(McpSchema.deserializeJsonRpcMessage(json, line) instanceof McpSchema.JSONRPCRequest r)) {
      return; // a notification
    }
    Object result = switch (r.method()) {
      case McpSchema.METHOD_INITIALIZE -> Map.of("protocolVersion",
          ((Map<?, ?>) r.params()).get("protocolVersion"), "capabilities",
          Map.of("tools", Map.of(), "logging", Map.of(), "experimental", Map.of("dockevos", Map.of())),
          "serverInfo", Map.of("name", "dockevOS warm-up, a session in the JVM that loads the MCP client", "version", "1"));
      case McpSchema.METHOD_TOOLS_LIST -> Map.of("tools", List.of(Map.of("name", "warmup", "description", "a tool",
          "inputSchema", Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string"))))));
      case McpSchema.METHOD_TOOLS_CALL -> Map.of("content", List.of(Map.of("type", "text", "text", "ok")), "isError", false);
      default -> Map.of();
    };
    if (McpSchema.METHOD_TOOLS_CALL.equals(r.method())) {
      transport.received(json.writeValueAsString(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
          McpSchema.METHOD_NOTIFICATION_MESSAGE, Map.of("level", "info", "logger", "warmup", "data", "a log line"))));
    }
    transport.received(json.writeValueAsString(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, r.id(), result, null)));
  }

  @Override
  public void closeInput() {
    exited.complete(0);
  }

  @Override
  public boolean alive() {
    return !exited.isDone();
  }

  @Override
  public long pid() {
    return -1;
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  @Override
  public List<String> tail() {
    return List.of();
  }

  @Override
  public int stop(Duration grace) {
    exited.complete(0);
    return 0;
  }

  @Override
  public void reap() {
    exited.complete(0);
  }
}
