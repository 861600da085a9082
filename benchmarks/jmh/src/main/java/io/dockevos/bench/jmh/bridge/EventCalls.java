package io.dockevos.bench.jmh.bridge;

import io.dockevos.bench.jmh.bridge.plugin.PluginHandler;
import java.util.Map;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventHandler;

/**
 * Event Admin calls, compiled against its API and linked (by {@code BridgeLoader}) to the classes of
 * Event Admin's bundle inside the framework; the benchmark sees only JDK types.
 */
public final class EventCalls {
  private EventCalls() {}

  /**
   * A handler that counts, of this package: the benchmark adds the package to Event Admin's {@code
   * IgnoreTimeout}, as the runtime's own packages are, so it stands for one of the runtime's handlers.
   */
  public static final class RuntimeHandler implements EventHandler {
    long count;

    @Override
    public void handleEvent(Event event) {
      count++;
    }
  }

  /** @param runtimes a handler of the runtime's ({@link RuntimeHandler}), or a plugin's ({@link PluginHandler}) */
  public static Object handler(boolean runtimes) {
    return runtimes ? new RuntimeHandler() : new PluginHandler();
  }

  public static long count(Object handler) {
    return handler instanceof RuntimeHandler r ? r.count : ((PluginHandler) handler).count();
  }

  /** {@code eventAdmin.sendEvent(event)} of one event of the topic, made once. */
  public static Runnable send(Object eventAdmin, String topic) {
    EventAdmin admin = (EventAdmin) eventAdmin;
    Event event = new Event(topic, Map.of("n", 1));
    return () -> admin.sendEvent(event);
  }
}
