package io.dockevos.external.internal;

import io.dockevos.action.Action;
import io.dockevos.action.ActionContext;
import io.dockevos.docker.DockerEngine;
import io.dockevos.docker.DockerException;
import io.dockevos.docker.EngineStatus;
import io.dockevos.external.ExternalPlugin;
import io.dockevos.external.ExternalPlugin.State;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs one external plugin and keeps it running: starts its process, does the MCP handshake with
 * the SDK's client, registers its tools as actions, pings it, and when it ends or stops answering
 * restarts it after a backoff (exponential with jitter, from {@code initialBackoff} to
 * {@code maxBackoff}, reset once it ran {@code healthyAfter}). After {@code maxFailures} failures
 * within {@code window} (the circuit breaker) it is FAILED, with an incident. Each start is a
 * generation: whatever an earlier one reports late is ignored.
 */
final class Supervisor {
  /** How long a stopped plugin has between SIGTERM and SIGKILL. */
  static final Duration GRACE = Duration.ofSeconds(5);
  /** What the supervisor tells its owner: events and incidents. */
  interface Host {
    void changed(Supervisor s, String topic, String reason);

    void failed(Supervisor s, boolean circuitOpen, String reason);

    /** @return Event Admin, or null while there is none */
    org.osgi.service.event.EventAdmin events();

    /** A container plugin waits, DOWN, for its container engine: an incident. */
    void waiting(Supervisor s, String reason);

    /** @return the descriptor as the plugin runs now: with those of its permissions that are granted */
    PluginDescriptor granted(PluginDescriptor declared);

    /** Waits, a few seconds at most, for the MCP client's classes to be loaded ({@link Warmup}). */
    default void warm() {}

    /** @return the hardware analyzer, which checks the versions of {@code requires}; null without it */
    default io.dockevos.hardware.HardwareAnalyzer hardware() {
      return null;
    }
  }

  /** The prefix of a plugin's configuration PID: {@code dockevos.external.NAME}. */
  static final String PID_PREFIX = "dockevos.external.";
  /** How long a start waits for Configuration Admin's first word on the plugin's configuration. */
  static final Duration CONFIG_WAIT = Duration.ofSeconds(3);

  /** As it runs: its permissions those of {@link #declared} that are granted, looked at each start. */
  private volatile PluginDescriptor d;
  /** As its plugin.yaml says. */
  private volatile PluginDescriptor declared;
  /** A new version on trial ({@link #candidate()}): checked, its tools not yet actions, not restarted when it fails. */
  private boolean candidate;
  private List<McpSchema.Tool> listedTools = List.of();
  private Map<String, ?> rawConfig = Map.of();
  private Path staging;

  /**
   * How long a container plugin waits for its engine before that is an incident: not at the
   * runtime's start, while the Docker manager starts or has not pinged its engine yet.
   */
  static final Duration DOWN_INCIDENT_AFTER = Duration.ofSeconds(5);
  /** How often a plugin that waits for its container engine looks whether it is UP. */
  static final Duration ENGINE_CHECK = Duration.ofSeconds(1);

  private final Path workDir;
  private final PluginProcess.Confinement confinement;
  private final McpJsonMapper json;
  private final BundleContext context;
  private final ScheduledExecutorService timer;
  private final ExecutorService workers;
  private final Host host;
  private final java.util.function.Supplier<DockerEngine> engine;
  private final Logger log;
  private final Deque<Instant> failures = new ArrayDeque<>();

  private State state = State.STOPPED;
  private boolean wanted;
  private long generation;
  private int restarts;
  private int consecutive;
  private int missedPings;
  private Instant startedAt;
  private Instant activeSince;
  private String reason;
  private List<String> tools = List.of();
  private PluginRun process;
  private McpAsyncClient client;
  private final List<ServiceRegistration<Action>> actions = new ArrayList<>();
  private ScheduledFuture<?> health;
  private ScheduledFuture<?> pending;
  private final ConfigSchema schema;
  private final java.util.concurrent.CountDownLatch configured = new java.util.concurrent.CountDownLatch(1);
  private volatile Map<String, Object> config;
  private volatile String configProblem;
  private volatile String configPid;
  private DockevosExtension extension;
  /** Since when it waits for its container engine, and whether that incident was reported. */
  private Instant downSince;
  private boolean downReported;

  Supervisor(PluginDescriptor d, Path workDir, PluginProcess.Confinement confinement, McpJsonMapper json,
      BundleContext context, ScheduledExecutorService timer, ExecutorService workers, Host host,
      java.util.function.Supplier<DockerEngine> engine) {
    this.declared = d;
    this.d = host.granted(d);
    this.workDir = workDir;
    this.confinement = confinement;
    this.json = json;
    this.context = context;
    this.timer = timer;
    this.workers = workers;
    this.host = host;
    this.engine = engine;
    this.log = LoggerFactory.getLogger(d.name());
    this.configPid = pid(d.name());
    this.schema = new ConfigSchema(d.config());
    ConfigSchema.Result defaults = schema.defaults();
    this.config = defaults.config();
    this.configProblem = defaults.valid() ? null : "its defaults: " + String.join("; ", defaults.errors());
  }

  /** @return its configuration PID: {@code dockevos.external.NAME}, or of an instance of a factory, its factory configuration's */
  String pid() {
    return configPid;
  }

  /** The PID of the factory configuration of an instance. */
  void configPid(String factoryConfigurationPid) {
    this.configPid = factoryConfigurationPid;
  }

  /**
   * @return the configuration PID of a plugin: {@code dockevos.external.} and its name, each
   *     {@code -} a {@code .} (a {@code -} in the name of a deploy/ file starts a factory
   *     configuration's name; a plugin's name has no {@code .}, so no two names get one PID)
   */
  static String pid(String name) {
    return PID_PREFIX + name.replace('-', '.');
  }

  /** @return its configuration, as the plugin has it (the last valid one) */
  Map<String, Object> config() {
    return config;
  }

  /** @return why its configuration was last refused, or null */
  String configProblem() {
    return configProblem;
  }

  /**
   * Configuration Admin's configuration of it changed (null: there is none): checked against
   * {@code config} of plugin.yaml, and sent to the plugin when valid; when not, the plugin keeps
   * its last valid configuration and the log says why.
   */
  void configure(Map<String, ?> properties) {
    ConfigSchema.Result r = schema.apply(properties == null ? Map.of() : properties);
    DockevosExtension ext;
    if (!r.valid()) {
      configProblem = "the configuration " + pid() + " is refused: " + String.join("; ", r.errors())
          + " (config of " + d.file() + "); the plugin keeps its last valid configuration";
      log.error("{}", configProblem);
      configured.countDown();
      return;
    }
    boolean changed = !r.config().equals(config);
    rawConfig = properties == null ? Map.of() : Map.copyOf(properties);
    config = r.config();
    configProblem = null;
    configured.countDown();
    synchronized (this) {
      ext = state == State.ACTIVE ? extension : null;
    }
    if (changed) {
      log.info("configuration {}: {}", pid(), r.config());
      if (ext != null) {
        ext.config(r.config());
      }
    }
  }

  /** @return the topics it subscribed to */
  synchronized java.util.Set<String> subscriptions() {
    return extension == null ? java.util.Set.of() : extension.subscriptions();
  }

  /** @return the descriptor as its plugin.yaml says, all the permissions it asks for */
  PluginDescriptor declared() {
    return declared;
  }

  PluginDescriptor descriptor() {
    return d;
  }

  synchronized ExternalPlugin info(boolean enabled) {
    long pid = process != null && process.alive() ? process.pid() : -1;
    return new ExternalPlugin(d.name(), d.version(), d.description(), d.runtime(), state, enabled, pid, restarts,
        process != null && process.alive() ? startedAt : null, tools, reason, (container() ? PluginContainer.limits(d, workDir)
        : PluginProcess.limits(d, confinement)) + RequiredTools.note(d, host.hardware() != null), d.dir().toString());
  }

  private synchronized Instant startedAt() {
    return startedAt == null ? Instant.now() : startedAt;
  }

  synchronized State state() {
    return state;
  }

  /** Starts it (again): the circuit breaker and the backoff start from zero. */
  synchronized void start() {
    if (d.factory() && !d.isInstance()) {
      return; // a factory runs its instances only
    }
    if (wanted && state != State.FAILED && state != State.STOPPED) {
      return;
    }
    wanted = true;
    downReported = false;
    failures.clear();
    consecutive = 0;
    restarts = 0;
    reason = null;
    launch();
  }

  private synchronized void launch() {
    long gen = ++generation;
    state = State.STARTING;
    pending = null;
    workers.execute(() -> run(gen));
  }

  /** One start: process, handshake, tools; blocking, on a worker thread. */
  private void run(long gen) {
    String unmet = RequiredTools.unmet(d, host.hardware(), host.events());
    if (unmet != null) {
      failed(gen, unmet, false, true);
      return;
    }
    try {
      configured.await(CONFIG_WAIT.toMillis(), TimeUnit.MILLISECONDS); // its configuration, before its first start
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    host.warm(); // its start then pays for its program only
    d = host.granted(declared); // a permission revoked since the last start is gone now
    StdioTransport transport = new StdioTransport(json, log);
    DockevosExtension ext = new DockevosExtension(d, transport, context, host::events, workers, log);
    transport.requests(ext);
    Instant begin = Instant.now();
    PluginRun p;
    if (container()) {
      DockerEngine e = engine.get();
      String down = engineDown(e);
      if (down != null) {
        waitForEngine(gen, down);
        return;
      }
      try {
        p = PluginContainer.start(e, d, workDir, log, transport::received);
      } catch (IOException x) {
        failed(gen, "its data folder " + workDir + " cannot be made: " + x.getMessage(), false);
        return;
      } catch (DockerException x) {
        down = engineDown(e);
        if (down != null) {
          waitForEngine(gen, down);
        } else {
          boolean noImage = x.getMessage().startsWith("No such image");
          failed(gen, "its container cannot be started: " + x.getMessage() + (noImage ? "; then external:start "
              + d.name() : ""), false, noImage);
        }
        return;
      }
    } else {
      try {
        p = PluginProcess.start(d, workDir, confinement, log, transport::received);
      } catch (IOException e) {
        failed(gen, "its command " + d.command() + " cannot be started: " + e.getMessage(), false);
        return;
      }
    }
    transport.attach(p);
    synchronized (this) {
      if (gen != generation) {
        workers.execute(() -> p.stop(GRACE));
        return;
      }
      process = p;
      startedAt = container() ? begin : Instant.now(); // a container's start counts from its creation
      missedPings = 0;
    }
    p.exited().thenAccept(code -> {
      List<String> tail = p.tail();
      failed(gen, (container() ? "its container" : "its process") + " ended with exit status " + code + (tail.isEmpty() ? ""
          : "; its last words on stderr: " + String.join(" | ", tail)), code == 0);
    });
    Duration startTimeout = d.health().startTimeout();
    McpAsyncClient c = McpClient.async(transport).requestTimeout(Duration.ofMinutes(10))
        .initializationTimeout(startTimeout).clientInfo(new McpSchema.Implementation("dockevOS", "0.1"))
        .capabilities(McpSchema.ClientCapabilities.builder().experimental(DockevosExtension.offer(d, pid())).build())
        .loggingConsumer(n -> {
          logged(n);
          return Mono.empty();
        }).build();
    List<McpSchema.Tool> listed;
    Map<String, Object> pushed = null;
    try {
      c.initialize().block(startTimeout.plusMillis(500));
      ext.negotiated(c.getServerCapabilities() == null ? null : c.getServerCapabilities().experimental());
      pushed = config;
      ext.config(pushed);
      listed = c.listTools().block(d.health().timeout()).tools();
      if (candidate()) {
        c.ping().block(d.health().timeout()); // a new version on trial answers a ping too
      }
    } catch (RuntimeException e) {
      c.close();
      ext.close();
      boolean timedOut = e instanceof IllegalStateException && e.getMessage() != null
          && e.getMessage().contains("Timeout") || e.getCause() instanceof TimeoutException;
      failed(gen, timedOut ? "it did not answer initialize within " + millis(startTimeout)
          : "the MCP handshake failed: " + message(e), false);
      return;
    }
    synchronized (this) {
      if (gen != generation) {
        c.close();
        ext.close();
        return;
      }
      client = c;
      extension = ext;
      if (pushed != config) {
        ext.config(config); // it changed during the handshake
      }
      tools = listed.stream().map(McpSchema.Tool::name).toList();
      listedTools = listed;
      state = State.ACTIVE;
      activeSince = Instant.now();
      if (candidate) {
        log.info("version {} on trial answers (pid {}): initialize, tools/list and ping", d.version(), p.pid());
        return;
      }
      serve(gen);
    }
    log.info("started ({} {}) in {} ms with {} tools: {}", container() ? "container " + ((PluginContainer) p).id().substring(0, 12) + ", pid" : "pid", p.pid(),
        Duration.between(startedAt(), Instant.now()).toMillis(), listed.size(), tools);
    host.changed(this, io.dockevos.plugin.PluginEvents.STARTED, null);
  }

  /** Its tools become actions and its pings start. */
  private void serve(long gen) {
    for (McpSchema.Tool t : listedTools) {
      register(t);
    }
    Duration every = d.health().interval();
    health = timer.scheduleWithFixedDelay(() -> ping(gen), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** @return whether it is a new version on trial */
  synchronized boolean candidate() {
    return candidate;
  }

  /** Makes it a new version on trial: started beside the old one, its tools kept back until {@link #promote}. */
  synchronized void trial(Map<String, ?> properties) {
    candidate = true;
    configure(properties);
  }

  /** @return the configuration's properties as Configuration Admin last gave them (the valid ones) */
  Map<String, ?> rawConfig() {
    return rawConfig;
  }

  /**
   * The version on trial takes over: its tools become the actions and its pings start. From now on
   * it runs from {@code installed} (its files' final place); {@code staging}, where this process
   * started from, is deleted once it ends.
   */
  synchronized void promote(PluginDescriptor installed, Path staging) {
    this.declared = installed;
    this.d = host.granted(installed);
    this.staging = staging;
    candidate = false;
    if (state == State.ACTIVE) {
      serve(generation);
    }
  }

  private void logged(McpSchema.LoggingMessageNotification n) {
    String text = (n.logger() == null ? "" : n.logger() + ": ") + n.data();
    switch (n.level()) {
      case DEBUG -> log.debug("{}", text);
      case INFO, NOTICE -> log.info("{}", text);
      case WARNING -> log.warn("{}", text);
      default -> log.error("{}", text);
    }
  }

  private void ping(long gen) {
    McpAsyncClient c;
    synchronized (this) {
      if (gen != generation || state != State.ACTIVE) {
        return;
      }
      c = client;
    }
    Duration timeout = d.health().timeout();
    c.ping().timeout(timeout).subscribe(ok -> {
      synchronized (this) {
        missedPings = 0;
      }
    }, e -> {
      int missed;
      synchronized (this) {
        missed = ++missedPings;
      }
      log.warn("did not answer a ping within {} ({} in a row)", millis(timeout), missed);
      if (missed >= d.health().failureThreshold()) {
        failed(gen, "it did not answer " + missed + " pings in a row within " + millis(timeout), false);
      }
    });
  }

  private void register(McpSchema.Tool t) {
    String name = t.name().replaceAll("[^A-Za-z0-9_-]", "_");
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(Action.NAME, name);
    props.put(Action.DESCRIPTION, t.description() == null ? "" : t.description().lines().findFirst().orElse(""));
    try {
      props.put(Action.SCHEMA, t.inputSchema() == null ? "{\"type\":\"object\"}" : json.writeValueAsString(t.inputSchema()));
    } catch (IOException e) {
      props.put(Action.SCHEMA, "{\"type\":\"object\"}");
    }
    props.put(Action.SCOPE, d.name());
    props.put(Action.PLUGIN, d.name());
    String tool = t.name();
    actions.add(context.registerService(Action.class, (input, ctx) -> call(tool, input, ctx), props));
  }

  /** A tool call, from the action runtime's thread. */
  private Object call(String tool, Map<String, Object> input, ActionContext ctx) throws Exception {
    McpAsyncClient c;
    synchronized (this) {
      c = client;
      if (c == null || state != State.ACTIVE) {
        throw new IllegalStateException(d.name() + " is " + state + (reason == null ? "" : ": " + reason));
      }
    }
    McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest(tool, input)).block();
    StringBuilder text = new StringBuilder();
    if (r.content() != null) {
      for (McpSchema.Content content : r.content()) {
        if (content instanceof McpSchema.TextContent tc) {
          text.append(text.length() == 0 ? "" : "\n").append(tc.text());
        }
      }
    }
    if (Boolean.TRUE.equals(r.isError())) {
      throw new Exception(d.name() + ":" + tool + " says: " + text);
    }
    return r.structuredContent() != null ? r.structuredContent() : text.toString();
  }

  /**
   * Its process ended, its handshake failed, or it stopped answering: restart it after the backoff,
   * or open the circuit. Only the first report of a generation counts.
   */
  private void failed(long gen, String why, boolean cleanExit) {
    failed(gen, why, cleanExit, false);
  }

  /** @param fatal whether no restart can help (a tool it requires is missing): FAILED at once */
  private void failed(long gen, String why, boolean cleanExit, boolean fatal) {
    PluginRun p;
    Duration delay = null;
    boolean open = false;
    synchronized (this) {
      if (gen != generation || !wanted) {
        return;
      }
      generation++;
      p = process;
      teardown();
      reason = why;
      Instant now = Instant.now();
      if (activeSince != null && Duration.between(activeSince, now).compareTo(d.restart().healthyAfter()) >= 0) {
        consecutive = 0;
      }
      activeSince = null;
      String policy = d.restart().policy();
      if (cleanExit && !policy.equals("always") || policy.equals("never") || fatal || candidate) {
        state = cleanExit ? State.STOPPED : State.FAILED; // restart.policy says not to restart
        wanted = false;
      } else {
        failures.addLast(now);
        while (!failures.isEmpty() && failures.peekFirst().isBefore(now.minus(d.restart().window()))) {
          failures.removeFirst();
        }
        if (failures.size() >= d.restart().maxFailures()) {
          state = State.FAILED;
          wanted = false;
          open = true;
          reason = "it failed " + failures.size() + " times within " + millis(d.restart().window())
              + " (restart.maxFailures " + d.restart().maxFailures() + "); the last time: " + why;
        } else {
          long jittered = backoff(d.restart().initialBackoff(), d.restart().maxBackoff(), consecutive,
              ThreadLocalRandom.current().nextDouble()).toMillis();
          delay = Duration.ofMillis(jittered);
          consecutive++;
          restarts++;
          state = State.RESTARTING;
          long next = generation;
          pending = timer.schedule(() -> restart(next), jittered, TimeUnit.MILLISECONDS);
        }
      }
    }
    if (p != null) {
      workers.execute(() -> p.stop(Duration.ofSeconds(1)));
    }
    if (delay != null) {
      log.warn("failed: {}; restart {} in {}", why, restarts, millis(delay));
    } else {
      log.warn("{}: {}", state, reason);
    }
    host.failed(this, open, open || state == State.FAILED ? reason : why);
  }

  /**
   * @param failures the failures in a row so far (0 for the first)
   * @param random 0 to 1: the jitter, -20% to +20%
   * @return {@code initial} doubled for each failure, at most {@code max}, with the jitter (still at most {@code max})
   */
  static Duration backoff(Duration initial, Duration max, int failures, double random) {
    long base = initial.toMillis() << Math.min(20, failures);
    long capped = Math.min(max.toMillis(), base);
    return Duration.ofMillis(Math.min(max.toMillis(), (long) (capped * (0.8 + 0.4 * random))));
  }

  private boolean container() {
    return "container".equals(d.runtime());
  }

  /**
   * Its container engine goes away (the Docker manager stops): its container is stopped and removed
   * while the engine still answers, and it waits, DOWN, for an engine again.
   *
   * @param report whether that is an incident (not when the runtime stops)
   */
  void engineGone(boolean report) {
    PluginRun p;
    long gen;
    synchronized (this) {
      if (!container() || !wanted) {
        return;
      }
      gen = ++generation;
      p = process;
      teardown();
    }
    if (p != null) {
      int code = p.stop(GRACE);
      log.info("stopped (exit status {}): the container engine goes away", code);
    }
    synchronized (this) {
      if (gen != generation || !wanted) {
        return;
      }
      if (!report) {
        state = State.DOWN; // the runtime stops
        reason = "the Docker manager stopped";
        return;
      }
    }
    waitForEngine(gen, "the Docker manager stopped (feature dockevos-docker)");
  }

  /** @return why the container engine cannot run it now, or {@code null} when it is UP */
  private static String engineDown(DockerEngine e) {
    if (e == null) {
      return "there is no container engine: the Docker manager is not installed (feature:install dockevos-docker)";
    }
    EngineStatus s = e.status();
    return s.up() ? null : "the container engine at " + s.endpoint() + " is DOWN (" + s.reason() + ")";
  }

  /**
   * Its container engine is missing or DOWN: it waits, DOWN, and starts once the engine is UP. It
   * never runs as a plain process instead. Not a failure: no restart is counted. The incident is
   * reported once a wait, once it waited {@link #DOWN_INCIDENT_AFTER} (not at the runtime's start,
   * while the Docker manager starts or has not pinged its engine yet).
   */
  private void waitForEngine(long gen, String why) {
    boolean report;
    synchronized (this) {
      if (gen != generation || !wanted) {
        return;
      }
      if (state != State.DOWN) {
        downSince = Instant.now();
        log.info("waits for its container engine: {}", why);
      }
      report = !downReported && Duration.between(downSince, Instant.now()).compareTo(DOWN_INCIDENT_AFTER) >= 0;
      downReported |= report;
      state = State.DOWN;
      reason = why + "; it starts once the engine is UP";
      try {
        pending = timer.schedule(() -> engineCheck(gen), ENGINE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        return; // the runtime stops
      }
    }
    if (report) {
      log.warn("waits for its container engine: {}", why);
      host.waiting(this, reason);
    }
  }

  private void engineCheck(long gen) {
    String down = engineDown(engine.get());
    synchronized (this) {
      if (gen != generation || !wanted || state != State.DOWN) {
        return;
      }
      if (down == null) {
        downReported = false;
        log.info("its container engine is UP: starting");
        launch();
        return;
      }
    }
    waitForEngine(gen, down);
  }

  private synchronized void restart(long gen) {
    if (gen == generation && wanted && state == State.RESTARTING) {
      launch();
    }
  }

  /** Unregisters its tools and stops its pings; the caller stops the process. */
  private void teardown() {
    for (ServiceRegistration<Action> r : actions) {
      try {
        r.unregister();
      } catch (IllegalStateException gone) {
        // the bundle is stopping
      }
    }
    actions.clear();
    if (health != null) {
      health.cancel(false);
      health = null;
    }
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
    if (extension != null) {
      extension.close();
      extension = null;
    }
    if (staging != null) {
      Path gone = staging;
      staging = null;
      workers.execute(() -> {
        try {
          io.dockevos.common.internal.FileTrees.delete(gone);
        } catch (IOException e) {
          log.warn("cannot delete {}: {}", gone, e.toString());
        }
      });
    }
    McpAsyncClient c = client;
    client = null;
    if (c != null) {
      workers.execute(c::close);
    }
    process = null;
  }

  /** Stops it and waits for its process to end: SIGTERM, then SIGKILL after {@link #GRACE}. */
  void stop() {
    PluginRun p;
    synchronized (this) {
      wanted = false;
      generation++;
      p = process;
      teardown();
      state = State.STOPPED;
      reason = null;
    }
    if (p != null) {
      int code = p.stop(GRACE);
      log.info("stopped (exit status {})", code);
    }
  }

  static String millis(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
