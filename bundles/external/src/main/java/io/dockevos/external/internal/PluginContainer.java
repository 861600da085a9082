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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;

/**
 * The container of a {@code runtime: container} plugin, run through the Docker manager
 * ({@link DockerEngine#runAttached}) with the sandbox of {@link ContainerSpec.Builder#hardened()}:
 * no network unless the plugin is granted {@code network}, a read-only root file system with a
 * small tmpfs on {@code /tmp}, the user 65534, every capability dropped, no new privileges, and the
 * memory, CPU and pid limits of {@code plugin.yaml}. Its plugin folder is mounted read-only at
 * {@value #PLUGIN_DIR}, its data folder ({@code data/plugins/NAME/}, as a process's working folder)
 * writable at {@value #DATA_DIR}. The protocol goes over its attached stdin and stdout; its stderr
 * goes to the log, as a process's does. It is named {@code dockevos-plugin-NAME} and labelled
 * {@value #LABEL}; it is removed when it stops.
 */
final class PluginContainer implements PluginRun {
  /** The label that names the plugin of a container. */
  static final String LABEL = "io.dockevos.plugin";
  /** Where its plugin folder is, read-only, in the container ({@code DOCKEVOS_PLUGIN_DIR}). */
  static final String PLUGIN_DIR = "/plugin";
  /** Where its data folder is, writable, in the container ({@code DOCKEVOS_DATA_DIR} and {@code HOME}). */
  static final String DATA_DIR = "/data";
  /** The user of the container (nobody), who must be able to write its data folder. */
  static final int UID = 65534;
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

  /**
   * What the container is made from: the hardened sandbox, the limits of plugin.yaml, its folder
   * and its data folder {@code dataDir}.
   */
  static ContainerSpec spec(PluginDescriptor d, Path dataDir) {
    ContainerSpec.Builder b = ContainerSpec.builder(d.image()).name(containerName(d)).hardened()
        .label(LABEL, d.name()).label(LABEL + ".version", d.version())
        .mount(new ContainerSpec.Mount(d.dir().toAbsolutePath().toString(), PLUGIN_DIR, true))
        .mount(new ContainerSpec.Mount(dataDir.toAbsolutePath().toString(), DATA_DIR, false))
        .env("HOME", DATA_DIR).env("TMPDIR", "/tmp").env("DOCKEVOS_PLUGIN_NAME", d.name())
        .env("DOCKEVOS_PLUGIN_DIR", PLUGIN_DIR).env("DOCKEVOS_DATA_DIR", DATA_DIR).env(d.env());
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
  static String limits(PluginDescriptor d, Path dataDir) {
    ContainerSpec s = spec(d, dataDir);
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
  static PluginContainer start(DockerEngine engine, PluginDescriptor d, Path dataDir, Logger log,
      Consumer<String> messages) throws IOException {
    removeLeftovers(engine, d, log);
    readableByAll(d.dir());
    writableByItsUser(dataDir, log);
    AttachedContainer a = engine.runAttached(spec(d, dataDir));
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

  /**
   * Lets the container's user read its plugin folder, which the runtime's umask 077 made its own:
   * readable by all (and its folders and programs enterable by all). Other users of the host still
   * cannot reach it: the data folder above it is its owner's only.
   */
  static void readableByAll(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> more = EnumSet.copyOf(perms);
        more.addAll(List.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
          more.addAll(List.of(PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
        }
        if (!more.equals(perms) && !Files.isSymbolicLink(p)) {
          Files.setPosixFilePermissions(p, more);
        }
      }
    } catch (UnsupportedOperationException e) {
      // no POSIX permissions: nothing to open
    }
  }

  /**
   * Makes its data folder, writable by the container's user: given to {@value #UID} when the runtime
   * may (it is root: a rootful engine's 65534 is the host's), else writable by all (a rootless
   * engine maps 65534 to a user of its own, that the runtime cannot give the folder to; other users
   * of the host still cannot reach it: the data folder above it is its owner's only).
   */
  static void writableByItsUser(Path dir, Logger log) throws IOException {
    Files.createDirectories(dir);
    if (Integer.valueOf(UID).equals(Files.getAttribute(dir, "unix:uid"))) {
      return;
    }
    try {
      Files.setAttribute(dir, "unix:uid", UID);
      Files.setAttribute(dir, "unix:gid", UID);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      Set<PosixFilePermission> all = PosixFilePermissions.fromString("rwxrwxrwx");
      if (!Files.getPosixFilePermissions(dir).equals(all)) {
        Files.setPosixFilePermissions(dir, all);
        log.info("its data folder {} is writable by all: the runtime cannot give it to the container's user {} ({})",
            dir, UID, e.toString());
      }
    }
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

  /**
   * Closes its stdin (the MCP way to ask it to end) and waits a fifth of {@code grace} for it to
   * end by itself; then docker stop (SIGTERM, then SIGKILL after {@code grace}); then the container
   * is removed.
   */
  @Override
  public int stop(Duration grace) {
    closeInput();
    int code = -1;
    try {
      try {
        streamEnded.get(grace.toMillis() / 5, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        log.debug("it did not end within {} ms of the end of its input: docker stop", grace.toMillis() / 5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
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
