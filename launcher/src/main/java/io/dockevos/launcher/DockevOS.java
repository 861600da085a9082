package io.dockevos.launcher;

import io.dockevos.launcher.internal.BootFeatures;
import io.dockevos.launcher.internal.ControlServer;
import io.dockevos.launcher.internal.FelixLogger;
import io.dockevos.launcher.internal.Gogo;
import io.dockevos.launcher.internal.HostApi;
import io.dockevos.launcher.internal.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded dockevOS runtime: an Apache Felix framework with the dockevOS boot features.
 *
 * <pre>{@code
 * try (DockevOS dockevos = DockevOS.builder().home(Path.of("my-app")).build()) {
 *   dockevos.start();
 *   System.out.println(dockevos.execute("lb").output());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class DockevOS implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockevOS.class);

  private final Settings settings;
  private final FelixLogger felixLogger = new FelixLogger();
  private Framework framework;
  private ControlServer control;
  private long readyMillis = -1;

  private DockevOS(Settings settings) {
    this.settings = settings;
  }

  /** @return a builder with the defaults: home {@code ./dockevos}, the features {@code dockevos-core} and {@code dockevos-shell} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the framework, installs and starts every bundle of the boot features, applies their
   * configurations, and returns once every boot bundle is started.
   *
   * @return this runtime
   * @throws IllegalStateException when the framework cannot start or a boot feature is broken;
   *     the message names the feature or bundle and the cause
   */
  public synchronized DockevOS start() {
    if (framework != null) {
      return this;
    }
    long begin = System.nanoTime();
    io.dockevos.launcher.internal.BootTimeline timeline = io.dockevos.launcher.internal.BootTimeline.startedAt(begin);
    Map<String, Object> props = new LinkedHashMap<>(settings.frameworkProperties());
    // Before the framework reads its cache: a copied or moved home names its own files there.
    String storage = settings.frameworkProperties().get("org.osgi.framework.storage");
    io.dockevos.launcher.internal.HomeMove.follow(settings.home(), settings.data(),
        storage != null ? Path.of(storage) : settings.data().resolve("cache"));
    props.put("felix.log.logger", felixLogger);
    // The feature manager lists these as the boot features, whichever way they were chosen.
    props.put("dockevos.features.booted", String.join(",", settings.features()));
    // Felix, named: a service loader would search every jar of the class path for it.
    FrameworkFactory factory = new org.apache.felix.framework.FrameworkFactory();
    // Felix takes object values, such as its logger, in the otherwise String-typed map.
    @SuppressWarnings({"unchecked", "rawtypes"})
    Framework fw = factory.newFramework((Map) props);
    try {
      fw.init();
      if (timeline != null) {
        timeline.mark("framework initialised");
        fw.getBundleContext().addBundleListener(timeline);
        if (timeline.wantsServices()) {
          fw.getBundleContext().addServiceListener(timeline);
        }
      }
      BootFeatures boot = BootFeatures.load(settings);
      if (timeline != null) {
        timeline.mark("boot features read");
      }
      List<String> failures = new ArrayList<>();
      fw.getBundleContext().addFrameworkListener(e -> {
        if (e.getType() == FrameworkEvent.ERROR) {
          failures.add(e.getBundle().getSymbolicName() + ": " + rootMessage(e.getThrowable()));
        }
      });
      List<Bundle> bundles = boot.install(fw.getBundleContext());
      if (timeline != null) {
        timeline.mark("boot bundles installed");
      }
      // One resolver run for every boot bundle, instead of one as each starts.
      fw.adapt(org.osgi.framework.wiring.FrameworkWiring.class).resolveBundles(bundles);
      if (timeline != null) {
        timeline.mark("boot bundles resolved");
      }
      fw.start();
      framework = fw;
      if (timeline != null) {
        timeline.mark("framework started");
      }
      boot.applyConfigurations(fw.getBundleContext());
      if (timeline != null) {
        timeline.mark("boot configurations applied");
      }
      List<String> notStarted = BootFeatures.notStarted(bundles);
      if (!notStarted.isEmpty()) {
        LOG.error("Boot bundles that did not start: {} {}", notStarted, failures);
      }
      felixLogger.matchLog();
      readyMillis = (System.nanoTime() - begin) / 1_000_000;
      long readyAt = System.currentTimeMillis();
      if (timeline != null) {
        timeline.mark("ready");
        fw.getBundleContext().removeBundleListener(timeline);
        fw.getBundleContext().removeServiceListener(timeline);
        LOG.info("Boot timeline:\n{}", timeline);
      }
      LOG.info("dockevOS ready in {} ms, {} ms since the JVM started ({} boot bundles, home {})", readyMillis,
          readyAt - io.dockevos.launcher.internal.JvmStart.millis(), bundles.size(), settings.home());
      // Last: bin/dockevos start takes the socket as the sign that the runtime is ready.
      if (settings.controlSocket() != null) {
        control = ControlServer.open(settings.controlSocket(), this::executeStreaming, this::stream,
            ControlServer.Limits.from(settings.frameworkProperties()));
      }
      return this;
    } catch (BundleException | IOException | RuntimeException e) {
      stopQuietly(fw);
      framework = null;
      throw new IllegalStateException("dockevOS could not start: " + rootMessage(e), e);
    }
  }

  /** The command line calls this once its log, set up beside the start, is up. */
  void logReady() {
    felixLogger.matchLog();
  }

  /** @return the milliseconds that the last {@link #start()} took, or -1 before it */
  public long readyMillis() {
    return readyMillis;
  }

  /** @return the system bundle context of the running framework */
  public BundleContext bundleContext() {
    return running().getBundleContext();
  }

  /**
   * A service of the running runtime, typed, waiting for it up to 30 seconds (its component may
   * still be activating just after {@link #start()}). With the API jar ({@code
   * io.dockevos:io.dockevos.api}, the same version) on the program's class path, its packages are
   * the bundles' own: {@code service(PluginManager.class)} is the plugin manager that the shell uses.
   *
   * @throws IllegalStateException when the runtime does not run, or no such service came in time
   */
  public <T> T service(Class<T> type) {
    return service(type, Duration.ofSeconds(30));
  }

  /** As {@link #service(Class)}, waiting up to {@code timeout}. */
  public <T> T service(Class<T> type, Duration timeout) {
    BundleContext context = running().getBundleContext();
    org.osgi.util.tracker.ServiceTracker<T, T> tracker = new org.osgi.util.tracker.ServiceTracker<>(context, type, null);
    tracker.open();
    try {
      tracker.waitForService(Math.max(1, timeout.toMillis()));
      org.osgi.framework.ServiceReference<T> ref = tracker.getServiceReference();
      // Got for the system bundle, and held until the runtime stops: a delayed component stays active.
      T service = ref == null ? null : context.getService(ref);
      if (service == null) {
        throw new IllegalStateException("No " + type.getName() + " service in " + timeout.toSeconds() + " s"
            + (type.getName().startsWith("io.dockevos.") && HostApi.exports(type.getClassLoader()) == null
            ? ": put io.dockevos:io.dockevos.api of this version on the class path, so that its types are the"
            + " runtime's" : ""));
      }
      return service;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + type.getName(), e);
    } finally {
      tracker.close();
    }
  }

  /** @return the running framework */
  public Framework framework() {
    return running();
  }

  /** @return the home directory, the parent of {@code etc/}, {@code system/}, {@code deploy/} and {@code data/} */
  public Path home() {
    return settings.home();
  }

  /**
   * Runs one Gogo command, as the console would, and collects what it printed.
   *
   * @param command a Gogo command line, for example {@code "lb"}
   * @return the command's value, its output, and its error if it failed
   */
  public CommandResult execute(String command) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Gogo.Outcome outcome = Gogo.execute(running().getBundleContext(), command, out, out, Gogo.who(null, "embedded"));
    return new CommandResult(command, outcome.value(), out.toString(java.nio.charset.StandardCharsets.UTF_8), outcome.error());
  }

  private Gogo.Outcome executeStreaming(String command, String user, OutputStream out, OutputStream err) {
    return Gogo.execute(running().getBundleContext(), command, out, err, Gogo.who(user, "client"));
  }

  /**
   * What serves a stream of the control socket ({@code bin/dockevos mcp}): a service {@code
   * java.util.function.Consumer} with the property {@value #STREAM_PROPERTY} naming it, which gets a map
   * of {@code in}, {@code out} (the connection's streams) and {@code user} and returns when the stream
   * ends. Only java.* types cross, so the launcher needs none of the bundle's classes.
   */
  private ControlServer.Stream stream(String name) {
    BundleContext bc = running().getBundleContext();
    org.osgi.framework.ServiceReference<?>[] refs;
    try {
      refs = bc.getServiceReferences(java.util.function.Consumer.class.getName(), "(" + STREAM_PROPERTY + "=" + name
          + ")");
    } catch (org.osgi.framework.InvalidSyntaxException e) {
      return null;
    }
    if (refs == null || refs.length == 0) {
      return null;
    }
    java.util.Arrays.sort(refs, java.util.Collections.reverseOrder());
    org.osgi.framework.ServiceReference<?> ref = refs[0];
    return (user, in, out) -> {
      @SuppressWarnings("unchecked")
      java.util.function.Consumer<Map<String, Object>> consumer = (java.util.function.Consumer<Map<String, Object>>)
          bc.getService(ref);
      if (consumer == null) {
        throw new IOException("the stream " + name + " is gone");
      }
      try {
        consumer.accept(Map.of("user", user, "in", in, "out", out));
      } finally {
        bc.ungetService(ref);
      }
    };
  }

  /** The service property of a control-socket stream; see {@link #stream}. */
  private static final String STREAM_PROPERTY = "dockevos.control.stream";

  /**
   * Stops the framework and waits for it, at most the stop timeout of the builder.
   *
   * @throws IllegalStateException when the framework did not stop in time
   */
  @Override
  public synchronized void close() {
    if (control != null) {
      control.close();
      control = null;
    }
    Framework fw = framework;
    framework = null;
    if (fw == null) {
      return;
    }
    long begin = System.nanoTime();
    try {
      fw.stop();
      FrameworkEvent event = fw.waitForStop(settings.stopTimeout().toMillis());
      LOG.info("dockevOS stopped in {} ms", (System.nanoTime() - begin) / 1_000_000);
      if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
        throw new IllegalStateException("dockevOS did not stop within " + settings.stopTimeout().toSeconds() + " s");
      }
    } catch (BundleException e) {
      throw new IllegalStateException("dockevOS could not stop: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until the framework stops, for example when the console's {@code exit} stops it.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public void awaitStop() throws InterruptedException {
    Framework fw = framework;
    if (fw != null) {
      fw.waitForStop(0);
    }
  }

  private Framework running() {
    Framework fw = framework;
    if (fw == null) {
      throw new IllegalStateException("dockevOS is not started: call start() first");
    }
    return fw;
  }

  private static void stopQuietly(Framework fw) {
    try {
      fw.stop();
      fw.waitForStop(10_000);
    } catch (Exception e) {
      LOG.debug("stop after a failed start", e);
    }
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root == t ? String.valueOf(message) : t.getMessage() + " (cause: " + root.getClass().getSimpleName() + ": " + message + ")";
  }

  /** Settings of an embedded runtime. */
  public static final class Builder {
    private Path home = Path.of("dockevos");
    private Map<String, String> environment = Map.of();
    private Path storage;
    private Path deploy;
    private final List<String> features = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Path controlSocket;
    private Duration stopTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * @param home the home directory; {@code etc/config.properties} and {@code system/} are read from it
     *     when they exist, and {@code data/} and {@code deploy/} default to it
     * @return this builder
     */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** @param storage the framework cache directory, default {@code home/data/cache} @return this builder */
    public Builder storage(Path storage) {
      this.storage = storage;
      return this;
    }

    /** @param deploy the deploy directory that is watched, default {@code home/deploy} @return this builder */
    public Builder deployDir(Path deploy) {
      this.deploy = deploy;
      return this;
    }

    /**
     * @param names the boot features, replacing the defaults {@code dockevos-core} and {@code dockevos-shell}; each is read from
     *     {@code home/system/features/NAME.json} or from the class path
     * @return this builder
     */
    public Builder features(String... names) {
      features.clear();
      features.addAll(List.of(names));
      return this;
    }

    /** @param key a framework property @param value its value, {@code ${...}} is expanded @return this builder */
    public Builder frameworkProperty(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /** @param all framework properties to add @return this builder */
    public Builder frameworkProperties(Map<String, String> all) {
      properties.putAll(all);
      return this;
    }

    /**
     * @param socket a Unix domain socket that {@code bin/dockevos client} can run commands through;
     *     only the owner can open it. Off by default when embedding.
     * @return this builder
     */
    public Builder controlSocket(Path socket) {
      this.controlSocket = socket;
      return this;
    }

    /** @param timeout how long {@link DockevOS#close()} waits for the framework, default 30 s @return this builder */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = timeout;
      return this;
    }

    /**
     * Takes the process's environment, as the distribution does: each {@code DOCKEVOS_*} variable
     * becomes a framework property ({@code DOCKEVOS_FEATURES_BOOT} is {@code dockevos.features.boot};
     * over {@code etc/config.properties}, under {@link #frameworkProperty}), and each {@code
     * DOCKEVOS_CONFIG_<PID>_<KEY>} a configuration value, with the dots of the PID written as
     * {@code _} ({@code DOCKEVOS_CONFIG_com_example_greeter_greeting} is the key {@code greeting} of
     * {@code com.example.greeter}). Off by default: an embedding program's environment is its own.
     *
     * @return this builder
     */
    public Builder environment() {
      this.environment = System.getenv();
      return this;
    }

    /** @return a runtime that is not started yet */
    public DockevOS build() {
      try {
        Map<String, String> props = new LinkedHashMap<>(properties);
        if (!environment.isEmpty()) {
          props.putIfAbsent(Settings.ENV_CONFIGS, "true");
        }
        return new DockevOS(Settings.resolve(home, storage, deploy, features, environment, props, controlSocket,
            stopTimeout));
      } catch (IOException e) {
        throw new UncheckedIOException("dockevOS settings: " + e.getMessage(), e);
      }
    }
  }
}
