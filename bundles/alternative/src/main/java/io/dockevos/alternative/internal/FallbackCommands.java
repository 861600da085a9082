package io.dockevos.alternative.internal;

import io.dockevos.fallback.Procedure;
import io.dockevos.fallback.ProcedureCatalog;
import io.dockevos.runner.Job;
import io.dockevos.runner.JobResult;
import io.dockevos.runner.Runner;
import io.dockevos.runner.RunnerException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/** The {@code fallback:*} Gogo commands. */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = FallbackCommands.class, property = {"osgi.command.scope=fallback", "osgi.command.function=status",
    "osgi.command.function=run", "osgi.command.function=procedures"})
public final class FallbackCommands {
  static final String RUN_USAGE = "fallback:run [--runner KIND] [--timeout S] [--env K=V ...] [--workdir DIR] "
      + "[--memory M] [--pids N] [--image IMAGE] [--isolated] [--allow-process] COMMAND [ARGS...]";

  private final RunnerSwitch runners;
  private final ProcedureCatalog procedures;
  private final BundleContext context;

  @Activate
  public FallbackCommands(@Reference RunnerSwitch runners, @Reference ProcedureCatalog procedures, BundleContext context) {
    this.runners = runners;
    this.procedures = procedures;
    this.context = context;
  }

  @Descriptor("which implementation serves each capability now, and why")
  public void status(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "fallback:status");
      return;
    }
    PrintStream out = System.out;
    RunnerSwitch.State s = runners.state();
    out.println("runner: " + s.kind() + (s.fallback() ? " (fallback)" : "") + " \u2014 " + s.reason());
    for (ServiceReference<Runner> r : runners.runners()) {
      String extra = "";
      Runner runner = context.getService(r);
      try {
        if (runner instanceof ProcessRunner p) {
          extra = "; " + p.limitsSupport();
        }
      } finally {
        context.ungetService(r);
      }
      out.println("  " + RunnerSwitch.kindOf(r) + " (service.ranking " + RunnerSwitch.ranking(r) + ", bundle "
          + r.getBundle().getSymbolicName() + ")" + extra);
    }
  }

  /** The parsed words of {@code fallback:run}. */
  record RunRequest(String runner, Job job) {}

  static RunRequest parse(List<String> args) {
    String runner = null;
    Duration timeout = Duration.ofMinutes(1);
    Map<String, String> env = new LinkedHashMap<>();
    String workDir = null;
    long memory = 0;
    int pids = 0;
    String image = null;
    boolean isolated = false;
    boolean allowProcess = false;
    int i = 0;
    for (; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        i++;
        break;
      }
      if (!a.startsWith("--")) {
        break;
      }
      if (a.equals("--isolated")) {
        isolated = true;
        continue;
      }
      if (a.equals("--allow-process")) {
        allowProcess = true;
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(a + " needs a value; usage: " + RUN_USAGE);
      }
      String v = args.get(++i);
      switch (a) {
        case "--runner" -> runner = v;
        case "--timeout" -> {
          try {
            double s = Double.parseDouble(v);
            if (s <= 0) {
              throw new NumberFormatException();
            }
            timeout = Duration.ofMillis((long) (s * 1000));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--timeout " + v + " is not a positive number of seconds");
          }
        }
        case "--env" -> {
          int eq = v.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--env " + v + " is not of the form NAME=VALUE");
          }
          env.put(v.substring(0, eq), v.substring(eq + 1));
        }
        case "--workdir" -> workDir = v;
        case "--image" -> image = v;
        case "--memory" -> memory = bytes(v);
        case "--pids" -> {
          try {
            pids = Integer.parseInt(v);
            if (pids <= 0) {
              throw new NumberFormatException();
            }
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--pids " + v + " is not a positive whole number");
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + a + "; usage: " + RUN_USAGE);
      }
    }
    List<String> command = args.subList(i, args.size());
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command given; usage: " + RUN_USAGE);
    }
    return new RunRequest(runner, new Job(List.copyOf(command), env, workDir, new Job.Limits(memory, 0, pids), timeout,
        image, isolated, allowProcess));
  }

  /** {@code 64m}, {@code 1g}, {@code 512k} or bytes. */
  static long bytes(String v) {
    String s = v.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
      unit = switch (s.charAt(s.length() - 1)) {
        case 'k' -> 1L << 10;
        case 'm' -> 1L << 20;
        default -> 1L << 30;
      };
      s = s.substring(0, s.length() - 1);
    }
    try {
      long n = Long.parseLong(s);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--memory " + v + " is not a size such as 64m, 1g or a number of bytes");
    }
  }

  @Descriptor("run a job through the runner that serves now (or the one named); usage: " + RUN_USAGE)
  public String run(@Descriptor("options, then the command and its arguments") String... args) throws Exception {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "fallback:run");
      return null;
    }
    RunRequest req = parse(List.of(args));
    Runner runner;
    String kind;
    ServiceReference<Runner> ref = null;
    if (req.runner() != null) {
      Optional<ServiceReference<Runner>> r = runners.byKind(req.runner());
      if (r.isEmpty()) {
        List<String> kinds = runners.runners().stream().map(RunnerSwitch::kindOf).toList();
        throw new IllegalArgumentException("no runner of kind " + req.runner() + " is registered; registered: "
            + (kinds.isEmpty() ? "none" : String.join(", ", kinds)));
      }
      ref = r.get();
      runner = context.getService(ref);
      kind = req.runner();
    } else {
      runner = runners.current();
      kind = runners.state().kind();
      if (runner == null) {
        throw new IllegalStateException("no runner is registered");
      }
    }
    PrintStream out = System.out;
    PrintStream err = System.err;
    JobResult result;
    try {
      result = runner.run(req.job(), (line, error) -> {
        PrintStream s = error ? err : out;
        s.println(line);
        s.flush();
      });
    } catch (RunnerException e) {
      throw new IllegalStateException("the " + kind + " runner: " + e.getMessage(), e);
    } finally {
      if (ref != null) {
        context.ungetService(ref);
      }
    }
    if (result.timedOut()) {
      throw new IllegalStateException("the job " + String.join(" ", req.job().command()) + " did not end within "
          + req.job().timeout().toMillis() / 1000.0 + " s and was killed, with its child processes (" + result.runner() + " runner)");
    }
    if (result.exitCode() != 0) {
      throw new IllegalStateException("the job " + String.join(" ", req.job().command()) + " exited with code "
          + result.exitCode() + " (" + result.runner() + " runner, " + result.duration().toMillis() + " ms)");
    }
    return null;
  }

  @Descriptor("the manual procedures: every problem, or the steps for one")
  public void procedures(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "fallback:procedures");
      return;
    }
    PrintStream out = System.out;
    for (Procedure p : procedures.procedures()) {
      out.println(p.problem() + " \u2014 " + p.title());
    }
  }

  @Descriptor("the steps of the manual procedure for a problem, for example container-engine-missing or tool-missing/git")
  public void procedures(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the problem") String problem) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "fallback:procedures");
      return;
    }
    Procedure p = procedures.find(problem).orElseThrow(() -> new IllegalArgumentException("no procedure for " + problem
        + "; known: " + String.join(", ", procedures.procedures().stream().map(Procedure::problem).toList())));
    PrintStream out = System.out;
    out.println(p.title());
    List<String> steps = new ArrayList<>(p.steps());
    for (int i = 0; i < steps.size(); i++) {
      out.println("  " + (i + 1) + ". " + steps.get(i));
    }
  }
}
