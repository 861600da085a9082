package io.dockevos.security.internal;

import io.dockevos.security.Permission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Event Admin that plugins without {@code admin} get: each plugin its own, which passes its
 * events on to the real one, but refuses a topic under {@code dockevos/} that none of its {@code
 * events.publish} permissions matches, with a {@link SecurityException} (as Event Admin does for a
 * missing {@code TopicPermission}). What a plugin holds is read at each event, so a grant or a
 * revocation counts at once.
 */
final class GuardedEventAdmin implements ServiceFactory<EventAdmin> {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedEventAdmin.class);
  /** The topics that need {@code events.publish}: the runtime's own. */
  static final String GUARDED_PREFIX = "dockevos/";

  private final Supplier<EventAdmin> real;
  private final Function<String, List<Permission>> held;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  GuardedEventAdmin(Supplier<EventAdmin> real, Function<String, List<Permission>> held) {
    this.real = real;
    this.held = held;
  }

  @Override
  public EventAdmin getService(Bundle bundle, ServiceRegistration<EventAdmin> registration) {
    return new EventAdmin() {
      @Override
      public void postEvent(Event event) {
        EventAdmin ea = check(bundle, event);
        if (ea != null) {
          ea.postEvent(event);
        }
      }

      @Override
      public void sendEvent(Event event) {
        EventAdmin ea = check(bundle, event);
        if (ea != null) {
          ea.sendEvent(event);
        }
      }

      @Override
      public String toString() {
        return "EventAdmin for " + bundle.getSymbolicName() + " (dockevos/* topics need events.publish)";
      }
    };
  }

  @Override
  public void ungetService(Bundle bundle, ServiceRegistration<EventAdmin> registration, EventAdmin service) {
    // nothing held per bundle
  }

  /** @return the real Event Admin, when the plugin may publish the event */
  private EventAdmin check(Bundle bundle, Event event) {
    String topic = event.getTopic();
    // The framework and the boot bundles are never restricted. The framework meets the guard: find
    // hooks are not called for the system bundle, so its look-up sees the guard beside the real one.
    if (topic.startsWith(GUARDED_PREFIX) && !io.dockevos.common.internal.BootBundles.isBoot(bundle)) {
      String name = bundle.getSymbolicName();
      List<Permission> perms = held.apply(name);
      if (perms.stream().noneMatch(p -> p.allowsTopic(topic))) {
        String why = name + " may not publish the event " + topic + ": the topics under " + GUARDED_PREFIX
            + " need the permission events.publish:<topic-pattern>, which it was not granted (security:grant " + name
            + " events.publish:" + topic + ")";
        if (warned.add(name + " " + topic)) {
          LOG.warn(why);
        }
        throw new SecurityException(why);
      }
    }
    return real.get();
  }
}
