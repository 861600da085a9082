package io.dockevos.itests;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** Records the Event Admin events of some topics, as a subscriber of the runtime would see them. */
final class Events implements AutoCloseable {
  final List<Event> seen = new CopyOnWriteArrayList<>();
  private final ServiceRegistration<EventHandler> registration;

  Events(BundleContext context, String... topics) {
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(EventConstants.EVENT_TOPIC, topics);
    registration = context.registerService(EventHandler.class, seen::add, props);
  }

  List<Event> of(String topic) {
    return seen.stream().filter(e -> e.getTopic().equals(topic)).toList();
  }

  @Override
  public void close() {
    registration.unregister();
  }
}
