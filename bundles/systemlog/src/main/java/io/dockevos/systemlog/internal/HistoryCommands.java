package io.dockevos.systemlog.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Tables;
import io.dockevos.systemlog.CommandHistory;
import io.dockevos.systemlog.CommandRecord;
import io.dockevos.systemlog.EventLog;
import io.dockevos.systemlog.LoggedEvent;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/** {@code log:history} and {@code log:events}: the command history and the event log. */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = HistoryCommands.class, property = {
    "osgi.command.scope=log", "osgi.command.function=history", "osgi.command.function=events"})
public final class HistoryCommands {
  private final CommandHistory history;
  private final EventLog events;

  @Activate
  public HistoryCommands(@Reference CommandHistory history, @Reference EventLog events) {
    this.history = history;
    this.events = events;
  }

  @Descriptor("the commands of every shell session (console, client, run -c, embedded), kept across restarts")
  public void history(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the last N commands") @Parameter(names = {"-n", "--lines"}, absentValue = "20") int lines,
      @Descriptor("only commands that contain TEXT (ignoring case)") @Parameter(names = {"-s", "--search"}, absentValue = "")
          String search,
      @Descriptor("only commands that failed") @Parameter(names = "--failed", presentValue = "true", absentValue = "false")
          boolean failed,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "log:history");
      return;
    }
    List<CommandRecord> list = history.find(search, failed, lines);
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(list.stream().map(HistoryCommands::toMap).toList()));
      return;
    }
    if (list.isEmpty()) {
      out.println(search.isEmpty() && !failed ? "No command recorded yet." : "No recorded command matches.");
      return;
    }
    ZoneId zone = ZoneId.systemDefault();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Time", "User", "From", "ms", "Status", "Command"});
    for (CommandRecord r : list) {
      rows.add(new String[] {Times.print(r.time(), zone), r.user(), r.origin(), String.valueOf(r.durationMillis()),
          r.status().name().toLowerCase(java.util.Locale.ROOT), r.command() + (r.failed() ? "  -> " + r.error() : "")});
    }
    Tables.print(out, rows);
  }

  static Map<String, Object> toMap(CommandRecord r) {
    return Codecs.HISTORY.encode(r);
  }

  @Descriptor("the events of the runtime (dockevos/* and org/osgi/framework/*), kept across restarts")
  public void events(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("only topics under PATTERN (dockevos/plugin), or matching it ('dockevos/*/FAILED', quoted: * matches anything)")
      @Parameter(names = {"-t", "--topic"}, absentValue = "") String topic,
      @Descriptor("only events about plugin ID (plugin.id or bundle.symbolicName)")
      @Parameter(names = {"-p", "--plugin"}, absentValue = "") String plugin,
      @Descriptor("only events since DURATION ago (30s, 5m, 2h, 1d) or since TIME (2026-12-01 08:00:00, 08:00)")
      @Parameter(names = "--since", absentValue = "") String since,
      @Descriptor("the last N events") @Parameter(names = {"-n", "--lines"}, absentValue = "50") int lines,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "log:events");
      return;
    }
    ZoneId zone = ZoneId.systemDefault();
    Instant from = Times.since(since, Instant.now(), zone);
    List<LoggedEvent> list = events.find(topic, plugin, from, lines);
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(list.stream().map(Codecs.EVENTS::encode).toList()));
      return;
    }
    if (list.isEmpty()) {
      out.println("No recorded event matches.");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Time", "Topic", "Properties"});
    for (LoggedEvent e : list) {
      Map<String, String> props = new LinkedHashMap<>(e.properties());
      rows.add(new String[] {Times.print(e.time(), zone), e.topic(),
          props.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(", "))});
    }
    Tables.print(out, rows);
  }
}
