package io.dockevos.systemlog.internal;

import io.dockevos.action.ActionService;
import io.dockevos.api.Host;
import io.dockevos.common.internal.Secrets;
import io.dockevos.systemlog.CommandHistory;
import io.dockevos.systemlog.CommandRecord;
import io.dockevos.systemlog.EventLog;
import io.dockevos.systemlog.LoggedEvent;
import io.dockevos.systemlog.MetricsStore;
import io.dockevos.systemlog.Sample;
import io.dockevos.systemlog.SystemLogEvents;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system log: it listens to every Gogo session and to Event Admin, takes samples, and keeps the
 * three stores. Callers only queue: one writer thread, started when the first task is due, loads
 * the stores (a second after activation, or at the first query), appends what was queued in
 * batches and takes the samples.
 */
@Component(immediate = true, configurationPid = SystemLog.PID,
    service = {CommandHistory.class, MetricsStore.class, EventLog.class, EventHandler.class, CommandSessionListener.class},
    property = {"event.topics=dockevos/*", "event.topics=org/osgi/framework/*"})
@Designate(ocd = SystemLog.Config.class)
public final class SystemLog implements CommandHistory, MetricsStore, EventLog, EventHandler, CommandSessionListener {
  public static final String PID = "dockevos.systemlog";
  private static final Logger LOG = LoggerFactory.getLogger(SystemLog.class);
  /** What the writer holds at most before it drops (and counts) new entries. */
  static final int QUEUE_LIMIT = 100_000;
  private static final long BATCH_DELAY_MS = 100;
  private static final long LOAD_DELAY_MS = 1000;
  private static final int MAX_VALUE_CHARS = 2000;

  @ObjectClassDefinition(name = "dockevOS system log",
      description = "Command history, metrics and event log, under data/systemlog/, bounded and rotated")
  public @interface Config {
    @AttributeDefinition(description = "Seconds between two metrics samples (fractions allowed)")
    double sampleInterval() default 10;

    @AttributeDefinition(description = "Commands kept at most")
    int historyMaxEntries() default 10_000;

    @AttributeDefinition(description = "Bytes of command history on disk at most")
    long historyMaxBytes() default 4L << 20;

    @AttributeDefinition(description = "Samples kept at most (8640: a day at 10 s)")
    int metricsMaxEntries() default 8640;

    @AttributeDefinition(description = "Bytes of samples on disk at most")
    long metricsMaxBytes() default 8L << 20;

    @AttributeDefinition(description = "Events kept at most")
    int eventsMaxEntries() default 10_000;

    @AttributeDefinition(description = "Bytes of events on disk at most")
    long eventsMaxBytes() default 4L << 20;

    @AttributeDefinition(description = "Segment files of each store: the oldest is deleted when a new one starts beyond this")
    int segments() default 4;

    @AttributeDefinition(description = "When written lines are forced to the disk. A kill -9 loses nothing that was"
        + " written either way; this is about power loss", options = {
        @Option(value = "interval", label = "at most every fsyncInterval ms"),
        @Option(value = "batch", label = "after every batch"),
        @Option(value = "none", label = "never; the OS decides")})
    String fsync() default "interval";

    @AttributeDefinition(description = "Milliseconds between two forces to disk, with fsync=interval")
    long fsyncInterval() default 1000;

    @AttributeDefinition(description = "The folder of the stores; empty for data/systemlog")
    String dir() default "";

    @AttributeDefinition(description = "The Event Admin topics that the event log keeps")
    String[] event_topics() default {"dockevos/*", "org/osgi/framework/*"};
  }

  private final BundleContext context;
  private final Path dir;
  private final SegmentedStore<CommandRecord> history;
  private final SegmentedStore<Sample> metrics;
  private final SegmentedStore<LoggedEvent> events;
  private final Duration interval;
  private final String fsync;
  private final long fsyncInterval;
  private final Sampler sampler;
  private final ScheduledThreadPoolExecutor writer;
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean syncScheduled = new AtomicBoolean();
  private final Map<CommandSession, Deque<long[]>> running = Collections.synchronizedMap(new WeakHashMap<>());
  private final String osUser = System.getProperty("user.name", "?");
  private volatile boolean loaded;
  private volatile boolean closed;
  private long lastSync = System.nanoTime();

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile ActionService actions;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile EventAdmin eventAdmin;

  @Activate
  public SystemLog(BundleContext context, Config config) {
    this.context = context;
    String data = context.getProperty(Host.DATA_PROPERTY);
    this.dir = !config.dir().isBlank() ? Path.of(config.dir())
        : data != null ? Path.of(data, "systemlog") : context.getDataFile("systemlog").toPath();
    int segments = Math.max(1, config.segments());
    this.history = new SegmentedStore<>("history", dir.resolve("history"), Codecs.HISTORY,
        new SegmentedStore.Limits(Math.max(1, config.historyMaxEntries()), Math.max(1, config.historyMaxBytes()), segments));
    this.metrics = new SegmentedStore<>("metrics", dir.resolve("metrics"), Codecs.METRICS,
        new SegmentedStore.Limits(Math.max(1, config.metricsMaxEntries()), Math.max(1, config.metricsMaxBytes()), segments));
    this.events = new SegmentedStore<>("events", dir.resolve("events"), Codecs.EVENTS,
        new SegmentedStore.Limits(Math.max(1, config.eventsMaxEntries()), Math.max(1, config.eventsMaxBytes()), segments));
    this.interval = Duration.ofMillis(Math.max(50, Math.round(config.sampleInterval() * 1000)));
    this.fsync = config.fsync().trim().toLowerCase(Locale.ROOT);
    for (SegmentedStore<?> s : stores()) {
      s.forceOnRoll(!fsync.equals("none"));
    }
    this.fsyncInterval = Math.max(1, config.fsyncInterval());
    this.sampler = new Sampler(context, () -> actions);
    // No thread until the first task is due: activation reads nothing and starts nothing.
    this.writer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "dockevos-systemlog");
      t.setDaemon(true);
      return t;
    });
    writer.setRemoveOnCancelPolicy(true);
    writer.schedule(this::loadIfNeeded, LOAD_DELAY_MS, TimeUnit.MILLISECONDS);
    writer.scheduleAtFixedRate(io.dockevos.common.internal.Periodic.guarded(this::takeSample,
        e -> LOG.warn("system log: taking a sample failed: {}", e.toString())), interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Deactivate
  void close() {
    closed = true;
    try {
      writer.submit(() -> {
        // Stopped within a second of starting (run -c): load now, so that nothing queued is lost.
        if (!loaded) {
          loadStores();
        }
        drain();
        for (SegmentedStore<?> s : stores()) {
          try {
            s.close();
          } catch (IOException e) {
            LOG.warn("system log: closing {}: {}", s.dir(), e.toString());
          }
        }
      }).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      LOG.warn("system log: could not write everything before stopping: {}", e.toString());
    }
    writer.shutdownNow();
  }

  private List<SegmentedStore<?>> stores() {
    return List.of(history, metrics, events);
  }

  // ---- the writer thread

  private void loadIfNeeded() {
    if (loaded) {
      return;
    }
    loadStores();
    drain();
    takeSample();
  }

  private void loadStores() {
    for (SegmentedStore<?> s : stores()) {
      try {
        for (SegmentedStore.Problem p : s.load()) {
          report(p);
        }
      } catch (IOException | RuntimeException e) {
        LOG.error("system log: cannot read the {} store in {}: {}; it starts empty", s.name(), s.dir(), e.toString());
      }
    }
    loaded = true;
  }

  private void report(SegmentedStore.Problem p) {
    LOG.warn("system log: {}", p);
    EventAdmin ea = eventAdmin;
    if (ea != null) {
      Map<String, Object> props = new LinkedHashMap<>();
      props.put(SystemLogEvents.STORE, p.store());
      props.put(SystemLogEvents.FILE, p.file().toString());
      props.put(SystemLogEvents.LINE, p.line());
      props.put(SystemLogEvents.REASON, p.reason());
      ea.postEvent(new Event(SystemLogEvents.CORRUPT, props));
    }
  }

  private void takeSample() {
    if (closed) {
      return;
    }
    try {
      enqueue(sampler.sample());
    } catch (RuntimeException e) {
      LOG.warn("system log: taking a sample failed: {}", e.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private void drain() {
    drainScheduled.set(false);
    if (!loaded) {
      return;
    }
    List<CommandRecord> h = new ArrayList<>();
    List<Sample> m = new ArrayList<>();
    List<LoggedEvent> e = new ArrayList<>();
    Object o;
    while ((o = queue.poll()) != null) {
      queued.decrementAndGet();
      if (o instanceof CommandRecord r) {
        h.add(r);
      } else if (o instanceof Sample s) {
        m.add(s);
      } else {
        LoggedEvent event = (LoggedEvent) o;
        if (event.properties() instanceof PropertyMap p) {
          p.maskSecrets(); // here, on the writer thread, not on Event Admin's
        }
        e.add(event);
      }
    }
    long lost = dropped.getAndSet(0);
    if (lost > 0) {
      LOG.warn("system log: {} entries dropped, more than {} were waiting to be written", lost, QUEUE_LIMIT);
    }
    append(history, h);
    append(metrics, m);
    append(events, e);
    afterWrite();
  }

  private <T> void append(SegmentedStore<T> store, List<T> batch) {
    try {
      store.append(batch);
    } catch (IOException | RuntimeException ex) {
      LOG.warn("system log: cannot write {} {} entries to {}: {}", batch.size(), store.name(), store.dir(), ex.toString());
    }
  }

  private void afterWrite() {
    switch (fsync) {
      case "batch" -> sync();
      case "none" -> { }
      default -> {
        if (System.nanoTime() - lastSync >= fsyncInterval * 1_000_000L) {
          sync();
        } else if (syncScheduled.compareAndSet(false, true)) {
          writer.schedule(() -> {
            syncScheduled.set(false);
            sync();
          }, fsyncInterval, TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  private void sync() {
    lastSync = System.nanoTime();
    for (SegmentedStore<?> s : stores()) {
      try {
        s.sync();
      } catch (IOException e) {
        LOG.warn("system log: cannot sync {}: {}", s.dir(), e.toString());
      }
    }
  }

  private void enqueue(Object entry) {
    if (queued.incrementAndGet() > QUEUE_LIMIT) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    queue.add(entry);
    if (loaded && drainScheduled.compareAndSet(false, true)) {
      try {
        writer.schedule(this::drain, BATCH_DELAY_MS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // stopping: close() drains
      }
    }
  }

  /** Loads the stores if not done yet and writes what is queued, so that a query sees everything before it. */
  private void settle() {
    if (closed) {
      return;
    }
    try {
      writer.submit(() -> {
        loadIfNeeded();
        drain();
      }).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the system log loads");
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("the system log is not available: " + e);
    }
  }

  // ---- Gogo

  @Override
  public void beforeExecute(CommandSession session, CharSequence commandline) {
    if (ignored(commandline)) {
      return;
    }
    Deque<long[]> stack = running.computeIfAbsent(session, s -> new ArrayDeque<>());
    synchronized (stack) {
      stack.push(new long[] {System.currentTimeMillis(), System.nanoTime()});
    }
  }

  @Override
  public void afterExecute(CommandSession session, CharSequence commandline, Exception exception) {
    finish(session, commandline, exception);
  }

  @Override
  public void afterExecute(CommandSession session, CharSequence commandline, Object result) {
    finish(session, commandline, null);
  }

  /**
   * The shell itself, not a command: gosh runs the whole console as one command, and the console
   * runs its profile (etc/gosh_profile, which starts with a comment) as another. A typed line that
   * is only a comment does nothing, so nothing is lost.
   */
  static boolean ignored(CharSequence line) {
    String s = line.toString().stripLeading();
    // A container engine's probes (bin/dockevos status --live, --ready) run every few seconds: not history.
    return s.isEmpty() || s.startsWith("#") || s.equals("gosh") || s.startsWith("gosh ")
        || s.startsWith("dockevos:probe ");
  }

  private void finish(CommandSession session, CharSequence commandline, Exception exception) {
    if (ignored(commandline)) {
      return;
    }
    Deque<long[]> stack = running.get(session);
    long[] start;
    if (stack == null) {
      return;
    }
    synchronized (stack) {
      start = stack.poll();
    }
    if (start == null) {
      return;
    }
    long millis = (System.nanoTime() - start[1]) / 1_000_000;
    String user = text(session, SESSION_USER, osUser);
    String origin = text(session, SESSION_ORIGIN, "console");
    String error = null;
    CommandRecord.Status status = CommandRecord.Status.OK;
    if (exception != null && interrupted(exception)) {
      // A log:tail -f or metrics:watch ends so: the user stopped it, it did not fail.
      status = CommandRecord.Status.INTERRUPTED;
    } else if (exception != null) {
      status = CommandRecord.Status.FAILED;
      error = exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
    }
    // Kept and shown without the secrets typed into it: tokens, passwords, passwords of URLs.
    enqueue(new CommandRecord(Instant.ofEpochMilli(start[0]), user, origin, Secrets.redact(commandline.toString().strip()),
        millis, status, Secrets.redact(error)));
  }

  @Override
  public void record(CommandRecord r) {
    enqueue(new CommandRecord(r.time(), r.user(), r.origin(), Secrets.redact(r.command()), r.durationMillis(),
        r.status(), Secrets.redact(r.error())));
  }

  /** @return whether the command ended because its thread was interrupted: its user stopped it */
  private static boolean interrupted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
          || t instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  private static String text(CommandSession session, String name, String otherwise) {
    try {
      Object v = session.get(name);
      return v instanceof String s && !s.isBlank() ? s : otherwise;
    } catch (RuntimeException closed) {
      return otherwise;
    }
  }

  // ---- Event Admin: copy the properties as text and queue, nothing more

  @Override
  public void handleEvent(Event event) {
    if (closed) {
      return;
    }
    String[] names = event.getPropertyNames();
    String[] pairs = new String[names.length * 2];
    int n = 0;
    for (String name : names) {
      if (name.equals("event.topics")) {
        continue;
      }
      String v = text(event.getProperty(name));
      if (v != null) {
        pairs[n++] = name;
        pairs[n++] = v.length() > MAX_VALUE_CHARS ? v.substring(0, MAX_VALUE_CHARS) + "..." : v;
      }
    }
    enqueue(new LoggedEvent(Instant.now(), event.getTopic(), new PropertyMap(n == pairs.length ? pairs : java.util.Arrays.copyOf(pairs, n))));
  }

  /** Simple values as text, arrays and collections of them joined with commas; live objects are left out. */
  static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Number || v instanceof Boolean || v instanceof Character || v instanceof Enum<?>
        || v instanceof org.osgi.framework.Version) {
      return v.toString();
    }
    if (v instanceof Throwable t) {
      return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
    }
    if (v.getClass().isArray()) {
      StringBuilder b = new StringBuilder();
      int n = Array.getLength(v);
      for (int i = 0; i < n; i++) {
        String s = text(Array.get(v, i));
        if (s != null) {
          b.append(b.length() == 0 ? "" : ",").append(s);
        }
      }
      return b.toString();
    }
    if (v instanceof Collection<?> c) {
      return text(c.toArray());
    }
    return null;
  }

  // ---- queries

  @Override
  public List<CommandRecord> find(String text, boolean failedOnly, int limit) {
    settle();
    String needle = text == null ? "" : text.toLowerCase(Locale.ROOT);
    return history.newest(r -> (!failedOnly || r.failed())
        && (needle.isEmpty() || r.command().toLowerCase(Locale.ROOT).contains(needle)), Math.max(0, limit));
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public Optional<Sample> latest() {
    settle();
    return Optional.ofNullable(metrics.last());
  }

  @Override
  public List<Sample> since(Instant since) {
    settle();
    return metrics.newest(s -> since == null || !s.time().isBefore(since), Integer.MAX_VALUE);
  }

  @Override
  public Sample sampleNow() {
    return sampler.sample();
  }

  @Override
  public List<LoggedEvent> find(String topicPattern, String plugin, Instant since, int limit) {
    settle();
    Pattern topic = topicPattern == null || topicPattern.isBlank() ? null : glob(topicPattern);
    return events.newest(e -> (topic == null || topic.matcher(e.topic()).matches())
        && (plugin == null || plugin.isBlank() || plugin.equals(e.plugin()))
        && (since == null || !e.time().isBefore(since)), Math.max(0, limit));
  }

  /**
   * A topic pattern: with {@code *}, a glob whose {@code *} matches any text; without, the topic
   * itself and every topic under it ({@code dockevos/plugin} matches {@code dockevos/plugin/INSTALLED}),
   * since Gogo expands an unquoted {@code *} against file names before the command sees it.
   */
  static Pattern glob(String pattern) {
    if (pattern.indexOf('*') < 0) {
      String p = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
      return Pattern.compile(Pattern.quote(p) + "(/.*)?");
    }
    StringBuilder re = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (re.length() > 0) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString().replace("\\Q\\E", ""));
  }

  /** The figures of the stores, for {@code metrics:show}; read on the writer thread, which changes them. */
  Map<String, Object> storeFigures() {
    settle();
    try {
      return writer.submit(() -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (SegmentedStore<?> s : stores()) {
          m.put(s.name(), Map.of("entries", s.count(), "segments", s.segmentCount(), "bytes", s.diskBytes()));
        }
        m.put("dir", dir.toString());
        return m;
      }).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      return Map.of();
    }
  }
}
