package io.dockevos.bench.jmh;

import io.dockevos.launcher.CommandResult;
import io.dockevos.launcher.DockevOS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * A real dockevOS, embedded as README "Embedding" shows ({@code DockevOS.builder().home(..).build()
 * .start()}, the default boot features dockevos-core and dockevos-shell), with the example plugin
 * installed through the PluginManager ({@code plugin:install}), and its log set up as {@code
 * bin/dockevos} sets it up (root INFO into {@code data/log/dockevos.log}), so that what the action
 * runtime logs costs what it costs in the distribution.
 *
 * <p>System properties: {@code bench.greeter}, the example plugin's jar (run.sh passes it);
 * {@code bench.work}, where each runtime gets a fresh home (deleted when it closes).
 */
final class EmbeddedRuntime implements AutoCloseable {
  static final String GREETER = "io.dockevos.example.greeter";
  private static final String ACTION = "io.dockevos.action.Action";
  private static final String ACTION_SERVICE = "io.dockevos.action.ActionService";
  static final String EVENT_ADMIN = "org.osgi.service.event.EventAdmin";

  private final Path home;
  private final DockevOS dockevos;
  private final BundleContext context;
  private final BridgeLoader bridge;
  private final Class<?> calls;
  private ServiceReference<?> held;

  /** A runtime without the example plugin, for the event benchmark: the bridge sees Event Admin's API. */
  private EmbeddedRuntime(Path home, DockevOS dockevos, String eventAdmin) throws Exception {
    this.home = home;
    this.dockevos = dockevos;
    this.context = dockevos.bundleContext();
    this.bridge = new BridgeLoader(Map.of("org.osgi.service.event.", await(eventAdmin, null).getBundle()));
    this.calls = bridge.loadClass(BridgeLoader.BRIDGE + "EventCalls");
  }

  private EmbeddedRuntime(Path home, DockevOS dockevos) throws Exception {
    this.home = home;
    this.dockevos = dockevos;
    this.context = dockevos.bundleContext();
    Bundle api = bundle("io.dockevos.api");
    Bundle greeter = bundle(GREETER);
    // The greeter must see the API where the bridge will look for it; if not, the casts would fail later.
    if (greeter.loadClass(ACTION) != api.loadClass(ACTION)) {
      throw new IllegalStateException(GREETER + " is not wired to the io.dockevos.api bundle for io.dockevos.action");
    }
    this.bridge = new BridgeLoader(api);
    this.calls = bridge.loadClass(BridgeLoader.BRIDGE + "Calls");
  }

  static EmbeddedRuntime start() throws Exception {
    Path work = Files.createDirectories(Path.of(System.getProperty("bench.work", "target/jmh-work")).toAbsolutePath());
    Path home = Files.createTempDirectory(work, "home-");
    // As bin/dockevos does: the rolling file at INFO (Events at WARN), not Logback's DEBUG console default.
    io.dockevos.launcher.internal.LogSetup.configure(home.resolve("data/log"), home).join();
    DockevOS dockevos = DockevOS.builder().home(home).build().start();
    try {
      String jar = System.getProperty("bench.greeter");
      if (jar == null || !Files.isRegularFile(Path.of(jar))) {
        throw new IllegalStateException("-Dbench.greeter must name the example plugin's jar (got " + jar + ")");
      }
      CommandResult r = dockevos.execute("plugin:install " + Path.of(jar).toAbsolutePath());
      if (!r.ok()) {
        throw new IllegalStateException("plugin:install of the example plugin failed: " + r.error() + "\n" + r.output());
      }
      return new EmbeddedRuntime(home, dockevos);
    } catch (Exception | Error e) {
      dockevos.close();
      throw e;
    }
  }

  /**
   * A runtime as {@link #start()} makes it, with these framework properties on top of its own and
   * without the example plugin: for {@link EventDeliveryBenchmark}.
   */
  static EmbeddedRuntime startForEvents(Map<String, String> properties) throws Exception {
    Path work = Files.createDirectories(Path.of(System.getProperty("bench.work", "target/jmh-work")).toAbsolutePath());
    Path home = Files.createTempDirectory(work, "home-");
    io.dockevos.launcher.internal.LogSetup.configure(home.resolve("data/log"), home).join();
    DockevOS.Builder builder = DockevOS.builder().home(home);
    properties.forEach(builder::frameworkProperty);
    DockevOS dockevos = builder.build().start();
    try {
      return new EmbeddedRuntime(home, dockevos, EVENT_ADMIN);
    } catch (Exception | Error e) {
      dockevos.close();
      throw e;
    }
  }

  /** A static method of the bridge class ({@code Calls}, or {@code EventCalls} for the event benchmark). */
  Object bridge(String method, Class<?>[] types, Object... args) throws Exception {
    return calls.getMethod(method, types).invoke(null, args);
  }

  BundleContext context() {
    return context;
  }

  /** The named action of the example plugin, called directly (its service object held by the benchmark). */
  Callable<Object> directCall(String action, Map<String, Object> input) throws Exception {
    Object service = context.getService(actionReference(action));
    return bridgeCall("direct", new Class<?>[] {Object.class, Map.class}, service, input);
  }

  /** The named action of the example plugin, through the runtime's ActionService. */
  Callable<Object> dispatchCall(String action, Map<String, Object> input) throws Exception {
    Object service = context.getService(await(ACTION_SERVICE, null));
    return bridgeCall("dispatch", new Class<?>[] {Object.class, String.class, String.class, Map.class},
        service, GREETER, action, input);
  }

  /**
   * Holds the action's service, as a direct caller would, so that Declarative Services keeps its
   * component active between dispatches (otherwise the runtime's getService/ungetService around each
   * invocation may activate and deactivate the delayed component every time).
   */
  void holdAction(String action) throws Exception {
    held = actionReference(action);
    if (context.getService(held) == null) {
      throw new IllegalStateException("the action " + action + " has no service object");
    }
  }

  private ServiceReference<?> actionReference(String action) throws Exception {
    return await(ACTION, "(" + "dockevos.action.name" + "=" + action + ")");
  }

  private Callable<Object> bridgeCall(String method, Class<?>[] types, Object... args) throws Exception {
    @SuppressWarnings("unchecked")
    Callable<Object> call = (Callable<Object>) calls.getMethod(method, types).invoke(null, args);
    call.call(); // once, untimed: it must work before it is measured
    return call;
  }

  /** The service of the example plugin or the runtime, waiting a little for Declarative Services. */
  ServiceReference<?> await(String clazz, String filter) throws InvalidSyntaxException, InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      ServiceReference<?>[] refs = context.getServiceReferences(clazz, filter);
      if (refs != null && refs.length > 0) {
        return refs[0];
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no service " + clazz + (filter == null ? "" : " " + filter) + " after 30 s");
      }
      Thread.sleep(10);
    }
  }

  private Bundle bundle(String symbolicName) {
    for (Bundle b : context.getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return b;
      }
    }
    throw new IllegalStateException("no bundle " + symbolicName + " in the runtime");
  }

  @Override
  public void close() throws IOException {
    try {
      dockevos.close();
    } finally {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
