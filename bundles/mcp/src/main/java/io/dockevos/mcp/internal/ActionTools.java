package io.dockevos.mcp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dockevos.action.ActionException;
import io.dockevos.action.ActionInfo;
import io.dockevos.action.ActionListener;
import io.dockevos.action.ActionService;
import io.dockevos.common.internal.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every action is a tool: its name (or {@code SCOPE.NAME} when two plugins offer the same name, or
 * a built-in tool has it), its description, and its JSON Schema as the input schema. A call goes
 * through {@link ActionService#invoke}, so the input is checked by the same validation as the
 * shell's, with its timeout, figures and events; a streaming action's progress becomes MCP
 * progress notifications, its output the text of the result.
 */
final class ActionTools {
  private final ActionService actions;
  private final ObjectMapper mapper;

  ActionTools(ActionService actions, ObjectMapper mapper) {
    this.actions = actions;
    this.mapper = mapper;
  }

  /** @param reserved the built-in tools' names, which an action does not take */
  List<ToolEntry> entries(Set<String> reserved) {
    List<ActionInfo> all = actions.actions();
    Map<String, Integer> count = new HashMap<>();
    all.forEach(a -> count.merge(a.name(), 1, Integer::sum));
    List<ToolEntry> entries = new ArrayList<>();
    for (ActionInfo a : all) {
      String name = toolName(a, count.get(a.name()) > 1 || reserved.contains(a.name()));
      entries.add(entry(a, name));
    }
    return entries;
  }

  /** @return the action's name, or {@code SCOPE.NAME} (its command's scope) when the name is not unique */
  static String toolName(ActionInfo a, boolean clash) {
    if (!clash) {
      return a.name();
    }
    int colon = a.command().indexOf(':');
    return (colon > 0 ? a.command().substring(0, colon) : a.plugin()) + "." + a.name();
  }

  private ToolEntry entry(ActionInfo a, String name) {
    Map<String, Object> schema;
    try {
      schema = mapper.readValue(a.schema(), Map.class);
    } catch (IOException e) {
      schema = Map.of("type", "object");
    }
    String description = (a.description() == null || a.description().isBlank() ? "The action " + a.name()
        : a.description()) + " (the action " + a.name() + " of the plugin " + a.plugin() + "; shell: " + a.command()
        + ")";
    McpSchema.Tool tool = McpSchema.Tool.builder().name(name).title(a.command()).description(description)
        .inputSchema(schema).annotations(new McpSchema.ToolAnnotations(a.command(), false, null, null, false, null))
        .build();
    return new ToolEntry(tool, args -> true, (caller, args, progress) -> invoke(a, args, progress));
  }

  private ToolEntry.Reply invoke(ActionInfo a, Map<String, Object> args, ToolEntry.Progress progress)
      throws ToolException {
    List<String> output = new ArrayList<>();
    Object result;
    try {
      result = actions.invoke(a.plugin(), a.name(), args, null, new ActionListener() {
        @Override
        public void output(String chunk) {
          output.add(chunk);
        }

        @Override
        public void progress(int percent, String message) {
          progress.report(percent, message);
        }
      });
    } catch (ActionException e) {
      throw new ToolException(e.getMessage(), e.kind() == ActionException.Kind.CANCELLED
          || e.kind() == ActionException.Kind.TIMEOUT);
    }
    StringBuilder text = new StringBuilder(String.join("\n", output));
    if (result != null) {
      text.append(text.length() == 0 ? "" : "\n").append(Json.pretty(result));
    }
    Map<String, Object> structured = new LinkedHashMap<>();
    structured.put("result", result);
    structured.put("output", output);
    return new ToolEntry.Reply(text.toString(), structured);
  }
}
