package io.dockevos.external.internal;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.Map;
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
  private volatile Requests requests;

  /** Answers the requests of the plugin that are not MCP's: those of the {@code dockevos} capability. */
  interface Requests {
    /**
     * @return the result, a JSON value
     * @throws RequestError the error to answer
     */
    Object request(String method, java.util.Map<String, Object> params) throws RequestError;
  }

  /** A JSON-RPC error answer. */
  static final class RequestError extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;
    final transient Object data;

    RequestError(int code, String message) {
      this(code, message, null);
    }

    RequestError(int code, String message, Object data) {
      super(message);
      this.code = code;
      this.data = data;
    }
  }

  /** @param r what answers the plugin's requests whose method starts with {@code dockevos/} */
  void requests(Requests r) {
    this.requests = r;
  }

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
    if (message instanceof McpSchema.JSONRPCRequest r && r.method() != null && r.method().startsWith("dockevos/")) {
      answer(r);
      return;
    }
    Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> h = handler;
    if (h == null) {
      log.warn("a message before the client connected is dropped: {}", line);
      return;
    }
    h.apply(Mono.just(message)).subscribe(null, e -> log.warn("handling a message failed: {}", e.toString()));
  }

  /** Answers a request of the dockevos capability, on the thread that read it. */
  @SuppressWarnings("unchecked")
  private void answer(McpSchema.JSONRPCRequest r) {
    McpSchema.JSONRPCResponse response;
    Requests handler = requests;
    try {
      if (handler == null) {
        throw new RequestError(-32601, "method not found: " + r.method());
      }
      Map<String, Object> params = r.params() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      response = new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, r.id(), handler.request(r.method(), params), null);
    } catch (RequestError e) {
      log.warn("{} refused: {}", r.method(), e.getMessage());
      response = new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, r.id(), null,
          new McpSchema.JSONRPCResponse.JSONRPCError(e.code, e.getMessage(), e.data));
    } catch (RuntimeException e) {
      log.warn("{} failed: {}", r.method(), e.toString());
      response = new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, r.id(), null,
          new McpSchema.JSONRPCResponse.JSONRPCError(-32603, r.method() + " failed: " + e, null));
    }
    write(response);
  }

  /** Sends a notification of the host's own (the dockevos capability's). */
  void notify(String method, Object params) {
    write(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, method, params));
  }

  private void write(McpSchema.JSONRPCMessage message) {
    PluginRun p = process;
    if (p == null || !p.alive()) {
      return;
    }
    try {
      p.send(json.writeValueAsString(message));
    } catch (IOException e) {
      log.debug("cannot write to the plugin: {}", e.toString());
    }
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
