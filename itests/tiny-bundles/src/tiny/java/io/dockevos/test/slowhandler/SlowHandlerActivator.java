package io.dockevos.test.slowhandler;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * A plugin with an event handler that blocks: the second event of {@value #TOPIC} it gets takes it
 * {@value #BLOCK_MS} ms (Felix Event Admin 1.6 learns a handler's class, and so whether to time it,
 * at its first delivery, which it never times). The commands {@code slow:send N} (sends N events synchronously, and says
 * how long each send took) and {@code slow:count} (how many events the handler got).
 */
public final class SlowHandlerActivator implements BundleActivator {
  static final String TOPIC = "acme/test/SLOW"; // not under dockevos/, which needs events.publish
  static final long BLOCK_MS = 8_000;

  /** The handler: blocks on its second event. */
  public static final class SlowHandler implements EventHandler {
    final AtomicInteger seen = new AtomicInteger();

    @Override
    public void handleEvent(Event event) {
      if (seen.incrementAndGet() == 2) {
        try {
          Thread.sleep(BLOCK_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** The {@code slow:} commands. */
  public static final class Commands {
    private final BundleContext context;
    private final SlowHandler handler;

    Commands(BundleContext context, SlowHandler handler) {
      this.context = context;
      this.handler = handler;
    }

    public String send(int n) {
      ServiceReference<EventAdmin> ref = context.getServiceReference(EventAdmin.class);
      EventAdmin admin = context.getService(ref);
      try {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          long start = System.nanoTime();
          admin.sendEvent(new Event(TOPIC, Map.of("n", i)));
          millis.add((System.nanoTime() - start) / 1_000_000);
        }
        return "sent " + n + " in ms: " + millis;
      } finally {
        context.ungetService(ref);
      }
    }

    public int count() {
      return handler.seen.get();
    }
  }

  @Override
  public void start(BundleContext context) {
    SlowHandler handler = new SlowHandler();
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(EventConstants.EVENT_TOPIC, TOPIC);
    context.registerService(EventHandler.class, handler, props);
    Dictionary<String, Object> commands = new Hashtable<>();
    commands.put("osgi.command.scope", "slow");
    commands.put("osgi.command.function", new String[] {"send", "count"});
    context.registerService(Commands.class, new Commands(context, handler), commands);
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the services
  }
}
