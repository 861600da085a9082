package io.dockevos.docker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.WaitContainerCondition;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.dockevos.docker.ContainerDetails;
import io.dockevos.docker.ContainerInfo;
import io.dockevos.docker.ContainerSpec;
import io.dockevos.docker.DockerEngine;
import io.dockevos.docker.DockerEvents;
import io.dockevos.docker.DockerException;
import io.dockevos.docker.EngineStatus;
import io.dockevos.docker.ExecResult;
import io.dockevos.docker.ImageInfo;
import io.dockevos.docker.OutputListener;
import io.dockevos.docker.PullListener;
import io.dockevos.docker.Stats;
import io.dockevos.runner.Runner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DockerEngine} service over docker-java. It pings the engine (with backoff while it
 * does not answer), publishes {@code engine/UP} and {@code engine/DOWN}, registers the container
 * {@link Runner} only while the engine is UP, and turns the engine's {@code die} events into
 * {@code container/DIED}.
 */
@Component(service = DockerEngine.class, configurationPid = DockerEngineImpl.PID, immediate = true)
@Designate(ocd = DockerEngineImpl.Config.class)
public final class DockerEngineImpl implements DockerEngine {
  static final String PID = "dockevos.docker";
  /** The label on the containers of the container Runner: their deaths are the job's, not an incident. */
  static final String RUNNER_LABEL = "io.dockevos.runner";

  @ObjectClassDefinition(name = "dockevOS Docker engine", description = "Where the container engine is, and how it is watched")
  public @interface Config {
    @AttributeDefinition(name = "docker.host", description = "unix:///PATH or tcp://HOST:PORT; empty: the environment's DOCKER_HOST, else unix:///var/run/docker.sock")
    String docker_host() default "";

    @AttributeDefinition(name = "docker.tls.verify", description = "TCP with TLS, client certificates from docker.cert.path")
    boolean docker_tls_verify() default false;

    @AttributeDefinition(name = "docker.cert.path", description = "The folder with ca.pem, cert.pem and key.pem")
    String docker_cert_path() default "";

    @AttributeDefinition(name = "ping.interval.ms", description = "How often an engine that is UP is pinged")
    long ping_interval_ms() default 2000;

    @AttributeDefinition(name = "ping.backoff.max.ms", description = "The longest wait between pings of an engine that is DOWN (from 250 ms, doubled each time)")
    long ping_backoff_max_ms() default 5000;

    @AttributeDefinition(name = "runner.image", description = "The image of a container job that names none")
    String runner_image() default "busybox:latest";
  }

  private static final Logger LOG = LoggerFactory.getLogger(DockerEngineImpl.class);
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One client for one set of options. */
  private record Connection(DockerOptions options, DockerClient client, DockerHttpClient http) {
    void close() {
      LinePump.closeQuietly(client);
    }
  }

  private final BundleContext context;
  private final EventAdmin events;
  private final ScheduledExecutorService watcher;
  /** Containers that dockevOS itself stops, kills or removes: their exit is not a death. */
  private final Set<String> expectedExits = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private final Images images = new Images(this);
  private volatile Connection connection;
  private volatile Config config;
  private volatile EngineStatus status;
  private volatile Backoff backoff;
  private ServiceRegistration<Runner> runner;
  private ResultCallback.Adapter<Event> dieEvents;
  private volatile boolean closed;
  private long generation;

  @Activate
  public DockerEngineImpl(BundleContext context, @Reference EventAdmin events, Config config) {
    this.context = context;
    this.events = events;
    this.config = config;
    this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dockevos-docker-watch");
      t.setDaemon(true);
      return t;
    });
    connect(options(config));
  }

  private static DockerOptions options(Config config) {
    try {
      return DockerOptions.of(config, System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("configuration {}: {}; using {}", PID, e.getMessage(), DockerOptions.DEFAULT_HOST);
      return new DockerOptions(DockerOptions.DEFAULT_HOST, false, "");
    }
  }

  @Modified
  void modified(Config config) {
    this.config = config;
    DockerOptions options = options(config);
    Connection c = connection;
    if (c != null && c.options().equals(options)) {
      LOG.info("configuration {} changed, the endpoint {} did not: no reconnect", PID, options.host());
      return;
    }
    LOG.info("the engine endpoint changed to {}: reconnecting", options.host());
    connect(options);
  }

  /** How often the client was rebuilt: a configuration change that keeps the endpoint does not rebuild it. */
  long connections() {
    synchronized (lock) {
      return generation;
    }
  }

  private void connect(DockerOptions options) {
    Connection old;
    long gen;
    synchronized (lock) {
      old = connection;
      connection = open(options);
      gen = ++generation;
      backoff = new Backoff(Duration.ofMillis(250), Duration.ofMillis(Math.max(250, config.ping_backoff_max_ms())));
      if (status == null) {
        status = new EngineStatus(options.host(), false, "", "", "not checked yet", Instant.now());
      }
    }
    if (old != null) {
      markDown(old.options(), "the endpoint changed to " + options.host());
      old.close();
    }
    watcher.execute(() -> check(gen));
  }

  private static Connection open(DockerOptions options) {
    DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(options.host()).withDockerTlsVerify(options.tlsVerify());
    if (!options.certPath().isEmpty()) {
      b.withDockerCertPath(options.certPath());
    }
    DockerClientConfig cfg = b.build();
    DockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(cfg.getDockerHost())
        .sslConfig(cfg.getSSLConfig()).maxConnections(50).connectionTimeout(Duration.ofSeconds(3)).build();
    return new Connection(options, DockerClientImpl.getInstance(cfg, http), http);
  }

  /** One ping; schedules the next, sooner while the engine is DOWN (with backoff). */
  private void check(long gen) {
    if (closed) {
      return;
    }
    Connection c = connection;
    synchronized (lock) {
      if (gen != generation) {
        return; // a newer connection has its own check
      }
    }
    long delay;
    try {
      Path socket = c.options().socket();
      if (socket != null && !Files.exists(socket)) {
        // Not through the HTTP client: its retry logs a line at INFO for each failed ping.
        throw new IllegalStateException(new java.nio.file.NoSuchFileException(socket.toString()));
      }
      c.client().pingCmd().exec();
      if (!status.up() || !status.endpoint().equals(c.options().host())) {
        Version v = c.client().versionCmd().exec();
        markUp(c, v);
      }
      backoff.reset();
      delay = Math.max(100, config.ping_interval_ms());
    } catch (RuntimeException e) {
      markDown(c.options(), "no answer from " + c.options().host() + ": " + Errors.cause(e));
      delay = backoff.next().toMillis();
    }
    if (!closed) {
      try {
        watcher.schedule(() -> check(gen), delay, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
        // deactivated meanwhile
      }
    }
  }

  /** Asks for an immediate ping, after a request failed to reach the engine. */
  private void recheck() {
    long gen;
    synchronized (lock) {
      gen = generation;
    }
    try {
      watcher.execute(() -> check(gen));
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // deactivated
    }
  }

  private void markUp(Connection c, Version v) {
    synchronized (lock) {
      if (closed || connection != c) {
        return;
      }
      status = new EngineStatus(c.options().host(), true, v.getVersion(), v.getApiVersion(), "", Instant.now());
      if (runner == null) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Runner.KIND, ContainerRunner.KIND);
        props.put(Constants.SERVICE_RANKING, Runner.RANKING_CONTAINER);
        props.put(DockerEvents.ENDPOINT, c.options().host());
        runner = context.registerService(Runner.class, new ContainerRunner(this, () -> config.runner_image()), props);
      }
      watchDeaths(c);
    }
    LOG.info("the container engine at {} is UP: version {}, API {}", c.options().host(), v.getVersion(), v.getApiVersion());
    post(DockerEvents.ENGINE_UP, Map.of(DockerEvents.ENDPOINT, c.options().host(), DockerEvents.VERSION, v.getVersion()));
  }

  private void markDown(DockerOptions options, String reason) {
    boolean wasUp;
    synchronized (lock) {
      wasUp = status.up() && status.endpoint().equals(options.host());
      boolean first = !status.up() && "not checked yet".equals(status.reason());
      if (!wasUp && !first && status.endpoint().equals(connection.options().host()) && status.reason().equals(reason)) {
        return;
      }
      status = new EngineStatus(connection.options().host(), false, "", "", reason, Instant.now());
      if (runner != null) {
        try {
          runner.unregister();
        } catch (IllegalStateException gone) {
          // the bundle is stopping
        }
        runner = null;
      }
      if (dieEvents != null) {
        LinePump.closeQuietly(dieEvents);
        dieEvents = null;
      }
      if (!wasUp && !first) {
        return;
      }
    }
    if (wasUp) {
      LOG.warn("the container engine at {} is DOWN: {}", options.host(), reason);
    } else {
      LOG.info("the container engine at {} is DOWN: {}", options.host(), reason);
    }
    post(DockerEvents.ENGINE_DOWN, Map.of(DockerEvents.ENDPOINT, options.host(), DockerEvents.REASON, reason));
  }

  /** Subscribes to the engine's {@code die} events; called with the lock held. */
  private void watchDeaths(Connection c) {
    if (dieEvents != null) {
      return;
    }
    // Every container event, and "die" picked here: Podman's compat API filters the die event by
    // its own name ("died"), Docker's by "die"; both report it as "die".
    dieEvents = c.client().eventsCmd().withEventTypeFilter(EventType.CONTAINER)
        .exec(new ResultCallback.Adapter<Event>() {
          @Override
          public void onNext(Event e) {
            if ("die".equals(e.getAction()) || "die".equals(e.getStatus())) {
              died(e);
            }
          }

          @Override
          public void onError(Throwable t) {
            LOG.debug("the engine's event stream ended: {}", Errors.cause(t));
            synchronized (lock) {
              if (dieEvents == this) {
                dieEvents = null;
              }
            }
            recheck();
          }
        });
  }

  private void died(Event e) {
    String id = e.getId() != null ? e.getId() : e.getActor() == null ? "" : e.getActor().getId();
    Map<String, String> attrs = e.getActor() == null || e.getActor().getAttributes() == null ? Map.of()
        : e.getActor().getAttributes();
    if (id == null || expectedExits.remove(id) || attrs.containsKey(RUNNER_LABEL)) {
      return;
    }
    String code = attrs.getOrDefault("exitCode", attrs.getOrDefault("containerExitCode", "-1"));
    int exit;
    try {
      exit = Integer.parseInt(code);
    } catch (NumberFormatException ex) {
      exit = -1;
    }
    if (exit == 0) {
      return; // it ended by itself, as it should
    }
    String name = attrs.getOrDefault("name", "");
    String image = attrs.getOrDefault("image", e.getFrom() == null ? "" : e.getFrom());
    String reason = "container " + name + " (" + image + ") exited with code " + exit;
    LOG.warn("{}", reason);
    Map<String, Object> props = new HashMap<>();
    props.put(DockerEvents.CONTAINER_ID, id);
    props.put(DockerEvents.CONTAINER_NAME, name);
    props.put(DockerEvents.IMAGE, image);
    props.put(DockerEvents.EXIT_CODE, exit);
    props.put(DockerEvents.REASON, reason);
    props.put(DockerEvents.ENDPOINT, connection.options().host());
    post(DockerEvents.CONTAINER_DIED, props);
  }

  private void post(String topic, Map<String, ?> props) {
    try {
      events.postEvent(new org.osgi.service.event.Event(topic, props));
    } catch (RuntimeException e) {
      LOG.debug("could not post {}: {}", topic, e.toString());
    }
  }

  @Deactivate
  void close() {
    closed = true;
    watcher.shutdownNow();
    synchronized (lock) {
      if (runner != null) {
        try {
          runner.unregister();
        } catch (IllegalStateException gone) {
          // stopping
        }
        runner = null;
      }
      if (dieEvents != null) {
        LinePump.closeQuietly(dieEvents);
        dieEvents = null;
      }
    }
    Connection c = connection;
    if (c != null) {
      c.close();
    }
  }

  // ---- requests -------------------------------------------------------------------------------

  /** Runs a request, and says in plain words why it failed. */
  <T> T call(String what, String subjectKind, String subject, Supplier<T> request) {
    Connection c = connection;
    try {
      return request.get();
    } catch (NotFoundException e) {
      String m = Errors.engineMessage(e);
      if (subjectKind != null) {
        String hint = subjectKind.equals("image") ? " (docker:images lists the images; docker:load, docker:import or docker:pull add one)"
            : " (docker:ps -a lists the containers)";
        throw new DockerException("No such " + subjectKind + ": " + subject + hint, e);
      }
      throw new DockerException("Cannot " + what + ": " + m, e);
    } catch (com.github.dockerjava.api.exception.DockerException e) {
      throw new DockerException("Cannot " + what + ": " + Errors.engineMessage(e), e);
    } catch (DockerException e) {
      throw e;
    } catch (RuntimeException e) {
      if (Errors.unreachable(e)) {
        recheck();
        throw new DockerException(unreachable(c.options(), e), e);
      }
      throw new DockerException("Cannot " + what + ": " + Errors.engineMessage(e), e);
    }
  }

  static String unreachable(DockerOptions options, Throwable e) {
    return "The container engine at " + options.host() + " cannot be reached (" + Errors.cause(e) + "). Start it (a Docker"
        + " daemon, or rootful Podman: .ci/engine.sh start in the source tree), or point dockevOS at it: docker.host in"
        + " etc/" + PID + ".cfg, or DOCKER_HOST in the environment of bin/dockevos.";
  }

  DockerClient client() {
    return connection.client();
  }

  /** The endpoint of the current connection. */
  DockerOptions options() {
    return connection.options();
  }

  /** The transport itself, for the requests that docker-java does not make right. */
  DockerHttpClient http() {
    return connection.http();
  }

  /** Fails fast, naming the endpoint, when the watcher knows the engine is DOWN. */
  void requireUp() {
    EngineStatus s = status;
    if (!s.up() && !"not checked yet".equals(s.reason())) {
      recheck();
      throw new DockerException("The container engine at " + s.endpoint() + " is DOWN (" + s.reason() + "). Start it (a"
          + " Docker daemon, or rootful Podman: .ci/engine.sh start in the source tree), or point dockevOS at it:"
          + " docker.host in etc/" + PID + ".cfg, or DOCKER_HOST in the environment of bin/dockevos.");
    }
  }

  @Override
  public EngineStatus status() {
    return status;
  }

  @Override
  public List<ContainerInfo> containers(boolean all, Map<String, List<String>> filters) {
    requireUp();
    List<Container> list = call("list the containers", null, null, () -> listWith(all, filters));
    List<ContainerInfo> out = new ArrayList<>();
    for (Container c : list) {
      String name = c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0].replaceFirst("^/", "");
      List<String> ports = new ArrayList<>();
      if (c.getPorts() != null) {
        for (ContainerPort p : c.getPorts()) {
          if (p.getPublicPort() != null) {
            ports.add(p.getIp() + ":" + p.getPublicPort() + "->" + p.getPrivatePort() + "/" + p.getType());
          }
        }
      }
      out.add(new ContainerInfo(c.getId(), name, c.getImage(), c.getState() == null ? "" : c.getState(),
          c.getStatus() == null ? "" : c.getStatus(), c.getLabels() == null ? Map.of() : c.getLabels(),
          c.getCreated() == null ? Instant.EPOCH : Instant.ofEpochSecond(c.getCreated()), ports));
    }
    return out;
  }

  private List<Container> listWith(boolean all, Map<String, List<String>> filters) {
    var cmd = client().listContainersCmd().withShowAll(all);
    for (Map.Entry<String, List<String>> f : filters.entrySet()) {
      cmd.withFilter(f.getKey(), f.getValue()); // label=KEY or label=KEY=VALUE, as the Engine API takes them
    }
    return cmd.exec();
  }

  @Override
  public String create(ContainerSpec spec) {
    return create(spec, cmd -> {});
  }

  /** Creates a container, with more settings of the request than the spec has. */
  String create(ContainerSpec spec, java.util.function.Consumer<CreateContainerCmd> more) {
    requireUp();
    return call("create a container from " + spec.image(), "image", spec.image(), () -> {
      CreateContainerCmd cmd = client().createContainerCmd(spec.image()).withHostConfig(SpecMapping.hostConfig(spec));
      more.accept(cmd);
      if (spec.name() != null) {
        cmd.withName(spec.name());
      }
      if (!spec.command().isEmpty()) {
        cmd.withCmd(spec.command());
      }
      if (!spec.env().isEmpty()) {
        cmd.withEnv(SpecMapping.env(spec));
      }
      if (!spec.labels().isEmpty()) {
        cmd.withLabels(spec.labels());
      }
      if (spec.user() != null) {
        cmd.withUser(spec.user());
      }
      if (spec.workDir() != null) {
        cmd.withWorkingDir(spec.workDir());
      }
      if (!spec.ports().isEmpty()) {
        cmd.withExposedPorts(spec.ports().stream().map(SpecMapping::exposed).toArray(ExposedPort[]::new));
      }
      return cmd.exec().getId();
    });
  }

  @Override
  public String run(ContainerSpec spec) {
    String id = create(spec);
    try {
      start(id);
    } catch (DockerException e) {
      removeQuietly(id);
      throw e;
    }
    return id;
  }

  @Override
  public io.dockevos.docker.AttachedContainer runAttached(ContainerSpec spec) {
    return Attachments.run(this, spec);
  }

  void removeQuietly(String id) {
    try {
      expectedExits.add(id);
      client().removeContainerCmd(id).withForce(true).exec();
    } catch (RuntimeException e) {
      LOG.debug("removing {}: {}", id, e.toString());
    }
  }

  @Override
  public void start(String container) {
    requireUp();
    call("start " + container, "container", container, () -> client().startContainerCmd(container).exec());
  }

  @Override
  public void stop(String container, Duration timeout) {
    requireUp();
    String id = idOf(container);
    expectedExits.add(id);
    call("stop " + container, "container", container,
        () -> client().stopContainerCmd(id).withTimeout((int) Math.max(0, timeout.toSeconds())).exec());
  }

  @Override
  public void restart(String container, Duration timeout) {
    requireUp();
    String id = idOf(container);
    expectedExits.add(id);
    call("restart " + container, "container", container,
        () -> client().restartContainerCmd(id).withTimeout((int) Math.max(0, timeout.toSeconds())).exec());
  }

  @Override
  public void kill(String container) {
    requireUp();
    call("kill " + container, "container", container, () -> client().killContainerCmd(container).exec());
  }

  @Override
  public void remove(String container, boolean force) {
    requireUp();
    String id = idOf(container);
    expectedExits.add(id);
    call("remove " + container, "container", container,
        () -> client().removeContainerCmd(id).withForce(force).withRemoveVolumes(true).exec());
  }

  private String idOf(String container) {
    return call("find " + container, "container", container, () -> client().inspectContainerCmd(container).exec().getId());
  }

  @Override
  public int waitFor(String container, Duration timeout) {
    requireUp();
    return call("wait for " + container, "container", container, () -> {
      WaitContainerResultCallback cb = client().waitContainerCmd(container).exec(new WaitContainerResultCallback());
      try {
        return cb.awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (com.github.dockerjava.api.exception.DockerClientException e) {
        throw new DockerException(container + " did not exit within " + timeout.toSeconds() + " s", e);
      } finally {
        LinePump.closeQuietly(cb);
      }
    });
  }

  /** The container's exit is not news (a job's container): no {@code container/DIED} for it. */
  void quiet(String id) {
    expectedExits.add(id);
  }

  /** Registers a watch for the next exit of a created container, before it starts. */
  ExitWatch watchNextExit(String id) {
    return client().waitContainerCmd(id).withCondition(WaitContainerCondition.NEXT_EXIT).exec(new ExitWatch());
  }

  @Override
  public void logs(String container, boolean follow, int tail, OutputListener listener) {
    requireUp();
    LinePump pump = call("read the output of " + container, "container", container, () -> {
      var cmd = client().logContainerCmd(container).withStdOut(true).withStdErr(true).withFollowStream(follow);
      if (tail >= 0) {
        cmd.withTail(tail);
      } else {
        cmd.withTailAll();
      }
      return cmd.exec(new LinePump());
    });
    // A followed stream ends with the container; the watch ends it when the engine does not. The
    // output so far comes at once: a stream that is not followed ends when it is quiet (Podman
    // sometimes keeps it open).
    ExitWatch exit = follow ? client().waitContainerCmd(container).exec(new ExitWatch()) : null;
    try {
      pump.drain(listener, () -> exit != null ? exit.exitedAWhileAgo() : pump.quietFor(ExitWatch.GRACE));
    } finally {
      if (exit != null) {
        LinePump.closeQuietly(exit);
      }
    }
    Throwable f = pump.failure();
    if (f != null && !Thread.currentThread().isInterrupted()) {
      call("read the output of " + container, "container", container, () -> {
        throw f instanceof RuntimeException r ? r : new RuntimeException(f);
      });
    }
  }

  /** Streams a container's output from its start on a docker-java thread into a pump. */
  LinePump follow(String id) {
    return client().logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).withTailAll()
        .exec(new LinePump());
  }

  @Override
  public ExecResult exec(String container, List<String> command, Duration timeout) {
    requireUp();
    if (command.isEmpty()) {
      throw new DockerException("exec needs a command");
    }
    return call("run " + String.join(" ", command) + " in " + container, "container", container, () -> {
      String exec = client().execCreateCmd(container).withCmd(command.toArray(String[]::new))
          .withAttachStdout(true).withAttachStderr(true).exec().getId();
      StringBuilder out = new StringBuilder();
      LinePump pump = client().execStartCmd(exec).exec(new LinePump());
      long deadline = System.nanoTime() + timeout.toNanos();
      boolean ended = pump.drain((line, error) -> out.append(line).append('\n'), () -> System.nanoTime() > deadline);
      if (!ended) {
        throw new DockerException(String.join(" ", command) + " in " + container + " did not end within "
            + timeout.toSeconds() + " s");
      }
      Long code = null;
      for (int i = 0; i < 50 && code == null; i++) {
        var inspect = client().inspectExecCmd(exec).exec();
        code = Boolean.TRUE.equals(inspect.isRunning()) ? null : inspect.getExitCodeLong();
        if (code == null) {
          sleep(20);
        }
      }
      return new ExecResult(code == null ? -1 : code.intValue(), out.toString());
    });
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Stats stats(String container) {
    requireUp();
    return call("read the figures of " + container, "container", container, () -> {
      var cb = client().statsCmd(container).withNoStream(true).exec(new ResultCallback.Adapter<Statistics>() {
        volatile Statistics first;

        @Override
        public void onNext(Statistics s) {
          if (first == null) {
            first = s;
          }
        }
      });
      try {
        cb.awaitCompletion(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Statistics s = cb.first;
      LinePump.closeQuietly(cb);
      if (s == null) {
        throw new DockerException("The engine gave no figures for " + container + " (is it running?)");
      }
      return StatsMath.of(container, s);
    });
  }

  @Override
  public ContainerDetails inspect(String container) {
    requireUp();
    return call("inspect " + container, "container", container, () -> {
      InspectContainerResponse r = client().inspectContainerCmd(container).exec();
      String json;
      try {
        json = JSON.writeValueAsString(r);
      } catch (IOException e) {
        json = r.toString();
      }
      var st = r.getState();
      return new ContainerDetails(r.getId(), r.getName() == null ? "" : r.getName().replaceFirst("^/", ""),
          r.getConfig() == null ? "" : r.getConfig().getImage(),
          st == null || st.getStatus() == null ? "" : st.getStatus(),
          st == null || st.getExitCodeLong() == null ? 0 : st.getExitCodeLong().intValue(),
          st == null || st.getStartedAt() == null ? "" : st.getStartedAt(),
          st == null || st.getFinishedAt() == null ? "" : st.getFinishedAt(),
          r.getRestartCount() == null ? 0 : r.getRestartCount(),
          r.getConfig() == null || r.getConfig().getLabels() == null ? Map.of() : r.getConfig().getLabels(), json);
    });
  }

  @Override
  public List<ImageInfo> images() {
    return images.list();
  }

  @Override
  public List<String> load(Path archive) {
    return images.load(archive);
  }

  @Override
  public String importImage(Path rootfsTar, String repoTag, List<String> command) {
    return images.importImage(rootfsTar, repoTag, command);
  }

  @Override
  public void removeImage(String image, boolean force) {
    images.remove(image, force);
  }

  @Override
  public void pull(String image, PullListener listener) {
    images.pull(image, listener);
  }
}
