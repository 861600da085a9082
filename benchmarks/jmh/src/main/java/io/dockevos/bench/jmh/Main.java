package io.dockevos.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link ActionDispatchBenchmark} (or the benchmarks that the command line's patterns name, such
 * as {@code EventDelivery}) with the JMH options given on the command line, then prints the scores
 * and their ratios, and writes them to {@code <bench.out>/action-dispatch.md} and {@code
 * <bench.out>/event-delivery.md} (JMH's own JSON beside them, {@code jmh-result.json}).
 *
 * <p>System properties: {@code bench.out} (default {@code target/jmh}), and {@code bench.greeter}
 * and {@code bench.work}, which are handed on to the forks.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    Path out = Files.createDirectories(Path.of(System.getProperty("bench.out", "target/jmh")).toAbsolutePath());
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
    if (cli.getIncludes().isEmpty()) {
      options.include(ActionDispatchBenchmark.class.getName() + "\\.");
    }
    List<String> jvmArgs = new ArrayList<>(cli.getJvmArgsAppend().orElse(List.of()));
    for (String key : List.of("bench.greeter", "bench.work")) {
      String value = System.getProperty(key);
      if (value != null) {
        jvmArgs.add("-D" + key + "=" + value);
      }
    }
    options.jvmArgsAppend(jvmArgs.toArray(String[]::new));
    if (!cli.getResult().hasValue()) {
      options.resultFormat(ResultFormatType.JSON).result(out.resolve("jmh-result.json").toString());
    }
    if (cli.getForkCount().orElse(1) == 0) {
      System.err.println("-f 0 is not supported: each benchmark needs a JVM (and a runtime) of its own");
      System.exit(2);
    }
    Collection<RunResult> results = new Runner(options.build()).run();

    Map<String, Result<?>> scores = new TreeMap<>();
    Map<String, Result<?>> deliveries = new java.util.LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      if (name.contains(EventDeliveryBenchmark.class.getSimpleName())) {
        deliveries.put(r.getParams().getParam("protection"), r.getPrimaryResult());
      } else {
        scores.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult());
      }
    }
    // UTF-8 whatever the locale (run.sh sets LC_ALL=C), as in the file.
    java.io.PrintStream stdout = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    if (!scores.isEmpty()) {
      String report = report(scores);
      stdout.println();
      stdout.print(report);
      Files.writeString(out.resolve("action-dispatch.md"), report, StandardCharsets.UTF_8);
    }
    if (!deliveries.isEmpty()) {
      String report = deliveries(deliveries);
      stdout.println();
      stdout.print(report);
      Files.writeString(out.resolve("event-delivery.md"), report, StandardCharsets.UTF_8);
    }
    stdout.flush();
  }

  private static String header() {
    return System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + ", "
        + Runtime.getRuntime().availableProcessors() + " cores, 1-min load average "
        + String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            .getSystemLoadAverage()) + " at the end.";
  }

  /** {@link EventDeliveryBenchmark}: deliveries a second by protection, and the ratio to the protection off. */
  private static String deliveries(Map<String, Result<?>> byProtection) {
    Result<?> off = byProtection.get("off");
    StringBuilder b = new StringBuilder("Event Admin sendEvent to " + EventDeliveryBenchmark.HANDLERS
        + " counting handlers, deliveries a second (score ± the 99.9% confidence half-width; n = measurement"
        + " iterations). " + header() + "\n\n| protection | deliveries/s | ratio to off |\n|---|---|---|\n");
    for (Map.Entry<String, Result<?>> e : byProtection.entrySet()) {
      Result<?> r = e.getValue();
      String error = Double.isNaN(r.getScoreError()) ? "" : String.format(Locale.ROOT, " ± %,.0f", r.getScoreError());
      b.append(String.format(Locale.ROOT, "| %s | %,.0f%s (n=%d) | %s |%n", switch (e.getKey()) {
        case "off" -> "off (Timeout=0)";
        case "on" -> "on, the runtime's handlers (IgnoreTimeout)";
        case "onPluginHandlers" -> "on, a plugin's handlers (timed)";
        default -> e.getKey();
      }, r.getScore(), error, r.getSampleCount(), off == null || off.getScore() == 0 ? "–" : ratio(r.getScore() / off.getScore())));
    }
    return b.toString();
  }

  private static String report(Map<String, Result<?>> scores) {
    Result<?> direct = scores.get("a_direct");
    StringBuilder b = new StringBuilder();
    b.append("Action dispatch against a direct call: the example plugin's greet action, JMH average time per call\n");
    b.append("(score ± the 99.9% confidence half-width, when there are enough samples; n = measurement iterations\n");
    b.append("over all forks). ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.vm.version")).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, 1-min load average ")
        .append(String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            .getSystemLoadAverage())).append(" at the end.\n\n");
    b.append("| call | time per call | ratio to the direct call |\n|---|---|---|\n");
    for (Map.Entry<String, Result<?>> e : scores.entrySet()) {
      Result<?> r = e.getValue();
      String ratio = direct == null || direct.getScore() == 0 ? "–" : ratio(r.getScore() / direct.getScore());
      String error = Double.isNaN(r.getScoreError()) ? "" : " ± " + time(r.getScoreError(), r.getScoreUnit());
      b.append(String.format(Locale.ROOT, "| %s | %s%s (n=%d) | %s |%n", label(e.getKey()),
          time(r.getScore(), r.getScoreUnit()), error, r.getSampleCount(), ratio));
    }
    Result<?> dispatch = scores.get("b_dispatch");
    if (direct != null && dispatch != null) {
      b.append(String.format(Locale.ROOT, "%nDispatch overhead: %s per call (ActionService.invoke minus the direct call),"
          + " %s the direct call.%n", time(dispatch.getScore() - direct.getScore(), direct.getScoreUnit()),
          ratio(dispatch.getScore() / direct.getScore())));
    }
    return b.toString();
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, r < 10 ? "%.2f×" : r < 100 ? "%.1f×" : "%.0f×", r);
  }

  private static String label(String method) {
    return switch (method) {
      case "a_direct" -> "direct: Action.invoke on the service object";
      case "b_dispatch" -> "ActionService.invoke";
      case "c_dispatchComponentKept" -> "ActionService.invoke, component kept active";
      default -> method;
    };
  }

  /** A time in ns/op as ns, µs or ms, three significant digits or so; other units as they are. */
  private static String time(double v, String unit) {
    if (Double.isNaN(v)) {
      return "NaN " + unit;
    }
    if (!"ns/op".equals(unit)) {
      return String.format(Locale.ROOT, "%.3g %s", v, unit);
    }
    double a = Math.abs(v);
    if (a >= 1_000_000) {
      return String.format(Locale.ROOT, "%.3g ms", v / 1_000_000);
    }
    if (a >= 1_000) {
      return String.format(Locale.ROOT, "%.3g µs", v / 1_000);
    }
    return String.format(Locale.ROOT, "%.3g ns", v);
  }
}
