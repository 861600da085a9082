import io.dockevos.launcher.CommandResult;
import io.dockevos.launcher.DockevOS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The time to run a trivial job through every Runner kind that is registered, in a real embedded
 * dockevOS (the distribution's launcher and system/), cold (the first job after start) and warm,
 * beside the same job started by a bare ProcessBuilder in the same JVM. A job goes through
 * fallback:run --runner KIND, as a user runs it, minus the client's own process start.
 *
 * Arguments: DIST STARTS WARM JOB...; prints a Markdown table of medians (min-max, n) and ratios.
 */
public class RunnerBench {
  static final String GOGO = "no job: Gogo `echo hi` through DockevOS.execute";
  static final String LIMITED = "process with --memory 1g --pids 1000 (prlimit)";

  public static void main(String[] args) throws Exception {
    Path dist = Path.of(args[0]).toAbsolutePath();
    int starts = Integer.parseInt(args[1]);
    int warm = Integer.parseInt(args[2]);
    List<String> job = List.of(args).subList(3, args.length);
    String command = String.join(" ", job);
    Map<String, List<Double>> cold = new LinkedHashMap<>();
    Map<String, List<Double>> hot = new LinkedHashMap<>();
    for (int s = 0; s < starts; s++) {
      Path home = Files.createTempDirectory("dockevos-runner-bench-");
      Files.createSymbolicLink(home.resolve("system"), dist.resolve("system"));
      // As bin/dockevos does: the rolling file at INFO, not Logback's DEBUG console default.
      io.dockevos.launcher.internal.LogSetup.configure(home.resolve("data/log"), home).join();
      // The container runner's image: the one .ci/engine.sh imports (no registry can be reached here).
      String image = System.getenv("DOCKEVOS_TEST_IMAGE");
      if (image != null) {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/dockevos.docker.cfg"), "runner.image = " + image + "\n");
      }
      try (DockevOS d = DockevOS.builder().home(home).build().start()) {
        must(d, "feature:install dockevos-alternative");
        if (System.getenv("DOCKER_HOST") != null && Files.exists(dist.resolve("system/features/dockevos-docker.json"))) {
          must(d, "feature:install dockevos-docker");
          Thread.sleep(2000); // the Docker manager registers its runner once the engine answers
        }
        String status = must(d, "fallback:status").output();
        List<String> kinds = new ArrayList<>();
        for (String line : status.split("\n")) {
          String l = line.strip();
          if (l.contains("(service.ranking")) {
            kinds.add(l.substring(0, l.indexOf(' ')));
          }
        }
        if (s == 0) {
          System.err.println("[runners] registered: " + kinds + "\n" + status);
        }
        for (String kind : kinds) {
          cold.computeIfAbsent(kind, k -> new ArrayList<>()).add(time(d, kind, command));
        }
        for (String kind : kinds) {
          for (int i = 0; i < warm; i++) {
            hot.computeIfAbsent(kind, k -> new ArrayList<>()).add(time(d, kind, command));
          }
        }
        // The process runner with limits: prlimit runs in front of the job.
        if (kinds.contains("process")) {
          for (int i = 0; i < warm; i++) {
            hot.computeIfAbsent(LIMITED, k -> new ArrayList<>()).add(time(d, "process --memory 1g --pids 1000", command));
          }
        }
        // What a command costs without a job: Gogo's own echo through the same DockevOS.execute.
        for (int i = 0; i < warm; i++) {
          long t = System.nanoTime();
          must(d, "echo hi");
          hot.computeIfAbsent(GOGO, k -> new ArrayList<>()).add((System.nanoTime() - t) / 1e6);
        }
        for (int i = 0; i < warm; i++) {
          long t = System.nanoTime();
          Process p = new ProcessBuilder(job).redirectErrorStream(true).start();
          p.getInputStream().readAllBytes();
          p.waitFor();
          hot.computeIfAbsent("bare ProcessBuilder", k -> new ArrayList<>()).add((System.nanoTime() - t) / 1e6);
        }
      } finally {
        try (var files = Files.walk(home)) {
          files.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
    double base = median(hot.get("bare ProcessBuilder"));
    System.out.println("| runner | job | cold (first after start) | warm | warm / bare ProcessBuilder |");
    System.out.println("|---|---|---|---|---|");
    for (String kind : hot.keySet()) {
      List<Double> c = cold.get(kind);
      List<Double> h = hot.get(kind);
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.2fx |%n", kind, kind.equals(GOGO) ? "-" : "`" + command + "`", c == null ? "-" : fmt(c), fmt(h),
          median(h) / base);
    }
  }

  static CommandResult must(DockevOS d, String command) {
    CommandResult r = d.execute(command);
    if (!r.ok()) {
      throw new IllegalStateException(command + " failed: " + r.error() + "\n" + r.output());
    }
    return r;
  }

  static double time(DockevOS d, String kind, String command) {
    long t = System.nanoTime();
    must(d, "fallback:run --runner " + kind + " " + command);
    return (System.nanoTime() - t) / 1e6;
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static String fmt(List<Double> v) {
    return String.format(Locale.ROOT, "%.1f ms (%.1f-%.1f, n=%d)", median(v), Collections.min(v), Collections.max(v), v.size());
  }
}
