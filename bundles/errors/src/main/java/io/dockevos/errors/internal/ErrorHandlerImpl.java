package io.dockevos.errors.internal;

import io.dockevos.action.ActionEvents;
import io.dockevos.api.DeployEvents;
import io.dockevos.api.Host;
import io.dockevos.docker.DockerEvents;
import io.dockevos.error.ErrorEvents;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import io.dockevos.fallback.FallbackEvents;
import io.dockevos.hardware.HardwareEvents;
import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.ComponentDiagnosis;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.PluginEvents;
import io.dockevos.plugin.PluginManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.Designate;
import io.dockevos.common.internal.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error handler. Its sources: framework events, bundle and plugin failures, Declarative
 * Services components (the runtime's DTOs, scanned), ERROR entries of the Log Service (its history
 * replayed at start), failed actions, the deploy folder, the Docker engine and the hardware
 * analyzer, jobs that the fallback refused, and {@link #report} for plugins. Repeats share a fingerprint and are counted. The
 * store is read at the first use, not in activate, and written at most once per {@code
 * writeDelayMillis}, on the error handler's one thread, which also replays the log and scans the
 * components. The sources live in classes of their own: {@link EventSources} (the events),
 * {@link LogSource} (the log), {@link ComponentScan} (components and unresolved bundles); each
 * plugin's health in {@link HealthReports}; whether an incident's cause is still there in {@link Rechecks}.
 */
@Component(service = {ErrorHandler.class, EventHandler.class}, immediate = true, configurationPid = "dockevos.errors",
    property = {
        EventConstants.EVENT_TOPIC + "=" + PluginEvents.FAILED,
        EventConstants.EVENT_TOPIC + "=" + DeployEvents.FAILED,
        EventConstants.EVENT_TOPIC + "=" + DeployEvents.RECOVERED,
        EventConstants.EVENT_TOPIC + "=" + ActionEvents.FAILED,
        EventConstants.EVENT_TOPIC + "=" + ActionEvents.EXECUTED,
        EventConstants.EVENT_TOPIC + "=" + DockerEvents.ENGINE_DOWN,
        EventConstants.EVENT_TOPIC + "=" + DockerEvents.ENGINE_UP,
        EventConstants.EVENT_TOPIC + "=" + DockerEvents.CONTAINER_DIED,
        EventConstants.EVENT_TOPIC + "=" + HardwareEvents.THRESHOLD,
        EventConstants.EVENT_TOPIC + "=" + HardwareEvents.THRESHOLD_CLEARED,
        EventConstants.EVENT_TOPIC + "=" + HardwareEvents.TOOL_MISSING,
        EventConstants.EVENT_TOPIC + "=" + FallbackEvents.REFUSED,
        EventConstants.EVENT_TOPIC + "=" + FallbackEvents.DEACTIVATED})
@Designate(ocd = ErrorsConfig.class)
public final class ErrorHandlerImpl implements ErrorHandler, EventHandler, FrameworkListener, BundleListener {
  /** Incidents whose automatic resolution waits for a fix: id -> why it resolved meanwhile, or "". */
  private final Map<String, String> held = new java.util.concurrent.ConcurrentHashMap<>();

  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlerImpl.class);
  private static final Pattern ACTIVATOR_THREW = Pattern.compile("activator threw ([\\w.$]+)");
  /** A failure that a second source reports this soon after the first is the same occurrence. */
  static final long ECHO_MILLIS = 2000;

  private final BundleContext context;
  private final Path dataDir;
  private final ScheduledThreadPoolExecutor executor;
  private final EventSources eventSources;
  private final LogSource logSource;
  private final ComponentScan componentScan;
  private final HealthReports healthReports;
  private final Rechecks rechecks;
  private volatile ErrorsConfig config;
  private IncidentStore store;
  private boolean loaded;
  private boolean writeScheduled;
  private final Object writeLock = new Object();
  private ScheduledFuture<?> scan;
  /** When each incident last had a REPORTED event, in nanoseconds. */
  private final Map<String, Long> lastReported = new HashMap<>();

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile EventAdmin events;
  /** What is wrong with bundles and their components: the one scan of the wiring and of Declarative Services. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile Diagnostics diagnostics;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile HealthCheckExecutor healthChecks;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile PluginManager plugins;
  /** Installs {@value HealthReports#HEALTH_FEATURE} when a plugin's health check first needs running. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile io.dockevos.feature.FeatureManager features;


  @Activate
  public ErrorHandlerImpl(BundleContext context, ErrorsConfig config) {
    this.context = context;
    this.config = config;
    String home = Objects.requireNonNullElse(context.getProperty(Host.HOME_PROPERTY), ".");
    String data = context.getProperty(Host.DATA_PROPERTY);
    this.dataDir = data != null ? Path.of(data) : Path.of(home).resolve("data");
    this.store = new IncidentStore(dataDir.resolve(config.storeFile()), config.maxIncidents());
    this.eventSources = new EventSources(this, context);
    this.logSource = new LogSource(this, context);
    this.componentScan = new ComponentScan(this, context);
    this.healthReports = new HealthReports(this, context);
    this.rechecks = new Rechecks(this, context);
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "dockevos-errors");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    context.addFrameworkListener(this);
    context.addBundleListener(this);
    scheduleScan();
    // The store is read off the boot path, soon after: a corrupt file is found (and moved aside) at
    // start, not at the first command.
    executor.schedule(this::loadNow, 500, TimeUnit.MILLISECONDS);
  }

  ErrorsConfig config() {
    return config;
  }

  private synchronized void loadNow() {
    load();
  }

  @Modified
  void modified(ErrorsConfig config) {
    this.config = config;
    synchronized (this) {
      Path file = dataDir.resolve(config.storeFile());
      if (!file.equals(store.file())) {
        store = new IncidentStore(file, config.maxIncidents());
        loaded = false;
      } else {
        store.max(config.maxIncidents());
      }
      scheduleScan();
    }
  }

  @Deactivate
  void deactivate() {
    context.removeFrameworkListener(this);
    context.removeBundleListener(this);
    executor.shutdownNow();
    flush();
  }

  private synchronized void scheduleScan() {
    if (scan != null) {
      scan.cancel(false);
    }
    long grace = Math.max(1, config.gracePeriodSeconds());
    long period = Math.max(1, grace / 2);
    scan = executor.scheduleWithFixedDelay(Periodic.guarded(componentScan::scanQuietly,
        e -> LOG.warn("Cannot scan the components: {}", e.toString(), e)), grace, period, TimeUnit.SECONDS);
  }

  // ---- the API ---------------------------------------------------------------------------------

  @Override
  public synchronized List<Incident> incidents(boolean all) {
    load();
    List<Incident> list = new ArrayList<>();
    for (Incident i : store.all()) {
      if (all || !IncidentStore.closed(i)) {
        list.add(i);
      }
    }
    list.sort(Comparator.comparing(Incident::lastSeen).reversed().thenComparing(Incident::id,
        Comparator.comparing(ErrorHandlerImpl::number).reversed()));
    return list;
  }

  private static long number(String id) {
    try {
      return Long.parseLong(id.substring(1));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  @Override
  public synchronized Optional<Incident> incident(String id) {
    load();
    return Optional.ofNullable(store.get(id));
  }

  @Override
  public Incident report(String source, String pluginId, Incident.Severity severity, String summary, Throwable error,
      Map<String, String> properties) {
    Map<String, String> props = new LinkedHashMap<>(properties == null ? Map.of() : properties);
    props.putAll(Failure.describe(error));
    String own = props.remove(IncidentProperties.FINGERPRINT_KEY);
    String key = "report|" + source + "|" + pluginId + "|" + (own != null ? own
        : error != null ? Failure.signature(error) : Failure.normalized(summary));
    String detail = Objects.requireNonNullElse(summary, "") + (error != null ? "\n\n" + Failure.stack(error) : "");
    return record(new Failure(Objects.requireNonNullElse(source, "report"), pluginId,
        Objects.requireNonNullElse(severity, Incident.Severity.ERROR), Failure.oneLine(summary), detail, key, props));
  }

  @Override
  public Incident setStatus(String id, Incident.Status status) {
    Incident changed;
    synchronized (this) {
      load();
      Incident i = store.get(id);
      if (i == null) {
        throw new IllegalArgumentException("No incident " + id + "; error:list --all lists them");
      }
      if (i.status() == status) {
        return i;
      }
      changed = with(i, status, i.properties());
      store.put(changed);
      scheduleWrite();
    }
    if (status == Incident.Status.FIXED) {
      publish(ErrorEvents.RESOLVED, changed);
    }
    return changed;
  }

  @Override
  public synchronized int clear(String id) {
    load();
    int n = 0;
    if (id != null) {
      if (store.remove(id) == null) {
        throw new IllegalArgumentException("No incident " + id + "; error:list --all lists them");
      }
      n = 1;
    } else {
      for (Incident i : List.copyOf(store.all())) {
        if (IncidentStore.closed(i)) {
          store.remove(i.id());
          n++;
        }
      }
    }
    if (n > 0) {
      scheduleWrite();
    }
    return n;
  }

  @Override
  public Optional<Boolean> recheck(String id) {
    Incident i = incident(id).orElse(null);
    if (i == null) {
      return Optional.empty();
    }
    Optional<Boolean> present = rechecks.causePresent(i);
    if (present.isPresent() && !present.get() && !IncidentStore.closed(i)) {
      resolve(i, "re-checked: " + Rechecks.goneReason(i));
    }
    return present;
  }

  @Override
  public Health health(String pluginId) {
    return healthReport(pluginId).health();
  }

  /** A plugin's health, for the commands. */
  HealthReports.PluginHealth healthReport(String pluginId) {
    return healthReports.healthReport(pluginId);
  }

  /** Every plugin that has open incidents, health checks, or is installed as a plugin. */
  List<HealthReports.PluginHealth> healthReports() {
    return healthReports.healthReports();
  }

  // ---- counting --------------------------------------------------------------------------------

  Incident record(Failure f) {
    String fingerprint = f.fingerprint();
    Instant now = Instant.now();
    boolean duringFix = duringFix();
    Incident result;
    boolean isNew;
    boolean publish;
    synchronized (this) {
      load();
      Incident old = store.byFingerprint(fingerprint);
      isNew = old == null;
      // a failure that comes back after its fix is news, however soon after the last report
      boolean reopened = old != null && old.status() == Incident.Status.FIXED;
      if (old == null) {
        result = new Incident(store.newId(), fingerprint, f.source(), f.summary(), f.detail(), f.pluginId(),
            f.severity(), Incident.Status.OPEN, now, now, 1, duringFix ? withFixCount(f.properties(), 1)
            : f.properties());
      } else {
        // The same failure heard through a second channel at once; not when another installed bundle
        // (another bundle id) of the same plugin failed.
        String oldBundle = old.properties().get(IncidentProperties.BUNDLE_ID);
        String newBundle = f.properties().get(IncidentProperties.BUNDLE_ID);
        boolean echo = !old.source().equals(f.source()) && old.status() != Incident.Status.FIXED
            && now.toEpochMilli() - old.lastSeen().toEpochMilli() < ECHO_MILLIS
            && (oldBundle == null || newBundle == null || oldBundle.equals(newBundle));
        Map<String, String> props;
        if (old.properties().entrySet().containsAll(f.properties().entrySet())
            && !old.properties().containsKey(IncidentProperties.RESOLVED_BY)) {
          props = old.properties(); // a plain repeat: nothing new to keep, nothing copied
        } else {
          props = new LinkedHashMap<>(old.properties());
          f.properties().forEach(props::putIfAbsent);
          if (!echo) {
            props.putAll(f.properties());
          }
          props.remove(IncidentProperties.RESOLVED_BY);
        }
        if (duringFix && !echo) {
          props = withFixCount(props, fixCount(old) + 1);
        }
        String detail = echo && old.detail().length() >= f.detail().length() ? old.detail() : f.detail();
        Incident.Status status = old.status() == Incident.Status.FIXED ? Incident.Status.OPEN : old.status();
        Incident.Severity severity = f.severity().compareTo(old.severity()) > 0 ? f.severity() : old.severity();
        result = new Incident(old.id(), fingerprint, old.source(), echo ? old.summary() : f.summary(), detail,
            old.pluginId() != null ? old.pluginId() : f.pluginId(), severity, status, old.firstSeen(),
            echo ? old.lastSeen() : now, echo ? old.count() : old.count() + 1, props);
        if (echo) {
          store.put(result);
          scheduleWrite();
          return result;
        }
      }
      store.put(result);
      scheduleWrite();
      publish = throttle(result.id(), isNew || reopened);
      if ("action".equals(result.properties().get(IncidentProperties.SUBJECT_KIND))) {
        actionSubjects.add(result.properties().get(IncidentProperties.SUBJECT));
      }
      if (lastReported.size() > 4 * config.maxIncidents()) {
        lastReported.keySet().retainAll(store.all().stream().map(Incident::id).toList());
      }
    }
    if (isNew) {
      LOG.debug("Incident {} ({}): {}", result.id(), result.source(), result.summary());
    }
    if (publish) {
      publish(ErrorEvents.REPORTED, result);
    }
    return result;
  }

  /**
   * How long after the last hold on a resolution ({@link #holdResolution}, taken while a fix is
   * applied) failures still count as the fix's: the events of its last start and of its rollback are
   * delivered asynchronously, and the deploy folder checks its bundles again a moment later.
   */
  static final long FIX_GRACE_MILLIS = 3_000;
  /** Until when (nanoTime) failures count as a fix's, once no hold is open. */
  private volatile long fixGraceUntil = Long.MIN_VALUE;

  /** @return whether a fix is being applied, or was a moment ago: its failures are not the plugin's own */
  private boolean duringFix() {
    return !held.isEmpty() || fixGraceUntil != Long.MIN_VALUE && System.nanoTime() - fixGraceUntil < 0;
  }

  static int fixCount(Incident i) {
    try {
      return Integer.parseInt(i.properties().getOrDefault(IncidentProperties.FIX_COUNT, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Map<String, String> withFixCount(Map<String, String> props, int n) {
    Map<String, String> p = new LinkedHashMap<>(props);
    p.put(IncidentProperties.FIX_COUNT, String.valueOf(n));
    return p;
  }

  private static Incident with(Incident i, Incident.Status status, Map<String, String> props) {
    return new Incident(i.id(), i.fingerprint(), i.source(), i.summary(), i.detail(), i.pluginId(), i.severity(),
        status, i.firstSeen(), i.lastSeen(), i.count(), props);
  }

  /** Marks an incident FIXED, because what caused it is fine again, and publishes RESOLVED. */
  @Override
  public Hold holdResolution(String id) {
    held.putIfAbsent(id, "");
    return () -> {
      String why = held.remove(id);
      fixGraceUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FIX_GRACE_MILLIS);
      if (why != null && !why.isEmpty()) {
        Incident i;
        synchronized (this) {
          i = store.get(id);
        }
        if (i != null) {
          resolve(i, why);
        }
      }
    };
  }

  private void resolve(Incident i, String why) {
    Incident fixed;
    synchronized (this) {
      Incident now = store.get(i.id());
      if (now == null || IncidentStore.closed(now)) {
        return;
      }
      if (held.containsKey(i.id())) {
        held.put(i.id(), why); // resolved when the hold is released, after the fix's own events
        return;
      }
      Map<String, String> props = new LinkedHashMap<>(now.properties());
      props.put(IncidentProperties.RESOLVED_BY, why);
      fixed = with(now, Incident.Status.FIXED, props);
      store.put(fixed);
      scheduleWrite();
    }
    LOG.info("Incident {} is fixed: {}", fixed.id(), why);
    publish(ErrorEvents.RESOLVED, fixed);
  }

  /** Resolves every open incident whose property {@code key} is {@code value} and that {@code also} accepts. */
  void resolveWhere(String kind, java.util.function.Predicate<Incident> match, String why) {
    List<Incident> open;
    synchronized (this) {
      load();
      open = store.all().stream().filter(i -> !IncidentStore.closed(i))
          .filter(i -> kind == null || kind.equals(i.properties().get(IncidentProperties.SUBJECT_KIND)))
          .filter(match).toList();
    }
    open.forEach(i -> resolve(i, why));
  }

  private void publish(String topic, Incident i) {
    EventAdmin ea = events;
    if (ea == null) {
      return;
    }
    Map<String, Object> p = new HashMap<>();
    p.put(ErrorEvents.INCIDENT_ID, i.id());
    p.put(ErrorEvents.FINGERPRINT, i.fingerprint());
    if (i.pluginId() != null) {
      p.put(ErrorEvents.PLUGIN_ID, i.pluginId());
    }
    p.put(ErrorEvents.SEVERITY, i.severity().name());
    p.put(ErrorEvents.SUMMARY, i.summary());
    p.put(ErrorEvents.COUNT, i.count());
    p.put(ErrorEvents.SOURCE, i.source());
    p.put(ErrorEvents.STATUS, i.status().name());
    try {
      ea.postEvent(new Event(topic, p));
    } catch (IllegalStateException stopping) {
      // Event Admin went away meanwhile
    }
  }

  // ---- storage ---------------------------------------------------------------------------------

  /** Reads the store at the first use; the caller holds the lock. */
  private void load() {
    if (!loaded) {
      loaded = true;
      store.load();
      for (Incident i : store.all()) {
        if ("action".equals(i.properties().get(IncidentProperties.SUBJECT_KIND))) {
          actionSubjects.add(i.properties().get(IncidentProperties.SUBJECT));
        }
      }
    }
  }

  /** Writes within writeDelayMillis, once for every change made meanwhile; the caller holds the lock. */
  private void scheduleWrite() {
    if (writeScheduled) {
      return;
    }
    writeScheduled = true;
    try {
      executor.schedule(this::flush, Math.max(0, config.writeDelayMillis()), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      writeScheduled = false; // deactivate flushes
    }
  }

  void flush() {
    synchronized (writeLock) {
      byte[] bytes;
      Path file;
      synchronized (this) {
        if (!loaded) {
          return;
        }
        writeScheduled = false;
        bytes = store.serialize();
        file = store.file();
      }
      try {
        IncidentStore.write(file, bytes);
      } catch (IOException e) {
        LOG.error("Cannot write the incident store {}: {}", file, e.toString());
      }
    }
  }

  // ---- sources: events (EventSources) ----------------------------------------------------------

  @Override
  public void handleEvent(Event event) {
    try {
      eventSources.handle(event);
    } catch (RuntimeException e) {
      LOG.warn("Cannot record the event {}: {}", event.getTopic(), e.toString(), e);
    }
  }

  /** The subjects of every action incident, so that a successful action seldom looks at the store. */
  private final Set<String> actionSubjects = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A storm's fast path: counts a repeat of the open incident of {@code key}, from the same {@code
   * source}, without building its properties again (those of its first occurrence stay).
   *
   * @return false when there is no such open incident
   */
  boolean countRepeat(String key, String source) {
    Incident result;
    boolean publish;
    synchronized (this) {
      load();
      Incident old = store.byFingerprint(Failure.hash(key));
      if (old == null || IncidentStore.closed(old) || !old.source().equals(source)) {
        return false;
      }
      result = new Incident(old.id(), old.fingerprint(), old.source(), old.summary(), old.detail(), old.pluginId(),
          old.severity(), old.status(), old.firstSeen(), Instant.now(), old.count() + 1, old.properties());
      store.put(result);
      scheduleWrite();
      publish = throttle(result.id(), false);
    }
    if (publish) {
      publish(ErrorEvents.REPORTED, result);
    }
    return true;
  }

  /** Whether a REPORTED event is due for this incident now; the caller holds the lock. */
  private boolean throttle(String id, boolean isNew) {
    long t = System.nanoTime();
    Long last = lastReported.get(id);
    boolean due = isNew || last == null || t - last >= TimeUnit.MILLISECONDS.toNanos(config.reportIntervalMillis());
    if (due) {
      lastReported.put(id, t);
    }
    return due;
  }

  synchronized boolean hasOpen(String kind, String subject) {
    if (kind.equals("action") && !actionSubjects.contains(subject)) {
      return false;
    }
    load();
    return store.all().stream().anyMatch(i -> !IncidentStore.closed(i)
        && kind.equals(i.properties().get(IncidentProperties.SUBJECT_KIND))
        && subject.equals(i.properties().get(IncidentProperties.SUBJECT)));
  }

  /**
   * A bundle that failed to resolve or start. The fingerprint is the bundle and the kind of
   * failure (unresolved, or the exception its activator threw), so that the deploy folder, the
   * plugin manager and the framework reporting one failure make one incident.
   */
  void bundleFailure(String source, String bsn, String version, Bundle bundle, String reason,
      Throwable error, Map<String, String> eventProps) {
    if (bsn == null && bundle != null) {
      bsn = bundle.getSymbolicName();
    }
    Map<String, String> p = new LinkedHashMap<>(eventProps);
    p.put(IncidentProperties.BUNDLE, String.valueOf(bsn));
    if (version != null) {
      p.put(IncidentProperties.BUNDLE_VERSION, version);
    }
    if (bundle != null) {
      p.put(IncidentProperties.BUNDLE_ID, String.valueOf(bundle.getBundleId()));
    }
    if (reason != null) {
      p.put(IncidentProperties.MESSAGE, reason);
    }
    p.putAll(Failure.describe(error));
    if (reason != null && error == null) {
      Matcher m = ACTIVATOR_THREW.matcher(reason);
      if (m.find()) {
        p.put(IncidentProperties.EXCEPTION, m.group(1));
      }
    }
    String kind;
    boolean unresolved = error instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR
        || eventProps.containsKey(IncidentProperties.REQUIREMENT)
        || error == null && reason != null && reason.contains("resolve")
        || bundle != null && bundle.getState() == Bundle.INSTALLED && unresolved(bundle);
    if (unresolved) {
      kind = "unresolved";
      p.put(IncidentProperties.UNRESOLVED, "true");
      if (bundle != null) {
        addRequirements(bundle, p);
      }
    } else if (p.containsKey(IncidentProperties.EXCEPTION)) {
      kind = "threw:" + p.get(IncidentProperties.EXCEPTION);
    } else {
      kind = Failure.normalized(reason);
    }
    p.put(IncidentProperties.SUBJECT_KIND, "bundle");
    p.put(IncidentProperties.SUBJECT, String.valueOf(bsn));
    String who = bsn + (version != null ? " " + version : "");
    String text = reason != null ? reason : error != null ? who + " failed: " + error : who + " failed";
    if (!text.contains(bsn)) {
      text = who + ": " + text;
    }
    String detail = text + (error != null ? "\n\n" + Failure.stack(error) : "");
    record(new Failure(source, bsn, Incident.Severity.ERROR, Failure.oneLine(text), detail,
        "bundle|" + bsn + "|" + kind, p));
  }

  /** The bundle's diagnosis; empty while the diagnostics service is not there, or the bundle is gone. */
  Optional<BundleDiagnosis> diagnosis(long bundleId, Diagnostics.Depth depth) {
    Diagnostics d = diagnostics;
    try {
      return d == null ? Optional.empty() : d.diagnose(bundleId, depth);
    } catch (RuntimeException goingAway) {
      return Optional.empty();
    }
  }

  /** Whether the bundle does not resolve because a mandatory requirement has no provider. */
  private boolean unresolved(Bundle bundle) {
    return diagnosis(bundle.getBundleId(), Diagnostics.Depth.RUNTIME).map(d -> !d.missing().isEmpty()).orElse(false);
  }

  /** What the bundle lacks, as the diagnostics service finds it, with where to get each. */
  private void addRequirements(Bundle bundle, Map<String, String> p) {
    List<MissingRequirement> m = diagnosis(bundle.getBundleId(), Diagnostics.Depth.CANDIDATES)
        .map(BundleDiagnosis::missing).orElse(List.of());
    if (m.isEmpty()) {
      return; // what the event said (PluginEvents.REQUIREMENT_FILTERS) stays
    }
    p.put(IncidentProperties.REQUIREMENT, String.join("\n", m.stream().map(r -> r.namespace() + "; " + r.filter())
        .toList()));
    p.put(IncidentProperties.REQUIREMENT_TEXT, String.join("\n", m.stream().map(MissingRequirement::explained)
        .toList()));
  }

  // ---- sources: the framework ------------------------------------------------------------------

  @Override
  public void frameworkEvent(FrameworkEvent event) {
    if (event.getType() != FrameworkEvent.ERROR && event.getType() != FrameworkEvent.WARNING) {
      return;
    }
    try {
      Bundle b = event.getBundle();
      Throwable t = event.getThrowable();
      if (event.getType() == FrameworkEvent.ERROR && b != null && b.getBundleId() != 0) {
        bundleFailure("framework", b.getSymbolicName(), b.getVersion().toString(), b,
            t == null ? null : t.getMessage(), t, Map.of());
        return;
      }
      String type = event.getType() == FrameworkEvent.ERROR ? "ERROR" : "WARNING";
      String bsn = b == null ? "framework" : b.getSymbolicName();
      String message = t == null ? "framework " + type : String.valueOf(t.getMessage());
      Map<String, String> p = new LinkedHashMap<>(Failure.describe(t));
      p.put(IncidentProperties.BUNDLE, bsn);
      p.putIfAbsent(IncidentProperties.MESSAGE, message);
      String summary = "Framework " + type + " (" + bsn + "): " + (t == null ? message : t);
      record(new Failure("framework", b == null || b.getBundleId() == 0 ? null : bsn,
          type.equals("ERROR") ? Incident.Severity.ERROR : Incident.Severity.WARNING, Failure.oneLine(summary),
          summary + (t != null ? "\n\n" + Failure.stack(t) : ""), "framework|" + type + "|" + bsn + "|"
          + (t != null ? Failure.signature(t) : ""), p));
    } catch (RuntimeException e) {
      LOG.warn("Cannot record the framework event: {}", e.toString(), e);
    }
  }

  @Override
  public void bundleChanged(BundleEvent event) {
    Bundle b = event.getBundle();
    boolean fragment = event.getType() == BundleEvent.RESOLVED && isFragment(b);
    if (event.getType() == BundleEvent.STARTED || fragment) {
      String bsn = b.getSymbolicName();
      executor.execute(() -> resolveWhere("bundle", i -> bsn.equals(i.properties().get(IncidentProperties.SUBJECT)),
          bsn + " " + b.getVersion() + " is " + (fragment ? "RESOLVED" : "ACTIVE")));
      if (!fragment) {
        // Its services are registered anew: Event Admin delivers to its handlers again.
        executor.execute(() -> resolveWhere("handler", i -> bsn.equals(i.properties().get(IncidentProperties.BUNDLE)),
            bsn + " " + b.getVersion() + " started anew: Event Admin delivers events to its handlers again"));
      }
    }
  }

  static boolean isFragment(Bundle b) {
    BundleRevision rev = b.adapt(BundleRevision.class);
    return rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }

  // ---- sources: the log (LogSource) ------------------------------------------------------------

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addLogReader(LogReaderService reader) {
    reader.addLogListener(logSource);
    try {
      executor.execute(() -> logSource.replay(reader));
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // deactivated meanwhile
    }
  }

  void removeLogReader(LogReaderService reader) {
    reader.removeLogListener(logSource);
    logSource.removed(reader);
  }

  /** The incident of a fingerprint, open or closed, or {@code null}. */
  synchronized Incident byFingerprint(String fingerprint) {
    load();
    return store.byFingerprint(fingerprint);
  }
}
