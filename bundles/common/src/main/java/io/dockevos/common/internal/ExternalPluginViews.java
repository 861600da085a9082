package io.dockevos.common.internal;

import io.dockevos.external.ExternalPlugin;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the shell shows external plugins, for external:list and plugin:list alike: their table, their state in a line, their JSON. */
public final class ExternalPluginViews {
  private ExternalPluginViews() {}

  /** Prints the table: name, version, kind, state, pid, restarts, uptime, tools. */
  public static void table(PrintStream out, List<ExternalPlugin> plugins) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Name", "Version", "Kind", "State", "Pid", "Restarts", "Uptime", "Tools"});
    for (ExternalPlugin p : plugins) {
      rows.add(new String[] {p.name(), p.version(), "external", p.state() + (p.enabled() ? "" : " (disabled)"),
          p.pid() > 0 ? String.valueOf(p.pid()) : "-", String.valueOf(p.restarts()), uptime(p.startedAt()),
          String.join(", ", p.tools())});
    }
    Tables.print(out, rows);
  }

  /** @return {@code ACTIVE (pid 12, tools: greet)}, with the reason when there is one */
  public static String state(ExternalPlugin p) {
    return p.state() + (p.pid() > 0 ? " (pid " + p.pid() + ", tools: " + String.join(", ", p.tools()) + ")" : "")
        + (p.reason() == null ? "" : ": " + p.reason());
  }

  /** @return how long since then, {@code 42s}, {@code 3m7s}, {@code 2h5m}; {@code -} for none */
  public static String uptime(Instant since) {
    if (since == null) {
      return "-";
    }
    long s = Math.max(0, Duration.between(since, Instant.now()).toSeconds());
    return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" + s % 60 + "s" : s / 3600 + "h" + s % 3600 / 60 + "m";
  }

  /** @return the plugin as JSON values in Java */
  public static Map<String, Object> toMap(ExternalPlugin p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("version", p.version());
    m.put("kind", "external");
    m.put("runtime", p.runtime());
    m.put("state", p.state().name());
    m.put("enabled", p.enabled());
    m.put("pid", p.pid());
    m.put("restarts", p.restarts());
    m.put("startedAt", p.startedAt() == null ? null : p.startedAt().toString());
    m.put("tools", p.tools());
    m.put("reason", p.reason());
    m.put("limits", p.limits());
    m.put("folder", p.folder());
    return m;
  }

  /** Prints what external:info and plugin:info show of an external plugin, but its folder (the last line). */
  public static void info(PrintStream out, ExternalPlugin p) {
    out.println("Name:        " + p.name());
    out.println("Version:     " + p.version());
    out.println("Description: " + p.description());
    out.println("Kind:        external (runtime " + p.runtime() + ")");
    out.println("State:       " + p.state() + (p.enabled() ? "" : " (disabled)"));
    if (p.reason() != null) {
      out.println("Reason:      " + p.reason());
    }
    out.println("Pid:         " + (p.pid() > 0 ? p.pid() : "-"));
    out.println("Restarts:    " + p.restarts());
    out.println("Uptime:      " + uptime(p.startedAt()));
    out.println("Limits:      " + p.limits());
    out.println("Tools:       " + (p.tools().isEmpty() ? "-" : String.join(", ", p.tools().stream()
        .map(t -> p.name() + ":" + t).toList())));
  }
}
