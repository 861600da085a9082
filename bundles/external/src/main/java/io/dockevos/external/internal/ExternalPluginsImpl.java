package io.dockevos.external.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dockevos.common.internal.FileTrees;
import io.dockevos.docker.DockerEngine;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import io.dockevos.external.ExternalPlugin;
import io.dockevos.external.ExternalPluginException;
import io.dockevos.external.ExternalPlugins;
import io.dockevos.external.NotGrantedException;
import io.dockevos.plugin.PluginEvents;
import io.dockevos.security.Permission;
import io.dockevos.security.Permissions;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;
import org.osgi.service.cm.ManagedServiceFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The external plugins: their files in {@code data/external/NAME/}, their working folders in
 * {@code data/plugins/NAME/}, a {@code data/external/NAME.disabled} marker for a disabled one, and a
 * {@link Supervisor} each. The enabled ones start with this component.
 */
@Component(service = ExternalPlugins.class, immediate = true)
public final class ExternalPluginsImpl implements ExternalPlugins {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalPluginsImpl.class);
  /** How long a start waits for {@link Warmup} at most (it takes 0.1 to 0.3 s). */
  private static final java.time.Duration WARM_WAIT = java.time.Duration.ofSeconds(5);
  /** Names the plugin manager uses in data/plugins/ itself. */
  private static final Set<String> RESERVED = Set.of("txn", "kept", "downloads", "journal", "external");

  private final BundleContext context;
  private final Path store;
  private final Path work;
  private final McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
  private final PluginProcess.Confinement confinement = PluginProcess.Confinement.find();
  private final Map<String, Supervisor> supervisors = new ConcurrentSkipListMap<>();
  private final Map<Supervisor, ServiceRegistration<?>> configurations = new java.util.concurrent.ConcurrentHashMap<>();
  /** The instances of factories, by the PID of their factory configuration. */
  private final Map<String, Supervisor> instances = new java.util.concurrent.ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "timer"));
  /** The home, from which a relative source path is read. */
  private final Path home;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "worker"));

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile ErrorHandler errors;

  /** Checks the versions of the tools plugins require, when the feature dockevos-hardware runs. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile io.dockevos.hardware.HardwareAnalyzer hardware;

  /** Grants and revokes what plugins ask for; mandatory, so that a plugin never starts before its grants are known. */
  @Reference
  volatile Permissions permissions;

  /** The container engine of runtime: container plugins, when the Docker manager is installed. */
  private volatile DockerEngine docker;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindDocker")
  void bindDocker(DockerEngine engine) {
    docker = engine;
  }

  /**
   * The Docker manager goes away (it stops, or the runtime does): its service is still usable while
   * it is unbound, so the containers of container plugins are stopped and removed now, not left
   * behind; the plugins wait, DOWN, for an engine again (with an incident, unless the runtime stops).
   */
  void unbindDocker(DockerEngine engine) {
    if (docker != engine) {
      return;
    }
    docker = null;
    boolean shutdown = context.getBundle(0).getState() == org.osgi.framework.Bundle.STOPPING;
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (Supervisor s : supervisors.values()) {
      done.add(workers.submit(() -> s.engineGone(!shutdown)));
    }
    for (java.util.concurrent.Future<?> f : done) {
      try {
        f.get(Supervisor.GRACE.toSeconds() + 5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("A container plugin did not stop in time: {}", e.toString());
      }
    }
  }

  /** Complete once {@link Warmup} ran: the starts of plugins wait for it. */
  private final java.util.concurrent.CompletableFuture<Void> warm = new java.util.concurrent.CompletableFuture<>();
  private final Supervisor.Host host = new Supervisor.Host() {
    @Override
    public void warm() {
      try {
        warm.get(WARM_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // it starts with the classes loaded as it goes
      }
    }

    @Override
    public PluginDescriptor granted(PluginDescriptor declared) {
      return ExternalPluginsImpl.this.granted(declared);
    }

    @Override
    public void changed(Supervisor s, String topic, String reason) {
      post(topic, s.descriptor(), reason);
    }

    @Override
    public EventAdmin events() {
      return events;
    }

    @Override
    public io.dockevos.hardware.HardwareAnalyzer hardware() {
      return hardware;
    }

    @Override
    public void failed(Supervisor s, boolean circuitOpen, String reason) {
      if (s.candidate()) {
        return; // a new version on trial: the update fails, the old version runs on; no incident
      }
      PluginDescriptor d = s.descriptor();
      ErrorHandler h = errors;
      if (h != null && !circuitOpen && s.state() == ExternalPlugin.State.RESTARTING) {
        // FAILED is reported by the error handler from the event, as for a bundle plugin; each
        // failure before it is a sighting of one incident, whose count the crash-loop analysis reads.
        report(h, d, reason, "failed and is restarted");
      }
      if (s.state() == ExternalPlugin.State.FAILED) {
        post(PluginEvents.FAILED, d, reason);
      }
    }

    @Override
    public void waiting(Supervisor s, String reason) {
      PluginDescriptor d = s.descriptor();
      ErrorHandler h = errors;
      if (h == null) {
        return;
      }
      report(h, d, reason, "waits for the container engine");
    }
  };

  /** A WARNING incident of the plugin: "External plugin NAME {@code what}", with the reason and its plugin.yaml. */
  private static void report(ErrorHandler h, PluginDescriptor d, String reason, String what) {
    Map<String, String> props = new HashMap<>();
    props.put(IncidentProperties.MESSAGE, reason);
    props.put(IncidentProperties.FILE, d.file().toString());
    props.put(KIND, EXTERNAL);
    try {
      h.report("external", d.name(), Incident.Severity.WARNING, "External plugin " + d.name() + " " + what, null, props);
    } catch (RuntimeException e) {
      LOG.warn("Cannot report that {} {}: {}", d.name(), what, e.toString());
    }
  }

  @Activate
  public ExternalPluginsImpl(BundleContext context) {
    this.context = context;
    Path data = Path.of(context.getProperty("dockevos.data"));
    String h = context.getProperty(io.dockevos.api.Host.HOME_PROPERTY);
    this.home = (h == null ? Path.of("") : Path.of(h)).toAbsolutePath();
    this.store = data.resolve("external");
    this.work = data.resolve("plugins");
    workers.execute(() -> {
      Warmup.run(json, LOG);
      warm.complete(null);
    });
    workers.execute(this::startInstalled);
  }

  private static Thread daemon(Runnable r, String what) {
    Thread t = new Thread(r, "dockevos-external-" + what);
    t.setDaemon(true);
    return t;
  }

  /** Reads every installed plugin and starts the enabled ones. */
  private void startInstalled() {
    if (!Files.isDirectory(store)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(store)) {
      for (Path dir : dirs.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        try {
          Supervisor s = supervisor(PluginYaml.read(dir.resolve(PluginYaml.FILE)));
          if (enabled(s.descriptor().name())) {
            s.start();
          }
        } catch (InvalidPluginException e) {
          LOG.error("The external plugin in {} cannot start: {}", dir, e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.error("Cannot read the external plugins in {}: {}", store, e.toString());
    }
  }

  @Deactivate
  void deactivate() {
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    supervisors.values().forEach(s -> done.add(workers.submit(s::stop)));
    for (java.util.concurrent.Future<?> f : done) {
      try {
        f.get(Supervisor.GRACE.toSeconds() + 5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("An external plugin did not stop in time: {}", e.toString());
      }
    }
    configurations.values().forEach(r -> {
      try {
        r.unregister();
      } catch (IllegalStateException gone) {
        // the bundle is stopping
      }
    });
    configurations.clear();
    timer.shutdownNow();
    workers.shutdownNow();
  }

  private Supervisor supervisor(PluginDescriptor d) {
    return adopt(new Supervisor(d, work.resolve(d.name()), confinement, json, context, timer, workers, host,
        () -> docker));
  }

  /** Makes it the plugin's supervisor, listening to its configuration. */
  private Supervisor adopt(Supervisor s) {
    PluginDescriptor d = s.descriptor();
    Supervisor before = supervisors.put(d.name(), s);
    if (before != null) {
      forget(before, false);
    }
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(Constants.SERVICE_PID, s.pid());
    if (d.factory()) {
      configurations.put(s, context.registerService(ManagedServiceFactory.class, new Instances(s), props));
    } else {
      configurations.put(s, context.registerService(ManagedService.class, properties -> s.configure(
          properties == null ? null : map(properties)), props));
    }
    return s;
  }

  /**
   * The factory configurations of a factory plugin (factory PID {@code dockevos.external.NAME}):
   * each runs an instance {@code NAME~INSTANCE} with its own configuration, working folder and
   * actions; deleting the configuration stops and removes the instance.
   */
  private final class Instances implements ManagedServiceFactory {
    private final Supervisor factory;

    Instances(Supervisor factory) {
      this.factory = factory;
    }

    @Override
    public String getName() {
      return "external plugin " + factory.descriptor().name();
    }

    @Override
    public void updated(String pid, Dictionary<String, ?> properties) {
      Supervisor s = instances.get(pid);
      if (s != null) {
        s.configure(map(properties));
        return;
      }
      String instance = pid.contains("~") ? pid.substring(pid.indexOf('~') + 1)
          : pid.substring(Math.max(0, pid.length() - 8)); // a configuration made without a name
      PluginDescriptor d = factory.declared().instance(instance.replaceAll("[^A-Za-z0-9_.-]", "_"));
      s = new Supervisor(d, work.resolve(d.name()), confinement, json, context, timer, workers, host,
          () -> docker);
      s.configPid(pid);
      s.configure(map(properties));
      instances.put(pid, s);
      supervisors.put(d.name(), s);
      LOG.info("{}: the factory configuration {} runs the instance {}", factory.descriptor().name(), pid, d.name());
      if (enabled(d.name())) {
        s.start();
      }
    }

    @Override
    public void deleted(String pid) {
      Supervisor s = instances.remove(pid);
      if (s != null) {
        workers.execute(() -> removeInstance(s, "its configuration " + pid + " was deleted", true));
      }
    }
  }

  /** Stops an instance of a factory and, when it goes for good, deletes its working folder. */
  private void removeInstance(Supervisor s, String why, boolean forGood) {
    String name = s.descriptor().name();
    s.stop();
    supervisors.remove(name, s);
    try {
      if (forGood) {
        FileTrees.delete(work.resolve(name));
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete the working folder of {}: {}", name, e.toString());
    }
    LOG.info("The instance {} is removed: {}", name, why);
    post(PluginEvents.UNINSTALLED, s.descriptor(), why);
  }

  /** @return the instances of a factory plugin, by name */
  List<Supervisor> instancesOf(String factory) {
    return instances.values().stream().filter(i -> i.descriptor().name().startsWith(factory + PluginDescriptor.INSTANCE))
        .sorted(java.util.Comparator.comparing(i -> i.descriptor().name())).toList();
  }

  /** Its configuration is no longer listened to; a factory's instances stop (and go, with {@code forGood}). */
  private void forget(Supervisor s, boolean forGood) {
    if (s.descriptor().factory() && !s.descriptor().isInstance()) {
      for (Supervisor i : instancesOf(s.descriptor().name())) {
        instances.values().remove(i);
        removeInstance(i, "its factory " + s.descriptor().name() + (forGood ? " is uninstalled" : " is replaced"), forGood);
      }
    }
    ServiceRegistration<?> r = configurations.remove(s);
    if (r != null) {
      try {
        r.unregister();
      } catch (IllegalStateException gone) {
        // the bundle is stopping
      }
    }
  }

  private static Map<String, Object> map(Dictionary<String, ?> d) {
    Map<String, Object> m = new HashMap<>();
    for (java.util.Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
      String k = keys.nextElement();
      m.put(k, d.get(k));
    }
    return m;
  }

  /** @return the supervisor of a plugin, for the commands that show more than {@link ExternalPlugin} says */
  Optional<Supervisor> supervisorOf(String name) {
    return Optional.ofNullable(supervisors.get(name));
  }

  /** @return whether it is enabled: an instance of a factory as its factory */
  private boolean enabled(String name) {
    int tilde = name.indexOf(PluginDescriptor.INSTANCE);
    return !Files.exists(store.resolve(name + ".disabled"))
        && (tilde < 0 || !Files.exists(store.resolve(name.substring(0, tilde) + ".disabled")));
  }

  @Override
  public boolean isExternal(Path source) {
    return Files.isRegularFile(source.resolve(PluginYaml.FILE)) || PluginArchives.holdsPluginYaml(source);
  }

  @Override
  public ExternalPlugin install(Path source, boolean grant) throws ExternalPluginException {
    return install(source, null, grant);
  }

  @Override
  public ExternalPlugin update(String name, Path source, boolean grant) throws ExternalPluginException {
    find(name);
    return install(source, name, grant);
  }

  /**
   * What {@code plugin.yaml} asks for that is not granted: granted now when {@code grant} (recorded and
   * audited by the security service, as bundle plugins' are), else refused before anything changes.
   */
  private void checkGrants(PluginDescriptor d, boolean grant) throws ExternalPluginException {
    Permissions p = permissions;
    List<Permission> held = p == null ? List.of() : p.granted(d.name());
    List<String> missing = d.permissions().stream().filter(x -> !held.contains(Permission.parse(x))).toList();
    if (missing.isEmpty()) {
      return;
    }
    if (!grant) {
      throw new NotGrantedException(d.name() + " asks in " + d.file() + " for permissions not granted yet: "
          + String.join(", ", missing) + ". Install it with --grant to grant them (external:install --grant SOURCE,"
          + " plugin:install --grant SOURCE); nothing was installed", d.name(), missing);
    }
    if (p == null) {
      throw new ExternalPluginException(d.name() + " asks for permissions (" + String.join(", ", missing) + "), and"
          + " the security service, which grants them, is not running: plugin:list --all shows io.dockevos.security");
    }
    p.grant(d.name(), missing.stream().map(Permission::parse).toList(), System.getProperty("user.name"),
        "external:install --grant");
  }

  /** @return the descriptor as the plugin runs: with those of its permissions that are granted */
  PluginDescriptor granted(PluginDescriptor d) {
    Permissions p = permissions;
    String owner = d.isInstance() ? d.name().substring(0, d.name().indexOf(PluginDescriptor.INSTANCE)) : d.name();
    List<Permission> held = p == null ? List.of() : p.granted(owner);
    return d.withPermissions(d.permissions().stream().filter(x -> held.contains(Permission.parse(x))).toList());
  }

  /** Revokes the grants of an uninstalled plugin. */
  private void revokeGrants(String name) {
    Permissions p = permissions;
    if (p == null) {
      return;
    }
    List<Permission> held = p.granted(name);
    if (!held.isEmpty()) {
      try {
        p.revoke(name, held, System.getProperty("user.name"), "external:uninstall", "uninstalled");
      } catch (RuntimeException e) {
        LOG.warn("the grants of {} cannot be revoked: {}", name, e.toString());
      }
    }
  }

  /** @param expected the name the plugin in {@code source} must have (an update), or null */
  private ExternalPlugin install(Path source, String expected, boolean grant) throws ExternalPluginException {
    Path src = home.resolve(source).normalize(); // a relative path is read from the home, as plugin:install reads it
    Path unpacked = null;
    try {
      Path dir;
      PluginDescriptor d;
      if (Files.isDirectory(src)) {
        if (!Files.isRegularFile(src.resolve(PluginYaml.FILE))) {
          throw new InvalidPluginException("The folder " + src + " holds no plugin.yaml: an external plugin is a"
              + " folder (or .zip or .tar.gz) with a plugin.yaml at its top");
        }
        dir = src;
        d = PluginYaml.read(dir.resolve(PluginYaml.FILE));
      } else if (PluginArchives.isArchive(src)) {
        unpacked = store.resolve(".unpack-" + UUID.randomUUID());
        dir = PluginArchives.unpack(src, unpacked);
        try {
          d = PluginYaml.read(dir.resolve(PluginYaml.FILE));
        } catch (InvalidPluginException e) {
          throw new InvalidPluginException(e.getMessage().replace(dir.toString(), src + "!"));
        }
      } else {
        throw new InvalidPluginException(src + " is neither a folder with a plugin.yaml nor a .zip or .tar.gz"
            + (Files.exists(src) ? "" : ": it does not exist" + (source.isAbsolute() ? ""
            : " (a relative path is read from the dockevOS home, " + home + ")")));
      }
      if (expected != null && !expected.equals(d.name())) {
        throw new InvalidPluginException(d.file() + " is the plugin " + d.name() + ", not " + expected
            + ": an update takes a new version of the same plugin");
      }
      if (RESERVED.contains(d.name())) {
        throw new InvalidPluginException(d.file() + ": the name '" + d.name() + "' is reserved by the runtime; choose"
            + " another name");
      }
      checkGrants(d, grant);
      Path target = store.resolve(d.name());
      Path fresh = store.resolve("." + d.name() + ".new");
      Path kept = store.resolve("." + d.name() + ".old");
      FileTrees.delete(fresh);
      copy(dir, fresh);
      Supervisor running = supervisors.get(d.name());
      if (running != null && running.state() == ExternalPlugin.State.ACTIVE && !d.factory()
          && !running.descriptor().factory()) {
        return update(running, fresh, target, kept);
      }
      Supervisor old = supervisors.remove(d.name());
      if (old != null) {
        forget(old, false);
      }
      boolean wasActive = old != null && old.state() == ExternalPlugin.State.ACTIVE;
      if (old != null) {
        old.stop();
      }
      FileTrees.delete(kept);
      if (Files.exists(target)) {
        Files.move(target, kept, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
      Files.deleteIfExists(store.resolve(d.name() + ".disabled"));
      Supervisor s = supervisor(PluginYaml.read(target.resolve(PluginYaml.FILE)));
      post(old == null ? PluginEvents.INSTALLED : PluginEvents.UPDATED, s.descriptor(), null);
      s.start();
      ExternalPlugin started = awaitStarted(s);
      if (wasActive && started.state() != ExternalPlugin.State.ACTIVE) {
        return rollBack(s, old, target, kept, started);
      }
      FileTrees.delete(kept);
      return started;
    } catch (InvalidPluginException e) {
      throw new ExternalPluginException(e.getMessage());
    } catch (IOException e) {
      throw new ExternalPluginException("Cannot install the external plugin " + src + ": " + e, e);
    } finally {
      if (unpacked != null) {
        try {
          FileTrees.delete(unpacked);
        } catch (IOException e) {
          LOG.warn("Cannot delete {}: {}", unpacked, e.toString());
        }
      }
    }
  }

  /**
   * A new version of a running plugin: started beside the old one from a staging folder, with the
   * old one's configuration, and checked (initialize, tools/list, ping). When it answers, the old
   * one stops and the new one's tools become the actions; when it does not, it is stopped and the
   * old one runs on, untouched.
   */
  private ExternalPlugin update(Supervisor old, Path fresh, Path target, Path kept)
      throws IOException, InvalidPluginException, ExternalPluginException {
    String name = old.descriptor().name();
    Path staging = store.resolve("." + name + ".new-" + UUID.randomUUID());
    Files.move(fresh, staging, StandardCopyOption.ATOMIC_MOVE);
    PluginDescriptor next = PluginYaml.read(staging.resolve(PluginYaml.FILE));
    Supervisor s = new Supervisor(next, work.resolve(name), confinement, json, context, timer, workers, host,
        () -> docker);
    s.trial(old.rawConfig());
    s.start();
    ExternalPlugin tried = awaitStarted(s);
    if (tried.state() != ExternalPlugin.State.ACTIVE) {
      s.stop();
      FileTrees.delete(staging);
      throw new ExternalPluginException("The update of " + name + " to " + next.version() + " failed: it is "
          + tried.state() + (tried.reason() == null ? "" : ": " + tried.reason()) + "; " + name + " "
          + old.descriptor().version() + " runs on, untouched: " + old.state() + " (pid "
          + old.info(true).pid() + ")");
    }
    LOG.info("{} {} answers beside {}: it takes over", name, next.version(), old.descriptor().version());
    supervisors.remove(name, old);
    forget(old, false);
    old.stop();
    FileTrees.delete(kept);
    if (Files.exists(target)) {
      Files.move(target, kept, StandardCopyOption.ATOMIC_MOVE);
    }
    copy(staging, target);
    s.promote(PluginYaml.read(target.resolve(PluginYaml.FILE)), staging);
    adopt(s);
    FileTrees.delete(kept);
    post(PluginEvents.UPDATED, s.descriptor(), "from " + old.descriptor().version());
    return s.info(enabled(name));
  }

  /**
   * The new version of a plugin that ran did not start: the old one runs again, from its files as
   * they were, and the update fails with the new one's reason.
   */
  private ExternalPlugin rollBack(Supervisor failed, Supervisor old, Path target, Path kept, ExternalPlugin started)
      throws IOException, InvalidPluginException, ExternalPluginException {
    failed.stop();
    FileTrees.delete(target);
    Files.move(kept, target, StandardCopyOption.ATOMIC_MOVE);
    Supervisor again = supervisor(PluginYaml.read(target.resolve(PluginYaml.FILE)));
    again.start();
    ExternalPlugin back = awaitStarted(again);
    post(PluginEvents.UPDATED, again.descriptor(), "the update to " + started.version() + " failed; "
        + old.descriptor().version() + " runs again");
    throw new ExternalPluginException("The update of " + started.name() + " to " + started.version()
        + " failed: it is " + started.state() + (started.reason() == null ? "" : ": " + started.reason()) + "; "
        + back.name() + " " + back.version() + " runs again: " + back.state());
  }

  /** Waits while it is STARTING, at most its start timeout and a little more. */
  private ExternalPlugin awaitStarted(Supervisor s) {
    long end = System.nanoTime() + s.descriptor().health().startTimeout().plusSeconds(2).toNanos();
    while (s.state() == ExternalPlugin.State.STARTING && System.nanoTime() < end) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return s.info(enabled(s.descriptor().name()));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          throw new IOException(p + " is a link; a plugin's folder holds files only");
        }
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  @Override
  public List<ExternalPlugin> plugins() {
    return supervisors.values().stream().map(s -> s.info(enabled(s.descriptor().name()))).toList();
  }

  @Override
  public Optional<ExternalPlugin> plugin(String name) {
    return Optional.ofNullable(supervisors.get(name)).map(s -> s.info(enabled(name)));
  }

  private Supervisor find(String name) throws ExternalPluginException {
    Supervisor s = supervisors.get(name);
    if (s == null) {
      throw new ExternalPluginException("No external plugin " + name + "; external:list shows them"
          + (supervisors.isEmpty() ? " (there are none)" : ": " + String.join(", ", supervisors.keySet())));
    }
    return s;
  }

  @Override
  public ExternalPlugin start(String name) throws ExternalPluginException {
    Supervisor s = find(name);
    instancesOf(name).forEach(Supervisor::start);
    s.start();
    return awaitStarted(s);
  }

  @Override
  public ExternalPlugin stop(String name) throws ExternalPluginException {
    Supervisor s = find(name);
    instancesOf(name).forEach(Supervisor::stop);
    s.stop();
    post(PluginEvents.STOPPED, s.descriptor(), null);
    return s.info(enabled(name));
  }

  @Override
  public ExternalPlugin enable(String name, boolean enable) throws ExternalPluginException {
    Supervisor s = find(name);
    Path marker = store.resolve(name + ".disabled");
    try {
      if (enable) {
        Files.deleteIfExists(marker);
      } else {
        Files.writeString(marker, "disabled by the user\n");
      }
    } catch (IOException e) {
      throw new ExternalPluginException("Cannot " + (enable ? "enable " : "disable ") + name + ": " + e, e);
    }
    post(enable ? PluginEvents.ENABLED : PluginEvents.DISABLED, s.descriptor(), null);
    return enable ? start(name) : stop(name);
  }

  @Override
  public void uninstall(String name) throws ExternalPluginException {
    Supervisor s = find(name);
    if (s.descriptor().isInstance()) {
      throw new ExternalPluginException(name + " is an instance of the factory " + name.substring(0, name.indexOf('~'))
          + ": delete its configuration " + s.pid() + " to remove it (in deploy/, the file of that configuration)");
    }
    s.stop();
    supervisors.remove(name);
    forget(s, true);
    revokeGrants(name);
    try {
      FileTrees.delete(store.resolve(name));
      Files.deleteIfExists(store.resolve(name + ".disabled"));
      FileTrees.delete(work.resolve(name));
    } catch (IOException e) {
      throw new ExternalPluginException("Cannot delete the files of " + name + ": " + e, e);
    }
    post(PluginEvents.UNINSTALLED, s.descriptor(), null);
  }

  private void post(String topic, PluginDescriptor d, String reason) {
    EventAdmin ea = events;
    if (ea == null) {
      return;
    }
    Map<String, Object> props = new HashMap<>();
    props.put(PluginEvents.PLUGIN_ID, d.name());
    props.put(PluginEvents.PLUGIN_VERSION, d.version());
    props.put(KIND, EXTERNAL);
    if (reason != null) {
      props.put(PluginEvents.REASON, reason);
    }
    ea.postEvent(new Event(topic, props));
  }

}
