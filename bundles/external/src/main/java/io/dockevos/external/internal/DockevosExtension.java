package io.dockevos.external.internal;

import io.dockevos.external.ExternalPlugins;
import io.dockevos.plugin.PluginEvents;
import io.dockevos.security.Permission;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;

/**
 * The experimental MCP capability {@code dockevos} of one start of a plugin, once both sides
 * declared it in {@code initialize}: its configuration pushed as {@code notifications/dockevos/config},
 * and events: the requests {@code dockevos/subscribe}, {@code dockevos/unsubscribe} and
 * {@code dockevos/publish}, checked against the plugin's permissions ({@code events.subscribe:},
 * {@code events.publish:}), and the notifications {@code notifications/dockevos/event}. The
 * protocol is specified in docs/external-plugins.md.
 */
final class DockevosExtension implements StdioTransport.Requests {
  /** The capability's name under {@code experimental}. */
  static final String CAPABILITY = "dockevos";
  /** The version of the capability this host speaks. */
  static final int VERSION = 1;
  static final String CONFIG = "notifications/dockevos/config";
  static final String EVENT = "notifications/dockevos/event";
  static final String SUBSCRIBE = "dockevos/subscribe";
  static final String UNSUBSCRIBE = "dockevos/unsubscribe";
  static final String PUBLISH = "dockevos/publish";
  /** JSON-RPC error code of a request its permissions do not allow. */
  static final int FORBIDDEN = -32001;
  /** Events waiting to be written to a plugin that reads slowly; more are dropped and counted. */
  static final int QUEUE = 1000;
  /** Subscriptions a plugin may hold at once. */
  static final int MAX_SUBSCRIPTIONS = 64;

  private final PluginDescriptor d;
  private final StdioTransport transport;
  private final BundleContext context;
  private final Supplier<EventAdmin> events;
  private final Executor executor;
  private final Logger log;
  private final List<Permission> permissions;
  private final Map<String, ServiceRegistration<EventHandler>> subscriptions = new LinkedHashMap<>();
  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean negotiated;
  private volatile boolean closed;
  /**
   * Counted down once the answer to initialize was read ({@link #negotiated}) or it closed: a plugin
   * may send its first request right after {@code notifications/initialized}, before the host's own
   * thread has looked at that answer.
   */
  private final java.util.concurrent.CountDownLatch decided = new java.util.concurrent.CountDownLatch(1);
  /** How long a request that came before that waits for it. */
  static final java.time.Duration DECIDE_WAIT = java.time.Duration.ofSeconds(5);

  DockevosExtension(PluginDescriptor d, StdioTransport transport, BundleContext context, Supplier<EventAdmin> events,
      Executor executor, Logger log) {
    this.d = d;
    this.transport = transport;
    this.context = context;
    this.events = events;
    this.executor = executor;
    this.log = log;
    this.permissions = d.permissions().stream().map(Permission::parse).toList();
  }

  /** What the host offers in {@code initialize}: {@code capabilities.experimental.dockevos}. */
  static Map<String, Object> offer(PluginDescriptor d, String pid) {
    Map<String, Object> offer = new LinkedHashMap<>();
    offer.put("version", VERSION);
    offer.put("name", d.name());
    offer.put("pid", pid);
    offer.put("config", Map.of());
    offer.put("events", Map.of());
    return Map.of(CAPABILITY, offer);
  }

  /** The plugin answered {@code initialize}: it speaks the capability when its capabilities say so. */
  void negotiated(Map<String, Object> experimental) {
    negotiated = experimental != null && experimental.get(CAPABILITY) instanceof Map<?, ?>;
    decided.countDown();
    if (negotiated) {
      log.debug("speaks the dockevos capability: {}", experimental.get(CAPABILITY));
    }
  }

  boolean isNegotiated() {
    return negotiated;
  }

  /** Sends its configuration, when it negotiated the capability. */
  void config(Map<String, Object> config) {
    if (negotiated && !closed) {
      transport.notify(CONFIG, Map.of("config", config));
    }
  }

  @Override
  public Object request(String method, Map<String, Object> params) throws StdioTransport.RequestError {
    try {
      decided.await(DECIDE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!negotiated) {
      throw new StdioTransport.RequestError(-32601, method + " is part of the experimental capability dockevos,"
          + " which this plugin did not declare in its answer to initialize (capabilities.experimental.dockevos)");
    }
    return switch (method) {
      case SUBSCRIBE -> subscribe(topics(params));
      case UNSUBSCRIBE -> unsubscribe(topics(params));
      case PUBLISH -> publish(params);
      default -> throw new StdioTransport.RequestError(-32601, "method not found: " + method + " (the dockevos"
          + " capability has " + SUBSCRIBE + ", " + UNSUBSCRIBE + " and " + PUBLISH + ")");
    };
  }

  private static List<String> topics(Map<String, Object> params) throws StdioTransport.RequestError {
    Object t = params.get("topics");
    if (!(t instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(x -> x instanceof String)) {
      throw new StdioTransport.RequestError(-32602, "params.topics must be a list of topics, such as"
          + " [\"dockevos/plugin/*\"]");
    }
    List<String> topics = new ArrayList<>();
    for (Object o : list) {
      String topic = (String) o;
      String plain = topic.equals("*") ? "" : topic.endsWith("/*") ? topic.substring(0, topic.length() - 2) : topic;
      if (!plain.isEmpty() && !plain.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")) {
        throw new StdioTransport.RequestError(-32602, "'" + topic + "' is not a topic: words of letters, digits,"
            + " _ . and - separated by /, and at the end /* for every topic under it");
      }
      topics.add(topic);
    }
    return topics;
  }

  private Object subscribe(List<String> topics) throws StdioTransport.RequestError {
    for (String topic : topics) {
      if (permissions.stream().noneMatch(p -> p.allowsSubscription(topic))) {
        throw forbidden("receive the events of " + topic, Permission.Kind.EVENTS_SUBSCRIBE, topic);
      }
    }
    synchronized (subscriptions) {
      if (closed) {
        throw new StdioTransport.RequestError(-32603, d.name() + " is stopping");
      }
      for (String topic : topics) {
        if (subscriptions.containsKey(topic)) {
          continue;
        }
        if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
          throw new StdioTransport.RequestError(-32602, "at most " + MAX_SUBSCRIPTIONS + " subscriptions at once");
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, topic);
        props.put("dockevos.external.plugin", d.name());
        subscriptions.put(topic, context.registerService(EventHandler.class, this::received, props));
      }
      log.info("subscribed to {}", topics);
      return Map.of("topics", List.copyOf(subscriptions.keySet()));
    }
  }

  private Object unsubscribe(List<String> topics) {
    synchronized (subscriptions) {
      for (String topic : topics) {
        ServiceRegistration<EventHandler> r = subscriptions.remove(topic);
        if (r != null) {
          unregister(r);
        }
      }
      return Map.of("topics", List.copyOf(subscriptions.keySet()));
    }
  }

  private Object publish(Map<String, Object> params) throws StdioTransport.RequestError {
    if (!(params.get("topic") instanceof String topic) || topic.contains("*")
        || !topic.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")) {
      throw new StdioTransport.RequestError(-32602, "params.topic must be a topic: words of letters, digits, _ . and"
          + " - separated by /, such as dockevos/acme/greeted");
    }
    if (permissions.stream().noneMatch(p -> p.allowsTopic(topic))) {
      throw forbidden("publish on " + topic, Permission.Kind.EVENTS_PUBLISH, topic);
    }
    Map<String, Object> props = new LinkedHashMap<>();
    if (params.get("properties") instanceof Map<?, ?> given) {
      given.forEach((k, v) -> props.put(String.valueOf(k), v instanceof List<?> l ? l.stream().map(String::valueOf)
          .toArray(String[]::new) : v instanceof Map<?, ?> ? String.valueOf(v) : v));
    } else if (params.containsKey("properties")) {
      throw new StdioTransport.RequestError(-32602, "params.properties must be an object");
    }
    props.remove(null);
    props.values().removeIf(java.util.Objects::isNull);
    props.put(PluginEvents.PLUGIN_ID, d.name()); // who published it: a plugin cannot speak for another
    props.put(ExternalPlugins.KIND, ExternalPlugins.EXTERNAL);
    EventAdmin ea = events.get();
    if (ea == null) {
      throw new StdioTransport.RequestError(-32603, "Event Admin is not running");
    }
    ea.postEvent(new Event(topic, props));
    return Map.of();
  }

  private StdioTransport.RequestError forbidden(String what, Permission.Kind kind, String topic) {
    String needed = kind.text() + ":" + topic;
    return new StdioTransport.RequestError(FORBIDDEN, d.name() + " may not " + what + ": it needs the permission "
        + needed + " in permissions of " + d.file() + " (it holds " + (d.permissions().isEmpty() ? "none"
        : String.join(", ", d.permissions())) + ")", Map.of("permission", needed));
  }

  /** An event it subscribed to: queued, then written by one task at a time, in order. */
  private void received(Event e) {
    if (closed || !negotiated) {
      return;
    }
    if (!queue.offer(e)) {
      if (dropped.getAndIncrement() == 0) {
        log.warn("reads its events too slowly: more than {} wait; the rest are dropped and counted", QUEUE);
      }
      return;
    }
    if (draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    try {
      Event e;
      while (!closed && (e = queue.poll()) != null) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String name : e.getPropertyNames()) {
          if (!name.equals(EventConstants.EVENT_TOPIC)) {
            props.put(name, json(e.getProperty(name)));
          }
        }
        transport.notify(EVENT, Map.of("topic", e.getTopic(), "properties", props));
      }
      long n = dropped.getAndSet(0);
      if (n > 0) {
        log.warn("{} events were dropped: it read them too slowly", n);
      }
    } finally {
      draining.set(false);
      if (!queue.isEmpty() && !closed && draining.compareAndSet(false, true)) {
        executor.execute(this::drain);
      }
    }
  }

  /** An event's property as a JSON value: a string, number, boolean or list; anything else as its text. */
  private static Object json(Object v) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    if (v.getClass().isArray()) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < Array.getLength(v); i++) {
        list.add(json(Array.get(v, i)));
      }
      return list;
    }
    if (v instanceof Collection<?> c) {
      return c.stream().map(DockevosExtension::json).toList();
    }
    return String.valueOf(v);
  }

  /** @return the topics it subscribed to */
  Set<String> subscriptions() {
    synchronized (subscriptions) {
      return new LinkedHashSet<>(subscriptions.keySet());
    }
  }

  /** Its process ended or is stopped: the subscriptions go. */
  void close() {
    closed = true;
    decided.countDown();
    synchronized (subscriptions) {
      subscriptions.values().forEach(DockevosExtension::unregister);
      subscriptions.clear();
    }
    queue.clear();
  }

  private static void unregister(ServiceRegistration<?> r) {
    try {
      r.unregister();
    } catch (IllegalStateException gone) {
      // the bundle is stopping
    }
  }
}
