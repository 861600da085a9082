package io.dockevos.mcp.internal;

import io.dockevos.assist.AppliedFix;
import io.dockevos.assist.Assistant;
import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.common.internal.DiagnosisJson;
import io.dockevos.common.internal.FixChoice;
import io.dockevos.common.internal.IncidentJson;
import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.PlanPrinter;
import io.dockevos.common.internal.PluginJson;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.install.Change;
import io.dockevos.install.Installer;
import io.dockevos.install.Plan;
import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.systemlog.CommandHistory;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

/**
 * The tools that are not actions: {@code plugin_list}, {@code plugin_info}, {@code plugin_diag},
 * {@code plugin_install} (the plan first; a second call with the plan's confirmation installs),
 * {@code incident_list}, {@code assistant_analyze}, {@code assistant_fix} (applied only with {@code
 * "confirm": true}) and {@code log_tail}. Each answers as its shell command does.
 */
final class BuiltinTools {
  static final Set<String> NAMES = Set.of("plugin_list", "plugin_info", "plugin_diag", "plugin_install",
      "incident_list", "assistant_analyze", "assistant_fix", "log_tail");

  private final PluginManager plugins;
  private final Diagnostics diagnostics;
  private final Installer installer;
  private final Supplier<ErrorHandler> errors;
  private final Supplier<Assistant> assistant;
  private final CommandProcessor gogo;
  private final Confirmations confirmations = new Confirmations(Duration.ofMinutes(10));

  BuiltinTools(PluginManager plugins, Diagnostics diagnostics, Installer installer, Supplier<ErrorHandler> errors,
      Supplier<Assistant> assistant, CommandProcessor gogo) {
    this.plugins = plugins;
    this.diagnostics = diagnostics;
    this.installer = installer;
    this.errors = errors;
    this.assistant = assistant;
    this.gogo = gogo;
  }

  List<ToolEntry> entries() {
    List<ToolEntry> list = new ArrayList<>();
    list.add(read("plugin_list", "The installed plugins, as plugin:list --json shows them: id, name, version,"
        + " state, components, source, trust",
        "{\"type\":\"object\",\"properties\":{\"all\":{\"type\":\"boolean\",\"description\":\"also the runtime's own"
            + " bundles\"}},\"additionalProperties\":false}",
        (caller, args, progress) -> {
          boolean all = Args.bool(args, "all");
          List<Object> list2 = new ArrayList<>();
          plugins.list().stream().filter(p -> all || !p.boot()).forEach(p -> list2.add(PluginJson.of(p)));
          return reply(Map.of("plugins", list2));
        }));
    list.add(read("plugin_info", "One plugin, by bundle id or symbolic name, as plugin:info shows it",
        "{\"type\":\"object\",\"properties\":{\"plugin\":{\"type\":\"string\",\"description\":\"the bundle id or"
            + " symbolic name\"}},\"required\":[\"plugin\"],\"additionalProperties\":false}",
        (caller, args, progress) -> {
          return reply(PluginJson.of(plugin(Args.string(args, "plugin", true))));
        }));
    list.add(read("plugin_diag", "Why a plugin is not working, as plugin:diag --json shows it: its problems, missing"
        + " requirements with the providers that could satisfy them, components with unsatisfied references, its"
        + " failure and the fixes to try",
        "{\"type\":\"object\",\"properties\":{\"plugin\":{\"type\":\"string\",\"description\":\"the bundle id or"
            + " symbolic name\"}},\"required\":[\"plugin\"],\"additionalProperties\":false}",
        (caller, args, progress) -> diag(Args.string(args, "plugin", true))));
    list.add(new ToolEntry(tool("plugin_install", "Installs a plugin through the install pipeline, as plugin:install"
        + " does (a file, an https: URL with its #sha256=, mvn: coordinates). The first call changes nothing: it"
        + " returns the plan (what is installed, from where, which permissions are asked for) and a confirmation;"
        + " call again with the same source and that confirmation to install it.",
        "{\"type\":\"object\",\"properties\":{\"source\":{\"type\":\"string\",\"description\":\"what to install\"},"
            + "\"confirm\":{\"type\":\"string\",\"description\":\"the confirmation the plan gave; omit it to see the"
            + " plan\"}},\"required\":[\"source\"],\"additionalProperties\":false}", false),
        args -> args.get("confirm") != null, this::install));
    list.add(read("incident_list", "The error handler's incidents, as error:list --json shows them",
        "{\"type\":\"object\",\"properties\":{\"all\":{\"type\":\"boolean\",\"description\":\"also the resolved and"
            + " ignored ones\"}},\"additionalProperties\":false}",
        (caller, args, progress) -> {
          boolean all = Args.bool(args, "all");
          List<Object> list2 = new ArrayList<>();
          errorHandler().incidents(all).forEach(i -> list2.add(IncidentJson.of(i)));
          return reply(Map.of("incidents", list2));
        }));
    list.add(read("assistant_analyze", "What the assistant makes of an incident, as assist:analyze shows it: the"
        + " likely causes, with their confidence, and the fixes it proposes with their risk and what each would do."
        + " Nothing is changed.",
        "{\"type\":\"object\",\"properties\":{\"incident\":{\"type\":\"string\",\"description\":\"the incident's id"
            + " (incident_list)\"}},\"required\":[\"incident\"],\"additionalProperties\":false}",
        (caller, args, progress) -> analyze(Args.string(args, "incident", true))));
    list.add(new ToolEntry(tool("assistant_fix", "Applies one of the fixes assistant_analyze numbers and checks that it"
        + " worked, as assist:fix does. Without \"confirm\": true nothing is applied and the answer says what would"
        + " change; a manual procedure is never applied, its steps are returned.",
        "{\"type\":\"object\",\"properties\":{\"incident\":{\"type\":\"string\",\"description\":\"the incident's id"
            + " (incident_list)\"},\"fix\":{\"type\":\"integer\",\"minimum\":1,\"default\":1,\"description\":\"the fix's"
            + " number in assistant_analyze\"},\"confirm\":{\"type\":\"boolean\",\"description\":\"true applies it\"}},"
            + "\"required\":[\"incident\"],\"additionalProperties\":false}", false),
        args -> Boolean.TRUE.equals(args.get("confirm")), this::fix));
    list.add(read("log_tail", "The end of the dockevOS log, as log:tail -n LINES shows it",
        "{\"type\":\"object\",\"properties\":{\"lines\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,"
            + "\"default\":20,\"description\":\"how many lines\"}},\"additionalProperties\":false}",
        (caller, args, progress) -> {
          long lines = Args.integer(args, "lines", 20, 1, 1000);
          String text = shell(caller, "log:tail -n " + lines);
          return new ToolEntry.Reply(text, null);
        }));
    return list;
  }

  /**
   * A resource: what a built-in tool answers to these arguments, at {@code uri}.
   *
   * @param json whether its content is the tool's JSON (else its text)
   */
  record ResourceEntry(String uri, String name, String description, String tool, Map<String, Object> args,
      boolean json) {}

  /** @return the resources: the log's end, the open incidents, the plugins */
  static List<ResourceEntry> resources() {
    return List.of(
        new ResourceEntry("dockevos://log", "log", "The last 200 lines of the dockevOS log (log_tail)", "log_tail",
            Map.of("lines", 200L), false),
        new ResourceEntry("dockevos://incidents", "incidents", "The error handler's open incidents (incident_list)",
            "incident_list", Map.of(), true),
        new ResourceEntry("dockevos://plugins", "plugins", "The installed plugins (plugin_list)", "plugin_list",
            Map.of(), true));
  }

  private static ToolEntry read(String name, String description, String schema, ToolEntry.Handler handler) {
    return new ToolEntry(tool(name, description, schema, true), args -> false, handler);
  }

  private static McpSchema.Tool tool(String name, String description, String schema, boolean readOnly) {
    return McpSchema.Tool.builder().name(name).description(description)
        .inputSchema(McpTools.schema(schema))
        .annotations(new McpSchema.ToolAnnotations(null, readOnly, null, null, false, null)).build();
  }

  private static ToolEntry.Reply reply(Map<String, Object> json) {
    return new ToolEntry.Reply(Json.pretty(json), json);
  }

  private ToolEntry.Reply install(Caller caller, Map<String, Object> args, ToolEntry.Progress progress)
      throws ToolException {
    String source = Args.string(args, "source", true);
    String confirm = Args.string(args, "confirm", false);
    if (confirm == null) {
      Plan plan;
      try {
        plan = installer.plan(new Change(List.of(new Change.Item(Change.Op.INSTALL, source, null, null)),
            Change.Scope.REPOSITORIES, Set.of(), "mcp", caller.user() + " (mcp)"));
      } catch (PluginException | RuntimeException e) {
        throw new ToolException(e.getMessage());
      }
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
      PlanPrinter.print(out, plan, "nothing was changed");
      String id = confirmations.offer(source);
      out.println("To install it, call plugin_install again with {\"source\": " + Json.value(source) + ", \"confirm\": \""
          + id + "\"} (within 10 minutes).");
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("installed", false);
      json.put("plan", text.toString(StandardCharsets.UTF_8).strip());
      json.put("confirm", id);
      return new ToolEntry.Reply(text.toString(StandardCharsets.UTF_8).strip(), json);
    }
    if (!confirmations.take(confirm, source)) {
      throw new ToolException("The confirmation " + confirm + " is not one for " + source + ": each plan is confirmed"
          + " once, within 10 minutes, with its own source. Call plugin_install without confirm to see the plan.");
    }
    try {
      Plugin p = plugins.install(source);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("installed", true);
      json.put("plugin", PluginJson.of(p));
      return new ToolEntry.Reply("Installed " + p.symbolicName() + " " + p.version() + " as plugin " + p.id() + ": "
          + p.state(), json);
    } catch (PluginException | RuntimeException e) {
      throw new ToolException(e.getMessage());
    }
  }

  private ToolEntry.Reply analyze(String id) throws ToolException {
    Incident incident = incident(id);
    Assistant a = assistant();
    List<Diagnosis> diagnoses = a.analyze(incident);
    StringBuilder text = new StringBuilder();
    int n = 0;
    for (Diagnosis d : diagnoses) {
      text.append(d.cause()).append(" (").append(d.analyzer()).append(", confidence ")
          .append(Math.round(d.confidence() * 100)).append("%)\n");
      for (Fix f : d.fixes()) {
        text.append("  fix ").append(++n).append(" [").append(f.risk().name()).append("]: ").append(f.description())
            .append(f.risk() == Risk.MANUAL ? "" : "  (assistant_fix " + id + " " + n + ")").append("\n");
      }
    }
    if (diagnoses.isEmpty()) {
      text.append("The assistant has no diagnosis for incident ").append(id);
    }
    return new ToolEntry.Reply(text.toString().strip(), Map.of("incident", id, "diagnoses", FixChoice.json(diagnoses)));
  }

  private ToolEntry.Reply fix(Caller caller, Map<String, Object> args, ToolEntry.Progress progress)
      throws ToolException {
    String id = Args.string(args, "incident", true);
    int n = (int) Args.integer(args, "fix", 1, 1, Integer.MAX_VALUE);
    Incident incident = incident(id);
    Assistant a = assistant();
    Fix fix;
    try {
      fix = FixChoice.pick(incident, a.analyze(incident), n, "assistant_analyze " + id);
    } catch (FixChoice.NoSuchFix e) {
      throw new ToolException(e.getMessage());
    }
    if (fix.risk() == Risk.MANUAL) {
      throw new ToolException("Fix " + n + " for " + id + " is a manual procedure: nothing is applied. Follow the"
          + " steps, then analyze " + id + " again:\n" + fix.dryRun());
    }
    if (!Boolean.TRUE.equals(args.get("confirm"))) {
      throw new ToolException("Not applied: the call must confirm it with \"confirm\": true. Fix " + n + " for " + id
          + " [" + fix.risk() + "]: " + fix.description() + ". What will change:\n" + fix.dryRun());
    }
    AppliedFix applied = a.apply(incident, fix, Assistant.BY_USER);
    if (!applied.worked()) {
      throw new ToolException("The fix did not work: " + applied.result() + (applied.rolledBack() ? " (rolled back)" : ""));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("incident", id);
    json.put("fix", applied.fix());
    json.put("risk", applied.risk().name());
    json.put("worked", true);
    json.put("result", applied.result());
    json.put("status", errorHandler().incident(id).map(x -> x.status().name()).orElse(null));
    return new ToolEntry.Reply("Applied: " + applied.result() + "\n" + id + " is " + json.get("status") + ".", json);
  }

  private ToolEntry.Reply diag(String ref) throws ToolException {
    Plugin p = plugin(ref);
    BundleDiagnosis d = diagnostics.diagnose(p.id(), Diagnostics.Depth.CANDIDATES)
        .orElseThrow(() -> new ToolException("No plugin " + ref + ": it was uninstalled meanwhile"));
    Map<String, Object> json = DiagnosisJson.of(p, d);
    return new ToolEntry.Reply(Json.pretty(json), json);
  }

  private Plugin plugin(String ref) throws ToolException {
    return plugins.find(ref).orElseThrow(() -> new ToolException("No plugin " + ref + ": plugin_list lists them"));
  }

  private Incident incident(String id) throws ToolException {
    return errorHandler().incident(id).orElseThrow(() -> new ToolException("No incident " + id
        + ": incident_list lists them"));
  }

  private Assistant assistant() throws ToolException {
    Assistant a = assistant.get();
    if (a == null) {
      throw new ToolException("The assistant is not running: plugin_list shows io.dockevos.assistant's state");
    }
    return a;
  }

  private ErrorHandler errorHandler() throws ToolException {
    ErrorHandler e = errors.get();
    if (e == null) {
      throw new ToolException("The error handler is not running: plugin_list shows io.dockevos.errors's state");
    }
    return e;
  }

  /** Runs a shell command in a Gogo session of the caller's (origin {@code mcp}) and returns what it printed. */
  private String shell(Caller caller, String command) throws ToolException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (CommandSession session = gogo.createSession(InputStream.nullInputStream(), out, out)) {
      session.put(CommandHistory.SESSION_USER, caller.user());
      session.put(CommandHistory.SESSION_ORIGIN, "mcp");
      Object result = session.execute(command);
      if (result != null) {
        out.println(session.format(result, org.apache.felix.service.command.Converter.INSPECT));
      }
    } catch (Exception e) {
      throw new ToolException(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    return bytes.toString(StandardCharsets.UTF_8).stripTrailing();
  }
}
