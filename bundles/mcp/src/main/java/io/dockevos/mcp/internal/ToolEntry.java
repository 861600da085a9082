package io.dockevos.mcp.internal;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One tool as the server offers it: its description for tools/list, whether a call with given
 * arguments changes something (read tokens may not, and the command history keeps it), and what it
 * does.
 */
record ToolEntry(McpSchema.Tool tool, Predicate<Map<String, Object>> changes, Handler handler) {

  /** Runs a call; its result is the tool result's content. */
  @FunctionalInterface
  interface Handler {
    Reply call(Caller caller, Map<String, Object> arguments, Progress progress) throws ToolException;
  }

  /** Reports progress to the client that asked for it (a progress token), else nothing. */
  @FunctionalInterface
  interface Progress {
    Progress NONE = (percent, message) -> {};

    void report(int percent, String message);
  }

  /**
   * @param text what a person reads
   * @param structured the same as JSON values in Java (an object), or null
   */
  record Reply(String text, Map<String, Object> structured) {}

  String name() {
    return tool.name();
  }
}
