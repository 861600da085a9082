package io.dockevos.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Event Admin's slow-handler protection: {@code sendEvent} of one event to {@value #HANDLERS}
 * counting handlers in a real embedded dockevOS, in deliveries a second (one send delivers to every
 * handler). {@code protection}:
 *
 * <ul>
 *   <li>{@code off}: {@code org.apache.felix.eventadmin.Timeout=0}, as dockevOS had it: no handler
 *       is timed, none can be denied;</li>
 *   <li>{@code on}: the runtime's settings (Timeout 5000 ms, {@code IgnoreTimeout} of the runtime's
 *       packages), the handlers being the runtime's own: their package is added to {@code
 *       IgnoreTimeout}, so they are called directly, untimed, as the runtime's handlers are;</li>
 *   <li>{@code onPluginHandlers}: the runtime's settings, the handlers being a plugin's: each
 *       delivery is handed to one of Event Admin's threads and timed.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class EventDeliveryBenchmark {
  static final int HANDLERS = 10;
  static final String TOPIC = "dockevos/bench/DELIVERED";
  static final String TIMEOUT = "org.apache.felix.eventadmin.Timeout";
  static final String IGNORE_TIMEOUT = "org.apache.felix.eventadmin.IgnoreTimeout";
  /** The package of {@code EventCalls.RuntimeHandler}, exactly (a trailing dot). */
  static final String RUNTIME_HANDLERS = BridgeLoader.BRIDGE;

  @Param({"off", "on", "onPluginHandlers"})
  public String protection;

  private EmbeddedRuntime runtime;
  private Runnable send;
  private final List<Object> handlers = new ArrayList<>();
  private long sent;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Properties defaults = launcherDefaults();
    Map<String, String> properties = switch (protection) {
      case "off" -> Map.of(TIMEOUT, "0");
      case "on" -> Map.of(IGNORE_TIMEOUT, defaults.getProperty(IGNORE_TIMEOUT) + "," + RUNTIME_HANDLERS);
      case "onPluginHandlers" -> Map.of();
      default -> throw new IllegalArgumentException("protection " + protection);
    };
    if (!"off".equals(protection) && "0".equals(defaults.getProperty(TIMEOUT, "0").strip())) {
      throw new IllegalStateException("the launcher's defaults turn the protection off: " + TIMEOUT + "=0");
    }
    runtime = EmbeddedRuntime.startForEvents(properties);
    boolean runtimes = !"onPluginHandlers".equals(protection);
    for (int i = 0; i < HANDLERS; i++) {
      Object handler = runtime.bridge("handler", new Class<?>[] {boolean.class}, runtimes);
      Hashtable<String, Object> props = new Hashtable<>();
      props.put("event.topics", TOPIC);
      runtime.context().registerService("org.osgi.service.event.EventHandler", handler, props);
      handlers.add(handler);
    }
    Object admin = runtime.context().getService(runtime.await(EmbeddedRuntime.EVENT_ADMIN, null));
    send = (Runnable) runtime.bridge("send", new Class<?>[] {Object.class, String.class}, admin, TOPIC);
    send.run(); // once, untimed: every handler must get it (and Event Admin learn their classes)
    sent = 1;
    check();
  }

  private void check() throws Exception {
    for (Object h : handlers) {
      long n = (long) runtime.bridge("count", new Class<?>[] {Object.class}, h);
      if (n != sent) {
        throw new IllegalStateException("a handler got " + n + " events of " + sent + " sent (" + protection + ")");
      }
    }
  }

  private static Properties launcherDefaults() throws IOException {
    Properties p = new Properties();
    try (InputStream in = io.dockevos.launcher.DockevOS.class.getResourceAsStream("/io/dockevos/launcher/defaults.properties")) {
      p.load(in);
    }
    return p;
  }

  @Benchmark
  @OperationsPerInvocation(HANDLERS)
  public void sendEvent() {
    send.run();
    sent++;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      check(); // no delivery was lost (nor a handler denied)
    } finally {
      runtime.close();
    }
  }
}
