package io.dockevos.alternative.internal;

import io.dockevos.fallback.FallbackEvents;
import io.dockevos.runner.IsolationUnavailableException;
import io.dockevos.runner.Job;
import io.dockevos.runner.JobListener;
import io.dockevos.runner.JobResult;
import io.dockevos.runner.Runner;
import io.dockevos.runner.RunnerException;
import io.dockevos.common.internal.LineSplitter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The process fallback: runs a job as a child process of the runtime, with a whitelisted
 * environment, a working directory, a timeout after which the whole process tree is killed, and
 * resource limits through {@code prlimit} (util-linux) where it is installed.
 *
 * <p>It never weakens isolation silently: a job that asks for it (an image, or {@code isolated})
 * is refused, with {@link FallbackEvents#REFUSED}, unless the job allows the process runner. One
 * instance for each bundle that uses it (bundle scope), so that a refusal names who asked.
 */
@Component(service = Runner.class, configurationPid = ProcessRunner.PID, scope = ServiceScope.BUNDLE,
    property = {Runner.KIND + "=" + ProcessRunner.KIND, "service.ranking:Integer=" + Runner.RANKING_PROCESS})
@Designate(ocd = ProcessRunner.Config.class)
public final class ProcessRunner implements Runner {
  static final String PID = "dockevos.runner.process";
  static final String KIND = "process";

  @ObjectClassDefinition(name = "dockevOS process runner", description = "The process fallback runner")
  public @interface Config {
    @AttributeDefinition(description = "Variables of the runtime's environment that a job gets (besides its own)")
    String[] environment() default {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TERM", "USER", "LOGNAME", "TMPDIR"};

    @AttributeDefinition(description = "The most output a job result keeps, in bytes (streaming is not bounded)")
    int maxOutputBytes() default 1 << 20;

    @AttributeDefinition(description = "The longest line of output handed on whole, in characters; a longer one is split"
        + " into pieces of this length, each but the last marked", min = "80")
    int maxLineChars() default LineSplitter.DEFAULT_MAX;

    @AttributeDefinition(description = "Milliseconds between the polite kill (SIGTERM) of a timed-out job and the forced one")
    long killGraceMillis() default 1000;
  }

  private volatile Config config;
  private final Path prlimit;
  private final BundleContext context;
  /** The symbolic name of the bundle that uses this instance, or {@code null} for the alternative itself. */
  private final String caller;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;

  @Activate
  public ProcessRunner(Config config, ComponentContext component) {
    this.config = config;
    this.prlimit = findExecutable("prlimit");
    this.context = component.getBundleContext();
    Bundle user = component.getUsingBundle();
    this.caller = user == null || user.getBundleId() == context.getBundle().getBundleId() ? null : user.getSymbolicName();
  }


  @Modified
  void modified(Config config) {
    this.config = config;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Whether resource limits can be applied, in plain words. */
  String limitsSupport() {
    return prlimit != null ? "limits by " + prlimit + " (memory as --as, pids as --nproc, CPU time as --cpu = the timeout)"
        : "no limits: prlimit (util-linux) is not installed; on Debian: apt-get install -y util-linux";
  }

  static Path findExecutable(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  @Override
  public JobResult run(Job job, JobListener listener) throws RunnerException {
    if (job.command().isEmpty() || job.command().get(0).isBlank()) {
      throw new RunnerException("no command given: a job needs a program to run");
    }
    if (job.needsIsolation() && !job.allowProcess()) {
      throw refuse(job);
    }
    Config c = config;
    JobListener out = listener == null ? JobListener.NONE : listener;
    List<String> command = new ArrayList<>();
    Job.Limits l = job.limits();
    boolean limited = l.memoryBytes() > 0 || l.pids() > 0 || l.cpus() > 0;
    if (limited && prlimit != null) {
      command.add(prlimit.toString());
      if (l.memoryBytes() > 0) {
        command.add("--as=" + l.memoryBytes());
      }
      if (l.pids() > 0) {
        command.add("--nproc=" + l.pids());
      }
      // prlimit has no CPU share: the CPU time is capped at the timeout, a kernel-enforced backstop.
      command.add("--cpu=" + Math.max(1, job.timeout().toSeconds()));
      command.add("--");
    } else if (limited) {
      out.line("dockevos: the resource limits are not applied: prlimit (util-linux) is not installed", true);
    }
    if (l.cpus() > 0) {
      out.line("dockevos: the process runner cannot limit the CPU share (" + l.cpus() + " CPUs); the CPU time is limited to the timeout", true);
    }
    command.addAll(job.command());
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.clear();
    for (String name : c.environment()) {
      String v = System.getenv(name);
      if (v != null) {
        env.put(name, v);
      }
    }
    env.putAll(job.env());
    if (job.workDir() != null) {
      File dir = new File(job.workDir());
      if (!dir.isDirectory()) {
        throw new RunnerException("the working directory " + job.workDir() + " does not exist or is not a directory");
      }
      pb.directory(dir);
    }
    long start = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new RunnerException("cannot start " + job.command().get(0) + ": " + plain(e), e);
    }
    Output output = new Output(c.maxOutputBytes());
    Thread o = pump(p, false, output, out, c.maxLineChars());
    Thread e = pump(p, true, output, out, c.maxLineChars());
    boolean timedOut = false;
    boolean interrupted = false;
    try {
      if (!p.waitFor(job.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        killTree(p, c.killGraceMillis());
      }
    } catch (InterruptedException ie) {
      interrupted = true;
      killTree(p, c.killGraceMillis());
    }
    try {
      o.join(2000);
      e.join(2000);
    } catch (InterruptedException ie) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    int exit = timedOut || interrupted ? -1 : p.exitValue();
    return new JobResult(exit, output.text(), Duration.ofNanos(System.nanoTime() - start), KIND, timedOut);
  }

  /** A job that asks for isolation, refused: why, in plain words, published as {@link FallbackEvents#REFUSED}. */
  private IsolationUnavailableException refuse(Job job) {
    String what = job.image() != null && !job.image().isBlank() ? "the image " + job.image() : "isolated";
    String command = String.join(" ", job.command());
    String reason = "the job '" + command + "' asks for isolation (" + what + "), and "
        + (containerRunners() ? "was given to the process runner, which cannot isolate it: run it through the container runner"
            : "no container runner is registered (the container engine is down, or the dockevos-docker feature is not installed;"
            + " fallback:status says which)")
        + "; the process runner does not run it on the host, with the host's network, as the runtime's user, unless the job"
        + " allows it (Job.allowProcess, fallback:run --allow-process)";
    EventAdmin ea = events;
    if (ea != null) {
      Map<String, Object> p = new HashMap<>();
      p.put(FallbackEvents.CAPABILITY, RunnerSwitch.CAPABILITY);
      p.put(FallbackEvents.IMPLEMENTATION, KIND);
      p.put(FallbackEvents.REASON, reason);
      p.put(FallbackEvents.COMMAND, command);
      if (job.image() != null && !job.image().isBlank()) {
        p.put(FallbackEvents.IMAGE, job.image());
      }
      if (caller != null) {
        p.put(FallbackEvents.PLUGIN_ID, caller);
      }
      try {
        ea.postEvent(new Event(FallbackEvents.REFUSED, p));
      } catch (IllegalStateException stopping) {
        // Event Admin went away meanwhile: the exception still says why
      }
    }
    return new IsolationUnavailableException(reason);
  }

  /** Whether a container runner is registered now (a caller may have picked this runner by its kind). */
  private boolean containerRunners() {
    try {
      return context != null && !context.getServiceReferences(Runner.class,
          "(" + Runner.KIND + "=" + RunnerSwitch.PRIMARY + ")").isEmpty();
    } catch (InvalidSyntaxException | IllegalStateException e) {
      return false;
    }
  }

  private static String plain(IOException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("error=2")) {
      return "no such program (not found on PATH)";
    }
    if (m.contains("error=13")) {
      return "permission denied (not executable)";
    }
    return m;
  }

  /** SIGTERM to the whole tree (children first, found while the parent still lives), then SIGKILL. */
  static void killTree(Process p, long graceMillis) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.add(p.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.currentTimeMillis() + graceMillis;
    for (ProcessHandle h : tree) {
      long left = deadline - System.currentTimeMillis();
      try {
        if (left > 0) {
          h.onExit().get(left, TimeUnit.MILLISECONDS);
        }
      } catch (Exception ignored) {
        // still alive: forced below
      }
    }
    // Children that the first round made appear, and those that ignored SIGTERM.
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    tree.forEach(ProcessHandle::destroyForcibly);
  }

  /** Hands each line to the output and the listener; a line longer than {@code maxLine} in pieces, as it comes. */
  private static Thread pump(Process p, boolean error, Output output, JobListener listener, int maxLine) {
    Thread t = new Thread(() -> {
      LineSplitter lines = new LineSplitter(maxLine, line -> {
        output.add(line);
        try {
          listener.line(line, error);
        } catch (RuntimeException ex) {
          // a listener that fails must not stop the job or lose its output
        }
      });
      try (Reader r = new InputStreamReader(error ? p.getErrorStream() : p.getInputStream(), StandardCharsets.UTF_8)) {
        char[] buffer = new char[8192];
        for (int n = r.read(buffer); n >= 0; n = r.read(buffer)) {
          lines.accept(buffer, 0, n);
        }
      } catch (IOException ex) {
        // the stream closed when the process was killed
      }
      lines.finish();
    }, "dockevos-job-" + (error ? "err" : "out"));
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Stdout and stderr interleaved, bounded: past the bound only a note that it was cut. */
  static final class Output {
    private final StringBuilder text = new StringBuilder();
    private final int max;
    private long dropped;

    Output(int max) {
      this.max = max;
    }

    synchronized void add(String line) {
      if (text.length() + line.length() + 1 > max) {
        dropped += line.length() + 1;
        return;
      }
      text.append(line).append('\n');
    }

    synchronized String text() {
      return dropped == 0 ? text.toString() : text + "[output cut: " + dropped + " more characters were not kept]\n";
    }
  }
}
