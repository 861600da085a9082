package io.dockevos.hardware.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Tables;
import io.dockevos.hardware.HardwareAnalyzer;
import io.dockevos.hardware.HardwareInfo;
import io.dockevos.hardware.ToolCheck;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/** The {@code hw:*} Gogo commands, a thin layer over {@link HardwareAnalyzer}. */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = HardwareCommands.class, property = {"osgi.command.scope=hw", "osgi.command.function=info",
    "osgi.command.function=check", "osgi.command.function=thresholds"})
public final class HardwareCommands {
  private final HardwareAnalyzer analyzer;
  private final ThresholdMonitor monitor;

  @Activate
  public HardwareCommands(@Reference HardwareAnalyzer analyzer, @Reference ThresholdMonitor monitor) {
    this.analyzer = analyzer;
    this.monitor = monitor;
  }

  @Descriptor("what this system is: CPU, memory, disks, network, OS and kernel, JVM, container")
  public void info(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "hw:info");
      return;
    }
    HardwareInfo i = analyzer.info();
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(Records.toPlain(i)));
      return;
    }
    out.println("CPU:       " + i.cpu().model() + ", " + i.cpu().physicalCores() + " physical cores, "
        + i.cpu().logicalCores() + " logical, " + i.cpu().availableProcessors() + " available to the JVM");
    out.println("Memory:    " + mb(i.memory().totalBytes()) + " total, " + mb(i.memory().availableBytes()) + " available");
    out.println("OS:        " + i.os().family() + " " + i.os().version() + ", kernel " + i.os().kernel() + ", "
        + i.os().arch() + " (" + i.os().bitness() + "-bit)");
    out.println("JVM:       " + i.jvm().vmName() + " " + i.jvm().version() + " (" + i.jvm().vendor() + "), max heap "
        + mb(i.jvm().maxHeapBytes()) + ", " + i.jvm().home() + ", pid " + i.jvm().pid());
    out.println("Container: " + (i.container().inside() ? "yes: " : "no: ") + i.container().evidence());
    out.println("Disks:");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"  Mount", "Type", "Size", "Free", "Free %"});
    for (HardwareInfo.Disk d : i.disks()) {
      rows.add(new String[] {"  " + d.mount(), d.type(), mb(d.totalBytes()), mb(d.freeBytes()),
          String.format(Locale.ROOT, "%.1f%%", d.freePercent())});
    }
    Tables.print(out, rows);
    out.println("Network:");
    rows = new ArrayList<>();
    rows.add(new String[] {"  Name", "State", "MAC", "Addresses"});
    for (HardwareInfo.Network n : i.networks()) {
      rows.add(new String[] {"  " + n.name(), n.up() ? "up" : "down", n.mac(), String.join(", ", n.addresses())});
    }
    Tables.print(out, rows);
  }

  private static String mb(long bytes) {
    return bytes >= 10L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30)) : (bytes >> 20) + " MiB";
  }

  @Descriptor("check the system tools that the installed plugins and features require (namespace dockevos.system)")
  public void check(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "hw:check");
      return;
    }
    print(analyzer.check(null), json, null);
  }

  @Descriptor("check the system tools that one plugin (id or symbolic name; an external plugin by name) or feature"
      + " (feature:NAME) requires")
  public void check(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
      @Descriptor("plugin id, symbolic name, external plugin name, or feature:NAME") String target) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "hw:check");
      return;
    }
    print(analyzer.check(target), json, target);
  }

  private static void print(List<ToolCheck> checks, boolean json, String target) {
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(Records.toPlain(checks)));
      return;
    }
    if (checks.isEmpty()) {
      out.println((target == null ? "No installed plugin or feature" : target) + " requires system tools (dockevos.system).");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Tool", "Required", "Status", "Found", "Required by", "Hint"});
    for (ToolCheck c : checks) {
      rows.add(new String[] {c.tool(), c.required(), c.status().name().toLowerCase(Locale.ROOT).replace('_', ' '),
          c.found() == null ? "-" : c.found() + (c.path() == null ? "" : " (" + c.path() + ")"), c.requiredBy(),
          c.hint() == null ? "" : c.hint()});
    }
    Tables.print(out, rows);
  }

  @Descriptor("the resource monitor: its thresholds, the last sample, and which thresholds are crossed now")
  public void thresholds(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "hw:thresholds");
      return;
    }
    ThresholdMonitor.Status s = monitor.status();
    PrintStream out = System.out;
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("settings", Records.toPlain(s.settings()));
      m.put("problem", s.problem());
      m.put("last", Records.toPlain(s.last()));
      m.put("crossed", s.crossed());
      m.put("published", s.published());
      out.println(Json.pretty(m));
      return;
    }
    if (s.problem() != null) {
      throw new IllegalStateException(s.problem());
    }
    ThresholdMonitor.Settings t = s.settings();
    out.println(String.format(Locale.ROOT, "Every %d s; THRESHOLD when free disk < %.1f%%, free memory < %.1f%%, CPU load > %.1f%%",
        t.interval(), t.diskFreePercent(), t.memoryFreePercent(), t.cpuLoadPercent()));
    if (s.last() != null) {
      out.println(String.format(Locale.ROOT, "Last sample: free disk %.1f%% (%s), free memory %.1f%%, CPU load %.1f%%",
          s.last().diskFreePercent(), s.last().disk(), s.last().memoryFreePercent(), s.last().cpuLoadPercent()));
    }
    s.crossed().forEach((r, c) -> out.println("  " + r + ": " + (c ? "CROSSED" : "ok")));
  }
}
