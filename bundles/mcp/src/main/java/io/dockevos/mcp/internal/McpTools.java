package io.dockevos.mcp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dockevos.action.Action;
import io.dockevos.action.ActionService;
import io.dockevos.assist.Assistant;
import io.dockevos.common.internal.Json;
import io.dockevos.error.ErrorHandler;
import io.dockevos.install.Installer;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.PluginManager;
import io.dockevos.systemlog.CommandHistory;
import io.dockevos.systemlog.CommandRecord;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools, and the MCP servers that offer them: one for the Streamable HTTP transport (many
 * sessions), one for each stdio session. When an action comes or goes, every server's tools follow
 * and each client hears {@code notifications/tools/list_changed}.
 *
 * <p>A {@code read} token may call only the tools marked read-only ({@code readOnlyHint}); a call of
 * any other is refused, and kept in the command history. A call that changes something (every
 * action; {@code plugin_install} with its confirmation) is kept in the command history with the
 * caller's name as its user and {@code mcp} as its origin, also when it fails.
 */
@Component(service = McpTools.class)
public final class McpTools {
  private static final Logger LOG = LoggerFactory.getLogger(McpTools.class);
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String ORIGIN = "mcp";

  /** A server, who calls through it, and how many of its tool calls are running. */
  private static final class Attached {
    private volatile McpSyncServer server;
    private final Function<McpSyncServerExchange, Caller> callers;
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    Attached(Function<McpSyncServerExchange, Caller> callers) {
      this.callers = callers;
    }

    McpSyncServer server() {
      return server;
    }

    Function<McpSyncServerExchange, Caller> callers() {
      return callers;
    }
  }

  private final BundleContext context;
  private final McpJsonMapper jsonMapper = new JacksonMcpJsonMapper(MAPPER);
  private final JsonSchemaValidator validator = new DefaultJsonSchemaValidator(MAPPER);
  private final ActionTools actionTools;
  private final BuiltinTools builtins;
  private final List<Attached> attached = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dockevos-mcp-tools");
    t.setDaemon(true);
    return t;
  });
  private final ServiceListener actionListener = event -> actionsChanged();
  private Map<String, ToolEntry> current = Map.of();

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile CommandHistory history;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile ErrorHandler errors;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile Assistant assistant;

  @Activate
  public McpTools(BundleContext context, @Reference ActionService actions, @Reference PluginManager plugins,
      @Reference Installer installer, @Reference Diagnostics diagnostics, @Reference CommandProcessor gogo) {
    this.context = context;
    this.actionTools = new ActionTools(actions, MAPPER);
    this.builtins = new BuiltinTools(plugins, diagnostics, installer, () -> errors, () -> assistant, gogo);
    try {
      context.addServiceListener(actionListener, "(objectClass=" + Action.class.getName() + ")");
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
    resync();
  }

  @Deactivate
  void deactivate() {
    context.removeServiceListener(actionListener);
    scheduler.shutdownNow();
  }

  /** @return the JSON Schema text as JSON values in Java */
  @SuppressWarnings("unchecked")
  static Map<String, Object> schema(String json) {
    try {
      return MAPPER.readValue(json, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  McpJsonMapper jsonMapper() {
    return jsonMapper;
  }

  /** @return the names of the tools offered now, built-in ones first */
  synchronized List<String> toolNames() {
    return List.copyOf(current.keySet());
  }

  /**
   * Builds a server on a transport with every tool, and keeps its tools current until {@link #detach}.
   *
   * @param callers who calls, from a call's exchange (its transport context over HTTP)
   */
  synchronized McpSyncServer serve(McpServer.SyncSpecification<?> spec, Function<McpSyncServerExchange, Caller> callers) {
    Attached a = new Attached(callers);
    List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
    current.values().forEach(e -> tools.add(spec(e, a)));
    McpSyncServer server = spec.serverInfo("dockevOS", context.getBundle().getVersion().toString())
        .instructions("dockevOS, an OSGi runtime: every action of its plugins is a tool with its JSON Schema;"
            + " plugin_list, plugin_info, plugin_diag, plugin_install, incident_list, assistant_analyze, assistant_fix"
            + " and log_tail are built in; the log, the incidents and the plugins are resources too.")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).build())
        .resources(BuiltinTools.resources().stream().map(r -> resource(r, a)).toList())
        .jsonMapper(jsonMapper).jsonSchemaValidator(validator)
        // The action model checks the input, in the shell's words: not the SDK first, in its own.
        .validateToolInputs(false)
        .tools(tools).build();
    a.server = server;
    attached.add(a);
    return server;
  }

  /** @return how many tool calls of the server are running */
  int running(McpSyncServer server) {
    return attached.stream().filter(a -> a.server() == server).mapToInt(a -> a.running.get()).sum();
  }

  void detach(McpSyncServer server) {
    attached.removeIf(a -> a.server() == server);
  }

  private void actionsChanged() {
    // The action service sees the same service event; ask it a moment later.
    try {
      scheduler.schedule(this::resync, 200, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // deactivated
    }
  }

  /** Brings every server's tools up to date: removed, added and changed ones. */
  synchronized void resync() {
    Map<String, ToolEntry> next = new LinkedHashMap<>();
    builtins.entries().forEach(e -> next.put(e.name(), e));
    try {
      actionTools.entries(BuiltinTools.NAMES).forEach(e -> next.putIfAbsent(e.name(), e));
    } catch (RuntimeException e) {
      LOG.warn("MCP: the actions cannot be listed: {}", e.toString());
    }
    Map<String, ToolEntry> before = current;
    current = next;
    if (before.isEmpty()) {
      return;
    }
    for (Attached a : attached) {
      try {
        for (String gone : before.keySet()) {
          if (!next.containsKey(gone)) {
            a.server().removeTool(gone);
          }
        }
        for (ToolEntry e : next.values()) {
          ToolEntry old = before.get(e.name());
          if (old == null || !old.tool().equals(e.tool())) {
            a.server().addTool(spec(e, a));
          }
        }
      } catch (RuntimeException e) {
        LOG.debug("MCP: a server's tools cannot be changed (closing?): {}", e.toString());
      }
    }
    List<String> added = next.keySet().stream().filter(n -> !before.containsKey(n)).toList();
    List<String> removed = before.keySet().stream().filter(n -> !next.containsKey(n)).toList();
    if (!added.isEmpty() || !removed.isEmpty()) {
      LOG.info("MCP tools changed: added {}, removed {}", added, removed);
    }
  }

  /** A resource, read as its tool answers (read-only tools: any token may read them). */
  private McpServerFeatures.SyncResourceSpecification resource(BuiltinTools.ResourceEntry r, Attached a) {
    McpSchema.Resource resource = McpSchema.Resource.builder().uri(r.uri()).name(r.name()).description(r.description())
        .mimeType(r.json() ? "application/json" : "text/plain").build();
    return new McpServerFeatures.SyncResourceSpecification(resource, (exchange, request) -> {
      ToolEntry entry;
      synchronized (this) {
        entry = current.get(r.tool());
      }
      try {
        ToolEntry.Reply reply = entry.handler().call(a.callers().apply(exchange), new LinkedHashMap<>(r.args()),
            ToolEntry.Progress.NONE);
        String text = r.json() && reply.structured() != null ? Json.pretty(reply.structured()) : reply.text();
        return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(r.uri(), resource.mimeType(),
            text)));
      } catch (ToolException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    });
  }

  private McpServerFeatures.SyncToolSpecification spec(ToolEntry entry, Attached a) {
    return McpServerFeatures.SyncToolSpecification.builder().tool(entry.tool())
        .callHandler((exchange, request) -> {
          a.running.incrementAndGet();
          try {
            return call(entry, a.callers().apply(exchange), exchange, request);
          } finally {
            a.running.decrementAndGet();
          }
        }).build();
  }

  McpSchema.CallToolResult call(ToolEntry entry, Caller caller, McpSyncServerExchange exchange,
      McpSchema.CallToolRequest request) {
    Map<String, Object> args = request.arguments() == null ? new LinkedHashMap<>()
        : Json.toJava(Json.value(request.arguments()));
    boolean changes = entry.changes().test(args);
    Instant at = Instant.now();
    long start = System.nanoTime();
    String command = "tools/call " + entry.name() + " " + Json.value(args);
    boolean readOnlyTool = entry.tool().annotations() != null
        && Boolean.TRUE.equals(entry.tool().annotations().readOnlyHint());
    if (caller.readOnly() && !readOnlyTool) {
      String why = "The token " + caller.user() + " has the scope read: it cannot call " + entry.name() + ", which"
          + " changes something (make an admin token with token:create --scope admin)";
      keep(caller, at, command, start, CommandRecord.Status.FAILED, why);
      return error(why);
    }
    Object token = request.meta() == null ? null : request.meta().get("progressToken");
    ToolEntry.Progress progress = token == null || exchange == null ? ToolEntry.Progress.NONE : (percent, message) -> {
      try {
        exchange.progressNotification(new McpSchema.ProgressNotification(token, percent, 100.0, message));
      } catch (RuntimeException e) {
        LOG.debug("MCP: a progress notification cannot be sent: {}", e.toString());
      }
    };
    try {
      ToolEntry.Reply reply = entry.handler().call(caller, args, progress);
      if (changes) {
        keep(caller, at, command, start, CommandRecord.Status.OK, null);
      }
      McpSchema.CallToolResult.Builder b = McpSchema.CallToolResult.builder().addTextContent(reply.text())
          .isError(false);
      if (reply.structured() != null) {
        b.structuredContent(reply.structured());
      }
      return b.build();
    } catch (ToolException e) {
      if (changes) {
        keep(caller, at, command, start, e.interrupted() ? CommandRecord.Status.INTERRUPTED
            : CommandRecord.Status.FAILED, e.getMessage());
      }
      return error(e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("MCP: the tool {} failed", entry.name(), e);
      String why = "The tool " + entry.name() + " failed: " + e;
      if (changes) {
        keep(caller, at, command, start, CommandRecord.Status.FAILED, why);
      }
      return error(why);
    }
  }

  private static McpSchema.CallToolResult error(String message) {
    return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  private void keep(Caller caller, Instant at, String command, long start, CommandRecord.Status status, String error) {
    CommandHistory h = history;
    if (h != null) {
      h.record(new CommandRecord(at, caller.user(), ORIGIN, command,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), status, error));
    }
  }
}
