package io.dockevos.docker.internal;

import io.dockevos.api.Host;
import io.dockevos.common.internal.Tables;
import io.dockevos.docker.ContainerDetails;
import io.dockevos.docker.ContainerInfo;
import io.dockevos.docker.ContainerSpec;
import io.dockevos.docker.DockerEngine;
import io.dockevos.docker.DockerException;
import io.dockevos.docker.DockerServices;
import io.dockevos.docker.EngineStatus;
import io.dockevos.docker.ExecResult;
import io.dockevos.docker.ImageInfo;
import io.dockevos.docker.ServiceInfo;
import io.dockevos.docker.Stats;
import io.dockevos.runner.Runner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/** The {@code docker:} commands: thin words over {@link DockerEngine} and {@link DockerServices}. */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = DockerCommands.class, property = {
    "osgi.command.scope=docker",
    "osgi.command.function=engine", "osgi.command.function=ps", "osgi.command.function=images",
    "osgi.command.function=run", "osgi.command.function=start", "osgi.command.function=stop",
    "osgi.command.function=restart", "osgi.command.function=rm", "osgi.command.function=logs",
    "osgi.command.function=exec", "osgi.command.function=stats", "osgi.command.function=inspect",
    "osgi.command.function=load", "osgi.command.function=import", "osgi.command.function=rmi",
    "osgi.command.function=pull", "osgi.command.function=service", "osgi.command.function=bench",
    "osgi.command.function=kill", "osgi.command.function=job"})
public final class DockerCommands {
  private final BundleContext context;
  private final DockerEngine engine;
  private final DockerServices services;

  @Activate
  public DockerCommands(BundleContext context, @Reference DockerEngine engine, @Reference DockerServices services) {
    this.context = context;
    this.engine = engine;
    this.services = services;
  }

  @Descriptor("the container engine: endpoint, UP or DOWN, version, and whether the container runner is registered")
  public String engine(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:engine");
      return null;
    }
    EngineStatus s = engine.status();
    StringBuilder b = new StringBuilder();
    b.append("endpoint: ").append(s.endpoint()).append('\n');
    b.append("state:    ").append(s.state()).append(" since ").append(s.since()).append('\n');
    if (s.up()) {
      b.append("version:  ").append(s.version()).append(" (API ").append(s.apiVersion()).append(")\n");
    } else {
      b.append("reason:   ").append(s.reason()).append('\n');
    }
    b.append("runner:   ").append(runnerRegistered() ? "container runner registered (runner.kind=container, service.ranking="
        + Runner.RANKING_CONTAINER + ")" : "container runner not registered");
    return b.toString();
  }

  private boolean runnerRegistered() {
    try {
      ServiceReference<?>[] refs = context.getServiceReferences(Runner.class.getName(),
          "(" + Runner.KIND + "=" + ContainerRunner.KIND + ")");
      return refs != null && refs.length > 0;
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Descriptor("list containers: docker:ps [-a] [-l KEY=VALUE]... [-f KEY=VALUE]... (filters as the Engine API: name, status, ancestor, label)")
  public void ps(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:ps");
      return;
    }
    Args a = new Args("docker:ps", args);
    boolean all = false;
    Map<String, List<String>> filters = new LinkedHashMap<>();
    while (a.more()) {
      String o = a.next();
      switch (o) {
        case "-a", "--all" -> all = true;
        case "-l", "--label" -> filters.computeIfAbsent("label", k -> new ArrayList<>()).add(a.value(o));
        case "-f", "--filter" -> {
          var kv = SpecMapping.keyValue(a.value(o));
          filters.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
        }
        default -> throw a.unknown(o);
      }
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "NAME", "IMAGE", "STATE", "STATUS", "PORTS"});
    for (ContainerInfo c : engine.containers(all, filters)) {
      rows.add(new String[] {c.shortId(), c.name(), c.image(), c.state(), c.status(), String.join(",", c.ports())});
    }
    Tables.print(System.out, rows);
  }

  @Descriptor("list images")
  public void images(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:images");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "SIZE", "CREATED", "NAMES"});
    for (ImageInfo i : engine.images()) {
      rows.add(new String[] {i.shortId(), String.format(Locale.ROOT, "%.1f MB", i.size() / 1e6), i.created().toString(),
          String.join(", ", i.tags())});
    }
    Tables.print(System.out, rows);
  }

  @Descriptor("create and start a container: docker:run [-d] [--rm] [--name N] [-e K=V] [-l K=V] [-m 64m] [--cpus 0.5]"
      + " [--pids-limit N] [--network none|bridge] [-p [IP:]HOST:CONTAINER] [--read-only] [--cap-drop CAP]"
      + " [--no-new-privileges] [-u USER] [-v SRC:/DST[:ro]] [--tmpfs /PATH[:OPTS]] [-w DIR] [--hardened] IMAGE [COMMAND...];"
      + " ports bind to 127.0.0.1 unless an address is named; without -d, prints the output until the container exits or Ctrl-C")
  public String run(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:run");
      return null;
    }
    Args a = new Args("docker:run", args);
    RunOptions r = RunOptions.parse(a);
    if (r.detach) {
      return engine.run(r.spec);
    }
    String id = engine.run(r.spec);
    PrintStream out = System.out;
    try {
      engine.logs(id, true, -1, (line, error) -> {
        out.println(line);
        out.flush();
      });
      if (Thread.currentThread().isInterrupted()) {
        return null;
      }
      int code = engine.waitFor(id, Duration.ofSeconds(30));
      if (code != 0) {
        throw new DockerException("The container " + (r.spec.name() == null ? id.substring(0, 12) : r.spec.name())
            + " exited with code " + code);
      }
      return null;
    } finally {
      if (r.remove && !Thread.currentThread().isInterrupted()) {
        engine.remove(id, true);
      }
    }
  }

  @Descriptor("start containers")
  public String start(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("containers, by name or id") String... containers) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:start");
      return null;
    }
    for (String c : need("docker:start", containers)) {
      engine.start(c);
    }
    return String.join("\n", containers);
  }

  @Descriptor("stop containers: docker:stop [-t SECONDS] CONTAINER...")
  public String stop(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:stop");
      return null;
    }
    return stopOrRestart("docker:stop", args, false);
  }

  @Descriptor("restart containers: docker:restart [-t SECONDS] CONTAINER...")
  public String restart(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:restart");
      return null;
    }
    return stopOrRestart("docker:restart", args, true);
  }

  private String stopOrRestart(String what, String[] args, boolean restart) {
    Args a = new Args(what, args);
    Duration timeout = Duration.ofSeconds(10);
    List<String> names = new ArrayList<>();
    while (a.more()) {
      String o = a.next();
      if (o.equals("-t") || o.equals("--time")) {
        timeout = Duration.ofSeconds(a.intValue(o));
      } else if (o.startsWith("-")) {
        throw a.unknown(o);
      } else {
        names.add(o);
      }
    }
    for (String c : need(what, names.toArray(String[]::new))) {
      if (restart) {
        engine.restart(c, timeout);
      } else {
        engine.stop(c, timeout);
      }
    }
    return String.join("\n", names);
  }

  @Descriptor("kill running containers (SIGKILL); a service's container is started again")
  public String kill(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("containers, by name or id") String... containers) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:kill");
      return null;
    }
    for (String c : need("docker:kill", containers)) {
      engine.kill(c);
    }
    return String.join("\n", containers);
  }

  @Descriptor("run a job with the best Runner there is (the container runner while the engine is UP): docker:job"
      + " [--timeout SECONDS] [--image IMAGE] [-m 64m] [--cpus 0.5] [--pids-limit N] [-e K=V] COMMAND...;"
      + " streams its output, then prints its exit code and the runner that ran it")
  public String job(String... args) throws Exception {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:job");
      return null;
    }
    Args a = new Args("docker:job", args);
    Duration timeout = Duration.ofMinutes(1);
    String image = null;
    long memory = 0;
    double cpus = 0;
    int pids = 0;
    Map<String, String> env = new LinkedHashMap<>();
    while (a.more() && a.peek().startsWith("-")) {
      String o = a.next();
      switch (o) {
        case "--timeout" -> timeout = Duration.ofSeconds(a.intValue(o));
        case "--image" -> image = a.value(o);
        case "-m", "--memory" -> memory = SpecMapping.size(a.value(o));
        case "--cpus" -> cpus = Double.parseDouble(a.value(o));
        case "--pids-limit" -> pids = a.intValue(o);
        case "-e", "--env" -> {
          var kv = SpecMapping.keyValue(a.value(o));
          env.put(kv.getKey(), kv.getValue());
        }
        default -> throw a.unknown(o);
      }
    }
    List<String> command = a.rest();
    if (command.isEmpty()) {
      throw new IllegalArgumentException("docker:job needs a command, such as docker:job echo hello");
    }
    ServiceReference<?>[] refs = context.getServiceReferences(Runner.class.getName(), null);
    if (refs == null || refs.length == 0) {
      throw new IllegalStateException("No Runner is registered: the container runner is there only while the engine is UP"
          + " (docker:engine)");
    }
    Arrays.sort(refs, java.util.Collections.reverseOrder());
    @SuppressWarnings("unchecked")
    ServiceReference<Runner> ref = (ServiceReference<Runner>) refs[0];
    Runner runner = context.getService(ref);
    try {
      PrintStream out = System.out;
      io.dockevos.runner.JobResult r = runner.run(new io.dockevos.runner.Job(command, env, null,
          new io.dockevos.runner.Job.Limits(memory, cpus, pids), timeout, image), (line, error) -> {
            out.println(line);
            out.flush();
          });
      String summary = r.timedOut() ? "timed out after " + timeout.toSeconds() + " s" : "exit code " + r.exitCode();
      return summary + " (" + r.runner() + " runner, " + r.duration().toMillis() + " ms)";
    } catch (io.dockevos.runner.RunnerException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } finally {
      context.ungetService(ref);
    }
  }

  @Descriptor("remove containers: docker:rm [-f] CONTAINER...")
  public String rm(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:rm");
      return null;
    }
    boolean force = false;
    List<String> names = new ArrayList<>();
    for (String s : args) {
      if (s.equals("-f") || s.equals("--force")) {
        force = true;
      } else if (s.startsWith("-")) {
        throw new Args("docker:rm", args).unknown(s);
      } else {
        names.add(s);
      }
    }
    for (String c : need("docker:rm", names.toArray(String[]::new))) {
      engine.remove(c, force);
    }
    return String.join("\n", names);
  }

  @Descriptor("a container's output: docker:logs [-f] [-n LINES] CONTAINER; -f follows it until the container stops or Ctrl-C")
  public void logs(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:logs");
      return;
    }
    Args a = new Args("docker:logs", args);
    boolean follow = false;
    int tail = -1;
    String name = null;
    while (a.more()) {
      String o = a.next();
      switch (o) {
        case "-f", "--follow" -> follow = true;
        case "-n", "--tail" -> tail = a.intValue(o);
        default -> {
          if (o.startsWith("-") || name != null) {
            throw a.unknown(o);
          }
          name = o;
        }
      }
    }
    if (name == null) {
      throw new IllegalArgumentException("docker:logs needs a container (docker:ps -a lists them)");
    }
    PrintStream out = System.out;
    engine.logs(name, follow, tail, (line, error) -> {
      out.println(line);
      out.flush();
    });
  }

  @Descriptor("run a command in a running container: docker:exec CONTAINER COMMAND...; fails with the command's exit code when it is not 0")
  public String exec(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:exec");
      return null;
    }
    if (args.length < 2) {
      throw new IllegalArgumentException("docker:exec needs a container and a command, such as docker:exec web ls /");
    }
    List<String> command = Arrays.asList(args).subList(1, args.length);
    ExecResult r = engine.exec(args[0], command, Duration.ofMinutes(5));
    System.out.print(r.output());
    System.out.flush();
    if (r.exitCode() != 0) {
      throw new DockerException(String.join(" ", command) + " in " + args[0] + " exited with code " + r.exitCode());
    }
    return null;
  }

  @Descriptor("CPU and memory of running containers")
  public void stats(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("containers, by name or id") String... containers) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:stats");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"CONTAINER", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS"});
    for (String c : need("docker:stats", containers)) {
      Stats s = engine.stats(c);
      rows.add(new String[] {c, String.format(Locale.ROOT, "%.2f%%", s.cpuPercent()),
          mib(s.memoryBytes()) + " / " + mib(s.memoryLimitBytes()),
          String.format(Locale.ROOT, "%.2f%%", s.memoryLimitBytes() == 0 ? 0.0 : 100.0 * s.memoryBytes() / s.memoryLimitBytes()),
          Long.toString(s.pids())});
    }
    Tables.print(System.out, rows);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
  }

  @Descriptor("what the engine knows about a container, as JSON")
  public String inspect(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("a container, by name or id") String container) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:inspect");
      return null;
    }
    ContainerDetails d = engine.inspect(container);
    return d.json();
  }

  /** {@code docker:inspect} without its arguments: its help with {@code --help}, else what it needs. */
  public void inspect(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "docker:inspect", help);
  }

  @Descriptor("load a docker-archive (docker save) into the engine")
  public String load(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the archive's path (relative to the dockevOS home)") String archive) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:load");
      return null;
    }
    List<String> tags = engine.load(path(archive));
    return tags.isEmpty() ? "Loaded " + archive : "Loaded image: " + String.join(", ", tags);
  }

  /** {@code docker:load} without its arguments: its help with {@code --help}, else what it needs. */
  public void load(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "docker:load", help);
  }

  private String importImage(String... args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("docker:import needs a tar and a name, such as docker:import rootfs.tar my/image:1 /bin/sh");
    }
    String id = engine.importImage(path(args[0]), args[1], Arrays.asList(args).subList(2, args.length));
    return "Imported " + args[1] + ": " + id;
  }

  /** Gogo maps {@code docker:import} here ("import" is a Java keyword). */
  @Descriptor("import a root file system tar as an image: docker:import TAR REPO:TAG [COMMAND...] (the image's default command)")
  public String _import(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:import");
      return null;
    }
    return importImage(args);
  }

  @Descriptor("remove images: docker:rmi [-f] IMAGE...")
  public String rmi(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:rmi");
      return null;
    }
    boolean force = false;
    List<String> names = new ArrayList<>();
    for (String s : args) {
      if (s.equals("-f") || s.equals("--force")) {
        force = true;
      } else {
        names.add(s);
      }
    }
    for (String i : need("docker:rmi", names.toArray(String[]::new))) {
      engine.removeImage(i, force);
    }
    return "Removed " + String.join(", ", names);
  }

  @Descriptor("pull an image from its registry, with a progress bar")
  public String pull(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the image, such as busybox:latest") String image) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:pull");
      return null;
    }
    PrintStream out = System.out;
    Map<String, String> last = new LinkedHashMap<>();
    engine.pull(image, (layer, status, current, total) -> {
      String line = layer.isEmpty() ? status : layer + ": " + status + (total > 0 ? " " + bar(current, total) : "");
      if (!line.equals(last.put(layer, line))) {
        out.println(line);
        out.flush();
      }
    });
    return "Pulled " + image;
  }

  /** {@code docker:pull} without its arguments: its help with {@code --help}, else what it needs. */
  public void pull(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "docker:pull", help);
  }

  static String bar(long current, long total) {
    int width = 30;
    int done = (int) Math.min(width, Math.max(0, current * width / Math.max(1, total)));
    return "[" + "=".repeat(done) + (done < width ? ">" + " ".repeat(width - done - 1) : "") + "] "
        + String.format(Locale.ROOT, "%.1f/%.1f MB", current / 1e6, total / 1e6);
  }

  @Descriptor("the services (factory configurations " + DockerServices.FACTORY_PID + "): docker:service list | up [NAME] | down [NAME]")
  public void service(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:service");
      return;
    }
    String verb = args.length == 0 ? "list" : args[0];
    String name = args.length > 1 ? args[1] : null;
    switch (verb) {
      case "list", "ls" -> {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "STATE", "IMAGE", "CONTAINER", "RESTARTS", "DEPENDS-ON", "REASON"});
        for (ServiceInfo s : services.list()) {
          rows.add(new String[] {s.name(), s.state(), s.image(), s.containerId().isEmpty() ? "-"
              : s.containerId().substring(0, Math.min(12, s.containerId().length())), Integer.toString(s.restarts()),
              s.dependsOn().isEmpty() ? "-" : String.join(",", s.dependsOn()), s.reason().isEmpty() ? "-" : s.reason()});
        }
        Tables.print(System.out, rows);
      }
      case "up" -> {
        services.up(name);
        System.out.println("Up: " + (name == null ? "every service" : name));
      }
      case "down" -> {
        services.down(name);
        System.out.println("Down: " + (name == null ? "every service" : name));
      }
      default -> throw new IllegalArgumentException("docker:service " + verb + ": the subcommands are list, up [NAME], down [NAME]");
    }
  }

  @Descriptor("benchmark: N times create, start, wait, logs, remove of IMAGE running COMMAND; prints each cycle's milliseconds and the median")
  public String bench(String... args) {
    if (io.dockevos.common.internal.CommandHelp.asked(args)) {
      io.dockevos.common.internal.CommandHelp.print(this, "docker:bench");
      return null;
    }
    if (args.length < 3) {
      throw new IllegalArgumentException("docker:bench N IMAGE COMMAND...");
    }
    int n = Integer.parseInt(args[0]);
    ContainerSpec spec = ContainerSpec.builder(args[1]).command(Arrays.asList(args).subList(2, args.length)).build();
    long[] ms = new long[n];
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      String id = engine.create(spec);
      engine.start(id);
      engine.waitFor(id, Duration.ofSeconds(60));
      StringBuilder logs = new StringBuilder();
      engine.logs(id, false, -1, (line, e) -> logs.append(line));
      engine.remove(id, true);
      ms[i] = (System.nanoTime() - t0) / 1_000_000;
      out.append(ms[i]).append(' ');
    }
    long[] sorted = ms.clone();
    Arrays.sort(sorted);
    long median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return "cycles ms: " + out.toString().strip() + "\nmedian ms: " + median;
  }

  private Path path(String file) {
    Path p = Path.of(file);
    if (!p.isAbsolute()) {
      String home = context.getProperty(Host.HOME_PROPERTY);
      p = Path.of(home == null ? "." : home).resolve(p);
    }
    return p;
  }

  private static String[] need(String what, String[] names) {
    if (names == null || names.length == 0) {
      throw new IllegalArgumentException(what + " needs at least one container or image (docker:ps -a, docker:images list them)");
    }
    return names;
  }

  /** docker-style options, by hand: Gogo's @Parameter takes an option once, and docker:run repeats -e, -p, -v. */
  static final class Args {
    private final String command;
    private final String[] args;
    private int i;

    Args(String command, String[] args) {
      this.command = command;
      this.args = args == null ? new String[0] : args;
    }

    boolean more() {
      return i < args.length;
    }

    String peek() {
      return args[i];
    }

    String next() {
      return args[i++];
    }

    String value(String option) {
      if (!more()) {
        throw new IllegalArgumentException(command + ": " + option + " needs a value");
      }
      return next();
    }

    int intValue(String option) {
      String v = value(option);
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(command + ": " + option + " needs a whole number, not '" + v + "'");
      }
    }

    List<String> rest() {
      List<String> r = new ArrayList<>(Arrays.asList(args).subList(i, args.length));
      i = args.length;
      return r;
    }

    IllegalArgumentException unknown(String option) {
      return new IllegalArgumentException(command + ": unknown option or extra argument '" + option + "' (see help " + command + ")");
    }

    String command() {
      return command;
    }
  }

  /** The options of docker:run. */
  static final class RunOptions {
    ContainerSpec spec;
    boolean detach;
    boolean remove;

    static RunOptions parse(Args a) {
      RunOptions r = new RunOptions();
      ContainerSpec.Builder b = null;
      String image = null;
      List<Runnable> later = new ArrayList<>();
      Map<String, String> env = new LinkedHashMap<>();
      Map<String, String> labels = new LinkedHashMap<>();
      List<ContainerSpec.PortBinding> ports = new ArrayList<>();
      List<ContainerSpec.Mount> mounts = new ArrayList<>();
      Map<String, String> tmpfs = new LinkedHashMap<>();
      List<String> capDrop = new ArrayList<>();
      String[] name = {null, null, null, null}; // name, network, user, workdir
      long[] memory = {0};
      double[] cpus = {0};
      int[] pids = {0};
      boolean[] flags = {false, false, false}; // read-only, no-new-privileges, hardened
      try {
        while (a.more()) {
          String o = a.peek();
          if (!o.startsWith("-")) {
            image = a.next();
            break;
          }
          a.next();
          switch (o) {
            case "-d", "--detach" -> r.detach = true;
            case "--rm" -> r.remove = true;
            case "--name" -> name[0] = a.value(o);
            case "-e", "--env" -> {
              var kv = SpecMapping.keyValue(a.value(o));
              env.put(kv.getKey(), kv.getValue());
            }
            case "-l", "--label" -> {
              var kv = SpecMapping.keyValue(a.value(o));
              labels.put(kv.getKey(), kv.getValue());
            }
            case "-m", "--memory" -> memory[0] = SpecMapping.size(a.value(o));
            case "--cpus" -> {
              String v = a.value(o);
              try {
                cpus[0] = Double.parseDouble(v);
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cpus needs a number such as 0.5, not '" + v + "'");
              }
            }
            case "--pids-limit" -> pids[0] = a.intValue(o);
            case "--network", "--net" -> {
              String n = a.value(o);
              if (!n.equals("none") && !n.equals("bridge")) {
                throw new IllegalArgumentException("--network is none or bridge, not '" + n + "'");
              }
              name[1] = n;
            }
            case "-p", "--publish" -> ports.add(ContainerSpec.PortBinding.parse(a.value(o)));
            case "--read-only" -> flags[0] = true;
            case "--cap-drop" -> capDrop.add(SpecMapping.capability(a.value(o)).name());
            case "--no-new-privileges" -> flags[1] = true;
            case "--security-opt" -> {
              String v = a.value(o);
              if (!v.equals("no-new-privileges") && !v.equals("no-new-privileges:true")) {
                throw new IllegalArgumentException("--security-opt takes no-new-privileges only, not '" + v + "'");
              }
              flags[1] = true;
            }
            case "-u", "--user" -> name[2] = a.value(o);
            case "-v", "--volume" -> mounts.add(ContainerSpec.Mount.parse(a.value(o)));
            case "--tmpfs" -> {
              String v = a.value(o);
              int colon = v.indexOf(':');
              tmpfs.put(colon < 0 ? v : v.substring(0, colon), colon < 0 ? "" : v.substring(colon + 1));
            }
            case "-w", "--workdir" -> name[3] = a.value(o);
            case "--hardened" -> flags[2] = true;
            default -> throw a.unknown(o);
          }
        }
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith(a.command())) {
          throw e;
        }
        throw new IllegalArgumentException(a.command() + ": " + e.getMessage());
      }
      if (image == null) {
        throw new IllegalArgumentException(a.command() + " needs an image (docker:images lists them)");
      }
      b = ContainerSpec.builder(image).command(a.rest()).env(env).labels(labels).name(name[0]).memory(memory[0])
          .cpus(cpus[0]).pids(pids[0]).network(name[1]).user(name[2]).workDir(name[3]);
      ports.forEach(b::port);
      mounts.forEach(b::mount);
      tmpfs.forEach(b::tmpfs);
      capDrop.forEach(b::capDrop);
      if (flags[0]) {
        b.readOnlyRootfs(true);
      }
      if (flags[1]) {
        b.noNewPrivileges(true);
      }
      if (flags[2]) {
        b.hardened();
      }
      later.forEach(Runnable::run);
      r.spec = b.build();
      return r;
    }
  }
}
