package io.dockevos.external.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dockevos.docker.AttachedContainer;
import io.dockevos.docker.ContainerInfo;
import io.dockevos.docker.ContainerSpec;
import io.dockevos.docker.DockerEngine;
import io.dockevos.docker.DockerException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The container of a {@code runtime: container} plugin, run through the Docker manager
 * ({@link DockerEngine#runAttached}) with the sandbox of {@link ContainerSpec.Builder#hardened()}:
 * no network unless the plugin is granted {@code network}, a read-only root file system with a
 * small tmpfs on {@code /tmp}, the user 65534, every capability dropped, no new privileges, and the
 * memory, CPU and pid limits of {@code plugin.yaml}. The protocol goes over its attached stdin and
 * stdout; its stderr goes to the log, as a process's does. It is named {@code dockevos-plugin-NAME}
 * and labelled {@value #LABEL}; it is removed when it stops.
 */
final class PluginContainer implements PluginRun {
  /** The label that names the plugin of a container. */
  static final String LABEL = "io.dockevos.plugin";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerEngine engine;
  private final AttachedContainer attached;
  private final Logger log;
  private final PluginOutput output;
  private final CompletableFuture<Void> streamEnded = new CompletableFuture<>();
  private final CompletableFuture<Integer> exited;
  private final Object writeLock = new Object();
  private volatile long pid = -1;

  private PluginContainer(DockerEngine engine, AttachedContainer attached, Logger log) {
    this.engine = engine;
    this.attached = attached;
    this.log = log;
    this.output = new PluginOutput(log);
    // Its output ends when it exits; then the engine has its exit status.
    this.exited = streamEnded.thenApplyAsync(v -> exitCode());
  }

  /**
   * @return its container's name: the plugin's name and version, in the characters an engine takes
   *     (an instance of a factory is {@code NAME~INSTANCE}; during an update two versions run)
   */
  static String containerName(PluginDescriptor d) {
    return ("dockevos-plugin-" + d.name() + "-" + d.version()).replaceAll("[^a-zA-Z0-9_.-]", "_");
  }

  /** What the container is made from: the hardened sandbox and the limits of plugin.yaml. */
  static ContainerSpec spec(PluginDescriptor d) {
    ContainerSpec.Builder b = ContainerSpec.builder(d.image()).name(containerName(d)).hardened()
        .label(LABEL, d.name()).label(LABEL + ".version", d.version())
        .env("HOME", "/tmp").env("TMPDIR", "/tmp").env("DOCKEVOS_PLUGIN_NAME", d.name()).env(d.env());
    if (PluginProcess.networkGranted(d)) {
      b.network(null); // the engine's default network
    }
    PluginDescriptor.Resources r = d.resources();
    if (r.memoryBytes() != null) {
      b.memory(r.memoryBytes());
    }
    if (r.cpus() != null) {
      b.cpus(r.cpus());
    }
    if (r.pids() != null) {
      b.pids(r.pids());
    }
    List<String> command = new ArrayList<>();
    if (d.command() != null) {
      command.add(d.command());
    }
    command.addAll(d.args());
    return b.command(command).build();
  }

  /** @return its sandbox and limits in words, for external:info */
  static String limits(PluginDescriptor d) {
    ContainerSpec s = spec(d);
    List<String> parts = new ArrayList<>();
    parts.add("container " + s.name() + " of " + s.image());
    List<String> asked = new ArrayList<>();
    if (s.memoryBytes() > 0) {
      asked.add("memory " + (s.memoryBytes() >> 20) + " MB");
    }
    if (s.cpus() > 0) {
      asked.add("cpus " + s.cpus());
    }
    if (s.pids() > 0) {
      asked.add("processes " + s.pids());
    }
    if (!asked.isEmpty()) {
      parts.add(String.join(", ", asked) + " (container limits)");
    }
    if (d.resources().files() != null) {
      parts.add("open files " + d.resources().files() + " not applied to a container (the engine's default)");
    }
    parts.add("user " + s.user() + ", read-only root file system (/tmp a tmpfs), capabilities: none, no new privileges");
    parts.add(s.network() == null ? "network: granted (permission network; the engine's default network)"
        : "network: none (permission network grants it)");
    return String.join("; ", parts);
  }

  /**
   * Removes what a runtime that was killed left of the plugin, creates its container, attaches and
   * starts it.
   *
   * @param messages receives each line of stdout that may be a protocol message
   * @throws DockerException naming the cause when the engine cannot run it
   */
  static PluginContainer start(DockerEngine engine, PluginDescriptor d, Logger log, Consumer<String> messages) {
    removeLeftovers(engine, d, log);
    AttachedContainer a = engine.runAttached(spec(d));
    PluginContainer c = new PluginContainer(engine, a, log);
    c.output.start(d.name(), c.watched(a.stdout()), a.stderr(), messages);
    try {
      JsonNode state = JSON.readTree(engine.inspect(a.id()).json()).path("State");
      c.pid = state.path("Pid").asLong(-1) > 0 ? state.path("Pid").asLong() : -1;
    } catch (IOException | DockerException e) {
      log.debug("the pid of its container is not known: {}", e.toString());
    }
    return c;
  }

  private static void removeLeftovers(DockerEngine engine, PluginDescriptor d, Logger log) {
    // Of this version only: during an update the old version's container runs beside the new one's.
    List<ContainerInfo> left = engine.containers(true, Map.of("label", List.of(LABEL + "=" + d.name(),
        LABEL + ".version=" + d.version())));
    for (ContainerInfo c : left) {
      log.info("removing its container {} ({}), left from an earlier run", c.name(), c.shortId());
      engine.remove(c.id(), true);
    }
  }

  /** The stream, that completes {@link #streamEnded} as it ends. */
  private InputStream watched(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          int n = super.read(b, off, len);
          if (n < 0) {
            streamEnded.complete(null);
          }
          return n;
        } catch (IOException e) {
          streamEnded.complete(null);
          throw e;
        }
      }
    };
  }

  /** Its exit status, once its output ended; -1 when the engine cannot say (it went away, or removed it). */
  private int exitCode() {
    try {
      return engine.waitFor(attached.id(), Duration.ofSeconds(5));
    } catch (DockerException e) {
      log.debug("the exit status of its container is not known: {}", e.getMessage());
      return -1;
    }
  }

  String id() {
    return attached.id();
  }

  @Override
  public void send(String line) throws IOException {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (writeLock) {
      attached.stdin().write(bytes);
      attached.stdin().flush();
    }
  }

  @Override
  public void closeInput() {
    try {
      attached.stdin().close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public boolean alive() {
    return !streamEnded.isDone();
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  @Override
  public List<String> tail() {
    return output.tail(!alive());
  }

  /** docker stop (SIGTERM, then SIGKILL after {@code grace}), then the container is removed. */
  @Override
  public int stop(Duration grace) {
    closeInput();
    int code = -1;
    try {
      if (alive()) {
        engine.stop(attached.id(), grace);
      }
      code = engine.inspect(attached.id()).exitCode();
    } catch (DockerException e) {
      log.warn("stopping its container {}: {}", attached.id(), e.getMessage());
    }
    reap();
    return code;
  }

  @Override
  public void reap() {
    attached.close();
    try {
      engine.remove(attached.id(), true);
    } catch (DockerException e) {
      if (!e.getMessage().startsWith("No such container")) {
        log.warn("removing its container {}: {}", attached.id(), e.getMessage());
      }
    }
  }
}
