package io.dockevos.external.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The process of a {@code runtime: process} plugin: started in a session of its own
 * ({@code setsid}, so that it and every child it forks can be signalled as one group) under the
 * limits of {@code plugin.yaml} ({@code prlimit}, where util-linux has it), with a whitelisted
 * environment, in its working folder. Its stdout is read as protocol lines, bounded; what is not
 * protocol, and its stderr, go to the runtime log under the plugin's name, bounded too.
 */
final class PluginProcess implements PluginRun {
  /** The variables a plugin's process sees from the runtime's environment; anything else comes from plugin.yaml. */
  static final List<String> WHITELIST = List.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ");

  private final Process process;
  private final OutputStream stdin;
  private final Logger log;
  private final PluginOutput output;
  private final Object writeLock = new Object();
  private final boolean group;

  private PluginProcess(Process process, Logger log, boolean group) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.log = log;
    this.output = new PluginOutput(log);
    this.group = group;
  }

  /** What the system offers to confine a process: found once. */
  record Confinement(String setsid, String prlimit, List<String> noNetwork) {
    static Confinement find() {
      return new Confinement(tool("setsid"), tool("prlimit"), noNetwork(tool("unshare")));
    }

    /**
     * @return the words that start a command in a network namespace of its own (only a loopback
     *     that is down), as this system allows: {@code unshare --net} for root, else with a user
     *     namespace; empty when it allows neither
     */
    private static List<String> noNetwork(String unshare) {
      if (unshare == null) {
        return List.of();
      }
      for (List<String> words : List.of(List.of(unshare, "--net"), List.of(unshare, "--net", "--map-root-user"))) {
        List<String> probe = new ArrayList<>(words);
        probe.add("true");
        try {
          Process p = new ProcessBuilder(probe).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
          if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
            return words;
          }
          p.destroyForcibly();
        } catch (IOException e) {
          return List.of();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return List.of();
        }
      }
      return List.of();
    }

    private static String tool(String name) {
      for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
      return null;
    }
  }

  /** @return the limits in words, and what cannot be applied here */
  static String limits(PluginDescriptor d, Confinement c) {
    List<String> parts = new ArrayList<>();
    PluginDescriptor.Resources r = d.resources();
    List<String> asked = new ArrayList<>();
    if (r.memoryBytes() != null) {
      asked.add("memory " + (r.memoryBytes() >> 20) + " MB");
    }
    if (r.pids() != null) {
      asked.add("processes " + r.pids());
    }
    if (r.files() != null) {
      asked.add("open files " + r.files());
    }
    if (!asked.isEmpty()) {
      parts.add(String.join(", ", asked) + (c.prlimit() == null ? " NOT applied: prlimit (util-linux) is missing" : " (prlimit)"));
    }
    if (r.cpus() != null) {
      parts.add("cpus " + r.cpus() + " not applied to a process (a container limit)");
    }
    parts.add(c.setsid() == null ? "own process group: no (setsid is missing; children that outlive it may survive)"
        : "own process group: yes");
    parts.add(networkGranted(d) ? "network: granted (permission network)" : c.noNetwork().isEmpty()
        ? "network: NOT isolated: this system lets no network namespace be made (unshare)"
        : "network: none (a network namespace of its own; permission network grants it)");
    return String.join("; ", parts);
  }

  static boolean networkGranted(PluginDescriptor d) {
    return d.permissions().stream().anyMatch(p -> p.strip().equalsIgnoreCase("network"));
  }

  /**
   * Starts the process.
   *
   * @param messages receives each line of stdout that may be a protocol message
   */
  static PluginProcess start(PluginDescriptor d, Path workDir, Confinement c, Logger log, Consumer<String> messages)
      throws IOException {
    Files.createDirectories(workDir);
    List<String> command = new ArrayList<>();
    if (c.setsid() != null) {
      command.add(c.setsid());
    }
    if (!networkGranted(d)) {
      command.addAll(c.noNetwork());
    }
    PluginDescriptor.Resources r = d.resources();
    if (c.prlimit() != null && (r.memoryBytes() != null || r.pids() != null || r.files() != null)) {
      command.add(c.prlimit());
      if (r.memoryBytes() != null) {
        command.add("--as=" + r.memoryBytes());
      }
      if (r.pids() != null) {
        command.add("--nproc=" + r.pids());
      }
      if (r.files() != null) {
        command.add("--nofile=" + r.files());
      }
      command.add("--");
    }
    command.add(program(d));
    command.addAll(d.args());
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> env = pb.environment();
    Map<String, String> parent = Map.copyOf(env);
    env.clear();
    for (String name : WHITELIST) {
      if (parent.containsKey(name)) {
        env.put(name, parent.get(name));
      }
    }
    env.put("HOME", workDir.toString());
    env.put("TMPDIR", workDir.toString());
    env.put("DOCKEVOS_PLUGIN_NAME", d.name());
    env.put("DOCKEVOS_PLUGIN_DIR", d.dir().toString());
    env.put("DOCKEVOS_DATA_DIR", workDir.toString());
    env.putAll(d.env());
    Process p = pb.start();
    PluginProcess pp = new PluginProcess(p, log, c.setsid() != null);
    pp.output.start(d.name(), p.getInputStream(), p.getErrorStream(), messages);
    return pp;
  }

  /** The command of plugin.yaml: a file in the plugin's folder if there is one by that name, else a program on the PATH. */
  private static String program(PluginDescriptor d) {
    Path local = d.dir().resolve(d.command()).normalize();
    if (local.startsWith(d.dir()) && Files.isRegularFile(local)) {
      if (!Files.isExecutable(local)) {
        local.toFile().setExecutable(true, true); // an archive does not always keep the x bit
      }
      return local.toString();
    }
    return d.command();
  }

  @Override
  public List<String> tail() {
    return output.tail(!process.isAlive());
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return process.onExit().thenApply(Process::exitValue);
  }

  @Override
  public void send(String line) throws IOException {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (writeLock) {
      stdin.write(bytes);
      stdin.flush();
    }
  }

  @Override
  public long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  @Override
  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void closeInput() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /**
   * Stops it: stdin closed and SIGTERM to its process group, then SIGKILL to what is left after
   * {@code grace}, the children it forked too (its group, and its descendants that left it).
   *
   * @return its exit status, or -1 if it had to be killed
   */
  @Override
  public int stop(Duration grace) {
    List<ProcessHandle> children = process.descendants().toList();
    closeInput(); // the MCP way to ask a stdio server to end; SIGTERM only if it has not within a fifth of the grace
    boolean ended;
    try {
      ended = process.waitFor(grace.toMillis() / 5, TimeUnit.MILLISECONDS);
      if (!ended) {
        signal("TERM");
        process.destroy();
        ended = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ended = false;
    }
    if (!ended) {
      log.warn("did not end within {} ms of SIGTERM: killed", grace.toMillis());
    }
    reap(children);
    try {
      return ended ? process.exitValue() : process.waitFor(2, TimeUnit.SECONDS) ? -1 : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Kills whatever is left of it: its process group and the descendants seen. */
  void reap(List<ProcessHandle> seen) {
    List<ProcessHandle> all = new ArrayList<>(seen);
    all.addAll(process.descendants().toList());
    signal("KILL");
    process.destroyForcibly();
    all.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void reap() {
    reap(List.of());
  }

  /** Signals its whole process group (it leads one when setsid started it). */
  private void signal(String name) {
    if (!group) {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-s", name, "--", "-" + process.pid())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor(2, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.debug("cannot signal the process group {}: {}", process.pid(), e.toString());
    }
  }
}
