package io.dockevos.plugin.internal;

import io.dockevos.common.internal.Json;

import dev.harrel.jsonschema.Validator;
import dev.harrel.jsonschema.ValidatorFactory;
import dev.harrel.jsonschema.providers.JakartaJsonNode;
import io.dockevos.action.Action;
import io.dockevos.action.ActionContext;
import io.dockevos.action.ActionEvents;
import io.dockevos.action.ActionException;
import io.dockevos.action.ActionException.Kind;
import io.dockevos.action.ActionInfo;
import io.dockevos.action.ActionListener;
import io.dockevos.action.ActionService;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.felix.service.command.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The action runtime: it tracks the {@link Action} services of every plugin, gives each one a Gogo
 * command, and invokes them with validated input (JSON Schema, by dev.harrel json-schema), a
 * timeout, cancellation, figures and events. Bounded: at most {@code maxConcurrent} actions run at
 * once, each on a thread of its own (an action that ignores its cancellation keeps its thread), and
 * an invocation past that is refused at once as {@link Kind#BUSY}; at most {@value #STREAMED}
 * pieces of output wait for the caller, after which the action waits for it.
 */
@Component(configurationPid = ActionRuntime.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    service = ActionService.class, immediate = true)
@Designate(ocd = ActionRuntime.Config.class)
public final class ActionRuntime implements ActionService {
  static final String PID = "dockevos.actions";
  /** Pieces of output and progress that wait for the caller at most. */
  static final int STREAMED = 1024;

  @ObjectClassDefinition(name = "dockevOS actions", description = "How many actions run at once")
  public @interface Config {
    @AttributeDefinition(description = "Actions that run at once at most; one more is refused as busy", min = "1")
    int maxConcurrent() default 32;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ActionRuntime.class);
  private static final String[] BUCKETS = {"<=10ms", "<=100ms", "<=1s", "<=10s", ">10s"};
  private static final long[] LIMITS = {10, 100, 1_000, 10_000, Long.MAX_VALUE};

  /** One action service, with what it takes to run it and what its runs took. */
  final class Entry {
    final ServiceReference<Action> ref;
    final String plugin;
    final String name;
    final String description;
    final String scope;
    final long timeoutSeconds;
    private volatile String schema;
    private volatile URI schemaUri;
    final AtomicLong invocations = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong totalMillis = new AtomicLong();
    final AtomicLong maxMillis = new AtomicLong();
    final AtomicLongArray histogram = new AtomicLongArray(BUCKETS.length);
    ServiceRegistration<?> command;

    Entry(ServiceReference<Action> ref) {
      this.ref = ref;
      Bundle b = ref.getBundle();
      Object owner = ref.getProperty(Action.PLUGIN); // an external plugin's tools, registered by the bundle that runs it
      this.plugin = owner != null ? owner.toString() : b.getSymbolicName();
      this.name = String.valueOf(ref.getProperty(Action.NAME));
      Object d = ref.getProperty(Action.DESCRIPTION);
      this.description = d == null ? "" : d.toString();
      Object s = ref.getProperty(Action.SCOPE);
      String bsn = plugin == null ? "plugin" : plugin;
      this.scope = s == null || s.toString().isBlank() ? bsn.substring(bsn.lastIndexOf('.') + 1) : s.toString();
      Object t = ref.getProperty(Action.TIMEOUT);
      this.timeoutSeconds = t instanceof Number n ? n.longValue() : t != null ? Long.parseLong(t.toString().trim()) : 60;
    }

    String command() {
      return scope + ":" + name;
    }

    /** The schema as JSON text: inline, or read from the plugin's bundle. */
    String schema() throws ActionException {
      String s = schema;
      if (s == null) {
        Object p = ref.getProperty(Action.SCHEMA);
        String value = p == null ? "{\"type\":\"object\"}" : p.toString().trim();
        if (value.startsWith("{")) {
          s = value;
        } else {
          URL url = ref.getBundle().getEntry(value.startsWith("/") ? value : "/" + value);
          if (url == null) {
            throw new ActionException(Kind.FAILED, plugin + " names the schema " + value + " for its action " + name
                + ", but its bundle has no such resource", null, null);
          }
          try (InputStream in = url.openStream()) {
            s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new ActionException(Kind.FAILED, "Cannot read the schema " + value + " of " + command() + ": " + e,
                null, e);
          }
        }
        schema = s;
      }
      return s;
    }

    URI schemaUri() throws ActionException {
      URI u = schemaUri;
      if (u == null) {
        try {
          u = schemaUri = validator().registerSchema(schema());
        } catch (RuntimeException e) {
          throw new ActionException(Kind.FAILED, "The input schema of " + command() + " is not a valid JSON Schema: "
              + e.getMessage(), null, e);
        }
      }
      return u;
    }

    void record(long millis, boolean failed) {
      invocations.incrementAndGet();
      if (failed) {
        failures.incrementAndGet();
      }
      totalMillis.addAndGet(millis);
      maxMillis.accumulateAndGet(millis, Math::max);
      for (int i = 0; i < LIMITS.length; i++) {
        if (millis <= LIMITS[i]) {
          histogram.incrementAndGet(i);
          break;
        }
      }
    }

    ActionInfo info() {
      String s;
      try {
        s = schema();
      } catch (ActionException e) {
        s = null;
      }
      long n = invocations.get();
      Map<String, Long> h = new LinkedHashMap<>();
      for (int i = 0; i < BUCKETS.length; i++) {
        h.put(BUCKETS[i], histogram.get(i));
      }
      return new ActionInfo(plugin, name, description, s, command(), timeoutSeconds,
          new ActionInfo.Stats(n, failures.get(), n == 0 ? 0 : (double) totalMillis.get() / n, maxMillis.get(), h));
    }
  }

  private final BundleContext context;
  private final Map<ServiceReference<Action>, Entry> entries = new ConcurrentHashMap<>();
  /** No queue: an action runs at once on a thread of its own, or is refused as busy. */
  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 32, 30, TimeUnit.SECONDS,
      new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "dockevos-action");
        t.setDaemon(true);
        return t;
      });
  private volatile Validator validator;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;

  @Activate
  public ActionRuntime(BundleContext context, Config config) {
    this.context = context;
    modified(config);
  }

  /** A new limit applies to the next invocations; runs under way go on. */
  @Modified
  void modified(Config config) {
    executor.setMaximumPoolSize(Math.max(1, config.maxConcurrent()));
  }

  @Deactivate
  void deactivate() {
    entries.values().forEach(ActionRuntime::unregisterCommand);
    executor.shutdownNow();
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addAction(ServiceReference<Action> ref) {
    if (ref.getProperty(Action.NAME) == null) {
      LOG.warn("{} registers an Action without the property {}: it is ignored", ref.getBundle(), Action.NAME);
      return;
    }
    Entry e = new Entry(ref);
    entries.put(ref, e);
    registerCommand(e);
  }

  void removeAction(ServiceReference<Action> ref) {
    Entry e = entries.remove(ref);
    if (e != null) {
      unregisterCommand(e);
    }
  }

  private void registerCommand(Entry e) {
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("osgi.command.scope", e.scope);
    props.put("osgi.command.function", e.name);
    e.command = context.registerService(Function.class.getName(),
        (Function) (session, args) -> ActionCommand.run(this, e, args), props);
  }

  private static void unregisterCommand(Entry e) {
    ServiceRegistration<?> r = e.command;
    e.command = null;
    if (r != null) {
      try {
        r.unregister();
      } catch (IllegalStateException gone) {
        // already unregistered with the bundle
      }
    }
  }

  private Validator validator() {
    Validator v = validator;
    if (v == null) {
      synchronized (this) {
        if (validator == null) {
          validator = new ValidatorFactory()
              .withJsonNodeFactory(new JakartaJsonNode.Factory(Json.provider().createParserFactory(null)))
              .createValidator();
        }
        v = validator;
      }
    }
    return v;
  }

  @Override
  public List<ActionInfo> actions() {
    List<ActionInfo> result = new ArrayList<>();
    entries.values().stream().sorted(java.util.Comparator.comparing(Entry::command)).forEach(e -> result.add(e.info()));
    return result;
  }

  Entry entry(String plugin, String action) throws ActionException {
    List<Entry> ofPlugin = entries.values().stream().filter(e -> e.plugin != null && (e.plugin.equals(plugin)
        || String.valueOf(e.ref.getBundle().getBundleId()).equals(plugin) || e.scope.equals(plugin))).toList();
    if (ofPlugin.isEmpty()) {
      throw new ActionException(Kind.NOT_FOUND, "No plugin " + plugin + " with actions; plugin:actions shows them all",
          null, null);
    }
    return ofPlugin.stream().filter(e -> e.name.equals(action)).findFirst().orElseThrow(() -> new ActionException(
        Kind.NOT_FOUND, plugin + " has no action " + action + "; it has " + ofPlugin.stream().map(e -> e.name)
            .sorted().toList(), null, null));
  }

  @Override
  public Object invoke(String plugin, String action, Map<String, Object> input, Duration timeout,
      ActionListener listener) throws ActionException {
    return invoke(entry(plugin, action), input, timeout, listener);
  }

  Object invoke(Entry e, Map<String, Object> input, Duration timeout, ActionListener listener)
      throws ActionException {
    long begin = System.nanoTime();
    try {
      Map<String, Object> in = input == null ? Map.of() : input;
      validate(e, in);
      Object result = run(e, in, timeout == null ? Duration.ofSeconds(e.timeoutSeconds) : timeout,
          listener == null ? ActionListener.NONE : listener);
      long millis = (System.nanoTime() - begin) / 1_000_000;
      e.record(millis, false);
      post(ActionEvents.EXECUTED, e, millis, null);
      return result;
    } catch (ActionException x) {
      long millis = (System.nanoTime() - begin) / 1_000_000;
      e.record(millis, true);
      post(ActionEvents.FAILED, e, millis, x);
      throw x;
    }
  }

  private void validate(Entry e, Map<String, Object> input) throws ActionException {
    Validator.Result r = validator().validate(e.schemaUri(), Json.value(input));
    if (r.isValid()) {
      return;
    }
    dev.harrel.jsonschema.Error first = r.getErrors().stream()
        .filter(err -> !err.getInstanceLocation().isEmpty()).findFirst().orElse(r.getErrors().get(0));
    String field = first.getInstanceLocation().isEmpty() ? null : first.getInstanceLocation();
    if (field == null && "required".equals(first.getKeyword())) {
      field = missingRequired(e, input);
    }
    String where = field == null ? "the input" : "field '" + field.replaceFirst("^/", "") + "'";
    throw new ActionException(Kind.INVALID_INPUT, "Invalid input for " + e.command() + ": " + where + ": "
        + first.getError() + unknownFields(e, input) + " (see " + e.command() + " --help)", field, null);
  }

  /**
   * @return {@code "; it has no field 'txt' (its fields: text)"} when the input names fields the
   *     schema does not list (a typo is the likely cause of a missing one), else ""
   */
  private static String unknownFields(Entry e, Map<String, Object> input) {
    try {
      JsonObject schema = Json.provider().createReader(new StringReader(e.schema())).readObject();
      JsonObject properties = schema.getJsonObject("properties");
      if (properties == null) {
        return "";
      }
      List<String> unknown = input.keySet().stream().filter(k -> !properties.containsKey(k)).sorted().toList();
      if (unknown.isEmpty()) {
        return "";
      }
      return "; it has no field " + String.join(", ", unknown.stream().map(k -> "'" + k + "'").toList())
          + " (its fields: " + String.join(", ", properties.keySet()) + ")";
    } catch (ActionException | RuntimeException ignored) {
      return ""; // the message without it still says what is wrong
    }
  }

  /** The first required property the input lacks, as a JSON pointer. */
  private static String missingRequired(Entry e, Map<String, Object> input) {
    try {
      JsonObject schema = Json.provider().createReader(new StringReader(e.schema())).readObject();
      if (schema.containsKey("required")) {
        for (jakarta.json.JsonString s : schema.getJsonArray("required").getValuesAs(jakarta.json.JsonString.class)) {
          if (!input.containsKey(s.getString())) {
            return "/" + s.getString();
          }
        }
      }
    } catch (ActionException | RuntimeException ignored) {
      // the message without a field still says what is wrong
    }
    return null;
  }

  private Object run(Entry e, Map<String, Object> input, Duration timeout, ActionListener listener)
      throws ActionException {
    Action action = context.getService(e.ref);
    if (action == null) {
      throw new ActionException(Kind.NOT_FOUND, e.command() + " is gone: its plugin stopped", null, null);
    }
    AtomicBoolean cancelled = new AtomicBoolean();
    // What the action streams is handed to the listener on the invoking thread: the shell's output
    // belongs to the thread that runs the command. Bounded: past it, the action waits for the caller.
    java.util.concurrent.BlockingQueue<Runnable> streamed = new java.util.concurrent.ArrayBlockingQueue<>(STREAMED);
    ActionContext ctx = new ActionContext() {
      @Override
      public void progress(int percent, String message) {
        stream(streamed, cancelled, () -> listener.progress(Math.max(0, Math.min(100, percent)), message));
      }

      @Override
      public void output(String chunk) {
        stream(streamed, cancelled, () -> listener.output(chunk));
      }

      @Override
      public boolean cancelled() {
        return cancelled.get();
      }
    };
    Runnable done = () -> { };
    Future<Object> future;
    try {
      future = executor.submit(() -> {
        try {
          return action.invoke(input, ctx);
        } finally {
          stream(streamed, cancelled, done); // wakes the waiting thread at once
        }
      });
    } catch (RejectedExecutionException full) {
      context.ungetService(e.ref);
      throw new ActionException(Kind.BUSY, e.command() + " is refused: the runtime is busy: "
          + executor.getMaximumPoolSize() + " actions are running, the most at once (maxConcurrent of " + PID
          + "); try again once one ends", null, null);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        Runnable next = streamed.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
        if (next != null && next != done) {
          next.run();
        } else if (next == done || future.isDone()) {
          for (Runnable r = streamed.poll(); r != null; r = streamed.poll()) {
            if (r != done) {
              r.run();
            }
          }
          return future.get();
        } else if (left <= 0) {
          cancelled.set(true);
          future.cancel(true);
          throw new ActionException(Kind.TIMEOUT, e.command() + " did not finish within " + seconds(timeout)
              + "; it was cancelled", null, null);
        }
      }
    } catch (InterruptedException x) {
      cancelled.set(true);
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ActionException(Kind.CANCELLED, e.command() + " was cancelled", null, null);
    } catch (ExecutionException x) {
      Throwable cause = x.getCause();
      LOG.warn("Action {} failed", e.command(), cause);
      throw new ActionException(Kind.FAILED, e.command() + " failed: " + (cause.getMessage() == null
          ? cause.toString() : cause.getMessage()), null, cause);
    } finally {
      try {
        context.ungetService(e.ref);
      } catch (IllegalStateException gone) {
        // the runtime is stopping
      }
    }
  }

  /** Hands a piece of output to the caller; waits while the caller's queue is full, unless it gave up. */
  private static void stream(java.util.concurrent.BlockingQueue<Runnable> streamed, AtomicBoolean cancelled, Runnable r) {
    try {
      while (!cancelled.get() && !streamed.offer(r, 100, TimeUnit.MILLISECONDS)) {
        // the caller prints what waits
      }
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private void post(String topic, Entry e, long millis, ActionException x) {
    EventAdmin ea = events;
    if (ea == null) {
      return;
    }
    Map<String, Object> props = new HashMap<>();
    props.put(ActionEvents.PLUGIN_ID, String.valueOf(e.plugin));
    props.put(ActionEvents.ACTION, e.name);
    props.put(ActionEvents.DURATION, millis);
    if (x != null) {
      props.put(ActionEvents.REASON, x.getMessage());
      props.put(ActionEvents.KIND, x.kind().name());
    }
    ea.postEvent(new Event(topic, props));
  }
}
