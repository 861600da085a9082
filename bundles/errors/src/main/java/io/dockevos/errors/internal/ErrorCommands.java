package io.dockevos.errors.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Tables;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code error:*} Gogo commands, a thin layer over {@link ErrorHandler}. A failure is thrown as
 * an {@link IllegalStateException} with a message for users, as the {@code plugin:} commands do.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = ErrorCommands.class, property = {"osgi.command.scope=error", "osgi.command.function=list",
    "osgi.command.function=show", "osgi.command.function=ignore", "osgi.command.function=clear",
    "osgi.command.function=health", "osgi.command.function=recheck", "osgi.command.function=report"})
public final class ErrorCommands {
  private final ErrorHandler errors;

  @Activate
  public ErrorCommands(@Reference ErrorHandler errors) {
    this.errors = errors;
  }

  @Descriptor("list the open incidents, newest first: id, severity, status, count, source, plugin, last seen, summary")
  public void list(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("also the fixed and ignored ones") @Parameter(names = {"-a", "--all"}, presentValue = "true",
          absentValue = "false") boolean all,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "error:list");
      return;
    }
    List<Incident> list = errors.incidents(all);
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(list.stream().map(IncidentStore::toMap).toList()));
      return;
    }
    if (list.isEmpty()) {
      out.println(all ? "No incidents." : "No open incidents." + " error:list --all shows the fixed and ignored ones too.");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "Severity", "Status", "Count", "Source", "Plugin", "Last seen", "Summary"});
    for (Incident i : list) {
      rows.add(new String[] {i.id(), i.severity().name(), i.status().name(), String.valueOf(i.count()), i.source(),
          i.pluginId() == null ? "-" : i.pluginId(), io.dockevos.common.internal.TimeFormat.of(i.lastSeen()), i.summary()});
    }
    Tables.print(out, rows);
  }

  @Descriptor("show an incident in full: its fields, its properties and its detail (with the stack trace)")
  public void show(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json,
      @Descriptor("incident id, for example E3") String id) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "error:show");
      return;
    }
    Incident i = find(id);
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(IncidentStore.toMap(i)));
      return;
    }
    out.println(i.id() + " " + i.severity() + " " + i.status() + ": " + i.summary());
    out.println("  Source:      " + i.source());
    out.println("  Plugin:      " + (i.pluginId() == null ? "-" : i.pluginId()));
    out.println("  Count:       " + i.count());
    out.println("  First seen:  " + io.dockevos.common.internal.TimeFormat.of(i.firstSeen()));
    out.println("  Last seen:   " + io.dockevos.common.internal.TimeFormat.of(i.lastSeen()));
    out.println("  Fingerprint: " + i.fingerprint());
    out.println("Properties:");
    new TreeMap<>(i.properties()).forEach((k, v) -> out.println("  " + k + " = " + v.replace("\n", "\n      ")));
    out.println("Detail:");
    i.detail().lines().forEach(l -> out.println("  " + l));
  }

  /** {@code error:show} without its arguments: its help with {@code --help}, else what it needs. */
  public void show(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "error:show", help);
  }

  @Descriptor("ignore an incident: it leaves error:list and no longer counts against its plugin's health")
  public void ignore(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("incident id") String id) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "error:ignore");
      return;
    }
    Incident i = status(id, Incident.Status.IGNORED);
    System.out.println(i.id() + " is " + i.status());
  }

  /** {@code error:ignore} without its arguments: its help with {@code --help}, else what it needs. */
  public void ignore(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "error:ignore", help);
  }

  @Descriptor("forget every fixed and ignored incident")
  public void clear(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "error:clear");
      return;
    }
    int n = errors.clear(null);
    System.out.println("Cleared " + n + (n == 1 ? " incident" : " incidents") + " (fixed and ignored)");
  }

  @Descriptor("forget one incident, whatever its status")
  public void clear(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("incident id") String id) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "error:clear");
      return;
    }
    try {
      errors.clear(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    System.out.println("Cleared " + id);
  }

  @Descriptor("look again at what caused an incident; marks it FIXED when the cause is gone")
  public void recheck(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("incident id") String id) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "error:recheck");
      return;
    }
    find(id);
    Optional<Boolean> present = errors.recheck(id);
    Incident i = find(id);
    System.out.println(present.isEmpty() ? id + ": its cause cannot be re-checked; it is " + i.status()
        : present.get() ? id + ": the cause is still there; it is " + i.status()
        : id + ": the cause is gone; it is " + i.status());
  }

  /** {@code error:recheck} without its arguments: its help with {@code --help}, else what it needs. */
  public void recheck(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "error:recheck", help);
  }

  @Descriptor("the health of every plugin (HEALTHY, DEGRADED, FAILING), from its open incidents and its health checks")
  public void health(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "error:health");
      return;
    }
    List<HealthReports.PluginHealth> all = impl().healthReports();
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(all.stream().map(ErrorCommands::toMap).toList()));
      return;
    }
    if (all.isEmpty()) {
      out.println("No plugins, and no incidents: all is well.");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Plugin", "Health", "Open incidents", "Health checks"});
    for (HealthReports.PluginHealth h : all) {
      rows.add(new String[] {h.plugin(), h.health().name(), String.valueOf(h.open().size()),
          h.checks().isEmpty() ? "-" : String.join(", ", h.checks().stream().map(c -> c.name() + " " + c.status())
              .toList())});
    }
    Tables.print(out, rows);
  }

  @Descriptor("the health of one plugin, with the incidents and health checks it comes from")
  public void health(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json,
      @Descriptor("plugin symbolic name") String plugin) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "error:health");
      return;
    }
    HealthReports.PluginHealth h = impl().healthReport(plugin);
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(toMap(h)));
      return;
    }
    out.println(plugin + ": " + h.health());
    out.println(h.open().isEmpty() ? "Open incidents: none" : "Open incidents:");
    h.open().forEach(i -> out.println("  " + i.id() + " " + i.severity() + " x" + i.count() + " " + i.summary()));
    out.println(h.checks().isEmpty() ? "Health checks: none" : "Health checks:");
    h.checks().forEach(c -> out.println("  " + c.name() + " " + c.status() + (c.message().isEmpty() ? ""
        : ": " + c.message())));
  }

  @Descriptor("report a failure by hand, as a plugin would with ErrorHandler.report (for scripts and tests)")
  public void report(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("severity: WARNING, ERROR or CRITICAL") @Parameter(names = "--severity", absentValue = "ERROR")
          String severity,
      @Descriptor("the plugin it touches") @Parameter(names = "--plugin", absentValue = "") String plugin,
      @Descriptor("report it N times; with --distinct, N different failures") @Parameter(names = "--count",
          absentValue = "1") int count,
      @Descriptor("number each report, so that each is an incident of its own") @Parameter(names = "--distinct",
          presentValue = "true", absentValue = "false") boolean distinct,
      @Descriptor("what happened, in plain words") String... summary) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "error:report");
      return;
    }
    Incident.Severity s;
    try {
      s = Incident.Severity.valueOf(severity.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Unknown severity " + severity + "; use WARNING, ERROR or CRITICAL");
    }
    if (summary.length == 0) {
      throw new IllegalStateException("error:report needs a summary");
    }
    String text = String.join(" ", summary);
    Incident last = null;
    for (int k = 1; k <= count; k++) {
      Map<String, String> props = new LinkedHashMap<>();
      if (distinct) {
        props.put(io.dockevos.error.IncidentProperties.FINGERPRINT_KEY, text + " #" + k);
      }
      last = errors.report("shell", plugin.isEmpty() ? null : plugin, s, distinct ? text + " #" + k : text, null,
          props);
    }
    if (last != null) {
      System.out.println("Reported " + (count == 1 ? "as " : count + " times, last as ") + last.id() + " (count "
          + last.count() + ")");
    }
  }

  private Incident status(String id, Incident.Status status) {
    try {
      return errors.setStatus(id, status);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private Incident find(String id) {
    return errors.incident(id).orElseThrow(() -> new IllegalStateException("No incident " + id
        + "; error:list --all lists them"));
  }

  private ErrorHandlerImpl impl() {
    return (ErrorHandlerImpl) errors;
  }

  private static Map<String, Object> toMap(HealthReports.PluginHealth h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("plugin", h.plugin());
    m.put("health", h.health().name());
    m.put("incidents", h.open().stream().map(Incident::id).toList());
    m.put("checks", h.checks().stream().map(c -> Map.of("name", c.name(), "status", c.status(), "message",
        c.message())).toList());
    return m;
  }
}
