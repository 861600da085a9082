package io.dockevos.systemlog.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Tables;
import io.dockevos.systemlog.MetricsStore;
import io.dockevos.systemlog.Sample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/** {@code metrics:show} and {@code metrics:watch}: the sampled figures, and a live view of them. */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = MetricsCommands.class, property = {
    "osgi.command.scope=metrics", "osgi.command.function=show", "osgi.command.function=watch"})
public final class MetricsCommands {
  private static final double MB = 1024.0 * 1024.0;
  private final MetricsStore store;

  @Activate
  public MetricsCommands(@Reference MetricsStore store) {
    this.store = store;
  }

  /** A figure of a sample, by name. */
  record Metric(String name, ToDoubleFunction<Sample> value) {}

  static List<Metric> metrics(List<Sample> samples) {
    List<Metric> m = new ArrayList<>();
    m.add(new Metric("heap.used (MB)", s -> s.heapUsed() / MB));
    m.add(new Metric("heap.committed (MB)", s -> s.heapCommitted() / MB));
    m.add(new Metric("heap.max (MB)", s -> s.heapMax() < 0 ? -1 : s.heapMax() / MB));
    m.add(new Metric("threads", Sample::threads));
    m.add(new Metric("cpu.process (%)", s -> s.processCpuLoad() < 0 ? -1 : s.processCpuLoad() * 100));
    m.add(new Metric("cpu.system (%)", s -> s.systemCpuLoad() < 0 ? -1 : s.systemCpuLoad() * 100));
    m.add(new Metric("bundles", Sample::bundles));
    m.add(new Metric("services", Sample::services));
    Set<String> collectors = new LinkedHashSet<>();
    for (Sample s : samples) {
      s.gc().forEach(g -> collectors.add(g.name()));
    }
    for (String c : collectors) {
      m.add(new Metric("gc." + c + ".count", s -> gc(s, c).count()));
      m.add(new Metric("gc." + c + ".time (ms)", s -> gc(s, c).timeMillis()));
    }
    return m;
  }

  private static Sample.Gc gc(Sample s, String name) {
    return s.gc().stream().filter(g -> g.name().equals(name)).findFirst().orElse(new Sample.Gc(name, 0, 0));
  }

  @Descriptor("the latest metrics sample (heap, threads, CPU, GC, bundles, services, plugin actions), and min/max/avg over the series")
  public void show(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
      @Descriptor("summarise the samples since DURATION ago (30s, 5m, 2h, 1d) or since TIME; default: the whole series")
      @Parameter(names = "--since", absentValue = "") String since) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "metrics:show");
      return;
    }
    ZoneId zone = ZoneId.systemDefault();
    Instant from = Times.since(since, Instant.now(), zone);
    List<Sample> window = store.since(from);
    Sample latest = window.isEmpty() ? store.latest().orElseGet(store::sampleNow) : window.get(window.size() - 1);
    List<Sample> summarised = window.isEmpty() ? List.of(latest) : window;
    List<Metric> metrics = metrics(summarised);
    PrintStream out = System.out;
    Map<String, Object> stores = store instanceof SystemLog s ? s.storeFigures() : Map.of();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("intervalSeconds", store.interval().toMillis() / 1000.0);
      m.put("samples", window.size());
      m.put("from", summarised.get(0).time().toString());
      m.put("to", summarised.get(summarised.size() - 1).time().toString());
      m.put("latest", Codecs.METRICS.encode(latest));
      Map<String, Object> summary = new LinkedHashMap<>();
      for (Metric metric : metrics) {
        double[] f = figures(summarised, metric);
        summary.put(metric.name(), Map.of("min", f[0], "max", f[1], "avg", f[2]));
      }
      m.put("summary", summary);
      m.put("stores", stores);
      out.println(Json.pretty(m));
      return;
    }
    out.printf(Locale.ROOT, "%d samples, every %s s, from %s to %s%n", window.size(),
        number(store.interval().toMillis() / 1000.0), Times.print(summarised.get(0).time(), zone),
        Times.print(summarised.get(summarised.size() - 1).time(), zone));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Metric", "Latest", "Min", "Max", "Avg"});
    for (Metric metric : metrics) {
      double[] f = figures(summarised, metric);
      rows.add(new String[] {metric.name(), number(metric.value().applyAsDouble(latest)), number(f[0]), number(f[1]),
          number(f[2])});
    }
    Tables.print(out, rows);
    printActions(out, latest);
    if (!stores.isEmpty()) {
      StringBuilder b = new StringBuilder("Stores (").append(stores.get("dir")).append("):");
      for (String name : List.of("history", "metrics", "events")) {
        if (stores.get(name) instanceof Map<?, ?> f) {
          b.append(' ').append(name).append(' ').append(f.get("entries")).append(" entries in ").append(f.get("segments"))
              .append(" segments, ").append(f.get("bytes")).append(" bytes;");
        }
      }
      out.println(b.substring(0, b.length() - 1));
    }
  }

  private static void printActions(PrintStream out, Sample latest) {
    if (latest.actions().isEmpty()) {
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Action", "Runs", "Failed", "Mean ms", "Max ms"});
    for (Sample.ActionFigures a : latest.actions()) {
      rows.add(new String[] {a.plugin() + " " + a.action(), String.valueOf(a.invocations()), String.valueOf(a.failures()),
          number(a.meanMillis()), String.valueOf(a.maxMillis())});
    }
    Tables.print(out, rows);
  }

  static double[] figures(List<Sample> samples, Metric metric) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    double sum = 0;
    for (Sample s : samples) {
      double v = metric.value().applyAsDouble(s);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    return new double[] {min, max, sum / samples.size()};
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  @Descriptor("live metrics, refreshed every few seconds until Ctrl-C (redrawn in place on a terminal)")
  public void watch(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("seconds between two refreshes") @Parameter(names = {"-i", "--interval"}, absentValue = "2") double seconds) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "metrics:watch");
      return;
    }
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("-i must be a positive number of seconds, not " + seconds);
    }
    PrintStream out = System.out;
    boolean terminal = session != null && session.get(".terminal") != null;
    ZoneId zone = ZoneId.systemDefault();
    int previousLines = 0;
    long frame = 0;
    while (!Thread.currentThread().isInterrupted()) {
      Sample s = store.sampleNow();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream f = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      f.printf(Locale.ROOT, "metrics:watch %s, every %s s, frame %d (Ctrl-C stops)%n", Times.print(s.time(), zone),
          number(seconds), ++frame);
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"Metric", "Value"});
      for (Metric metric : metrics(List.of(s))) {
        rows.add(new String[] {metric.name(), number(metric.value().applyAsDouble(s))});
      }
      Tables.print(f, rows);
      printActions(f, s);
      String text = bytes.toString(StandardCharsets.UTF_8);
      if (terminal && previousLines > 0) {
        // Back to the first line of the last frame, and clear from there down.
        out.print("\u001B[" + previousLines + "F\u001B[J");
      } else if (!terminal && frame > 1) {
        out.println();
      }
      out.print(text);
      out.flush();
      previousLines = (int) text.lines().count();
      try {
        Thread.sleep(Math.max(1, Math.round(seconds * 1000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
