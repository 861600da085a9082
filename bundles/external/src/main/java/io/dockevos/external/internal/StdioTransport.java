package io.dockevos.external.internal;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.function.Function;
import org.slf4j.Logger;
import reactor.core.publisher.Mono;

/**
 * The MCP SDK client's transport over a {@link PluginRun} (a process or a container's attached stdio) that the supervisor started itself
 * (the SDK's own stdio transport starts its process with the runtime's whole environment and reads
 * lines of any length): one JSON-RPC message a line each way.
 */
final class StdioTransport implements McpClientTransport {
  private final McpJsonMapper json;
  private final Logger log;
  private volatile PluginRun process;
  private volatile Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
  private volatile long junk;

  StdioTransport(McpJsonMapper json, Logger log) {
    this.json = json;
    this.log = log;
  }

  void attach(PluginRun p) {
    this.process = p;
  }

  /** A line from the plugin's stdout that starts with {@code {}. */
  void received(String line) {
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json, line);
    } catch (IOException | RuntimeException e) {
      junk++;
      log.warn("stdout (not protocol): {}", line.length() > 300 ? line.substring(0, 300) + "..." : line);
      return;
    }
    Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> h = handler;
    if (h == null) {
      log.warn("a message before the client connected is dropped: {}", line);
      return;
    }
    h.apply(Mono.just(message)).subscribe(null, e -> log.warn("handling a message failed: {}", e.toString()));
  }

  long junk() {
    return junk;
  }

  @Override
  public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    this.handler = handler;
    return Mono.empty();
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.fromCallable(() -> {
      PluginRun p = process;
      if (p == null || !p.alive()) {
        throw new IOException("the plugin's process is not running");
      }
      p.send(json.writeValueAsString(message));
      return (Void) null;
    });
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(() -> {
      PluginRun p = process;
      if (p != null) {
        p.closeInput();
      }
    });
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
    return json.convertValue(data, type);
  }
}
