package io.dockevos.errors.internal;

import io.dockevos.action.ActionEvents;
import io.dockevos.api.DeployEvents;
import io.dockevos.api.Host;
import io.dockevos.docker.DockerEvents;
import io.dockevos.error.ErrorEvents;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import io.dockevos.hardware.HardwareEvents;
import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.ComponentDiagnosis;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.PluginEvents;
import io.dockevos.plugin.PluginManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceReference;
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
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error handler. Its sources: framework events, bundle and plugin failures, Declarative
 * Services components (the runtime's DTOs, scanned), ERROR entries of the Log Service (its history
 * replayed at start), failed actions, the deploy folder, the Docker engine and the hardware
 * analyzer, and {@link #report} for plugins. Repeats share a fingerprint and are counted. The
 * store is read at the first use, not in activate, and written at most once per {@code
 * writeDelayMillis}, on the error handler's one thread, which also replays the log and scans the
 * components.
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
        EventConstants.EVENT_TOPIC + "=" + HardwareEvents.TOOL_MISSING})
@Designate(ocd = ErrorsConfig.class)
public final class ErrorHandlerImpl implements ErrorHandler, EventHandler, FrameworkListener, BundleListener,
    LogListener {
  /** Incidents whose automatic resolution waits for a fix: id -> why it resolved meanwhile, or "". */
  private final Map<String, String> held = new java.util.concurrent.ConcurrentHashMap<>();

  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlerImpl.class);
  private static final Pattern ACTIVATOR_THREW = Pattern.compile("activator threw ([\\w.$]+)");
  /** A failure that a second source reports this soon after the first is the same occurrence. */
  static final long ECHO_MILLIS = 2000;

  private final BundleContext context;
  private final Path dataDir;
  private final ScheduledThreadPoolExecutor executor;
  private volatile ErrorsConfig config;
  private IncidentStore store;
  private boolean loaded;
  private boolean writeScheduled;
  private final Object writeLock = new Object();
  private ScheduledFuture<?> scan;
  /** When each incident last had a REPORTED event, in nanoseconds. */
  private final Map<String, Long> lastReported = new HashMap<>();
  /** Components (bundle id/name) first seen unsatisfied, and when, in milliseconds. */
  private final Map<String, Long> unsatisfiedSince = new HashMap<>();
  /** Components whose failure or unsatisfied state is reported already. */
  private final Set<String> componentReported = new HashSet<>();
  /** Bundles first seen unresolved, and when. */
  private final Map<Long, Long> unresolvedSince = new HashMap<>();
  /** The sequence of the first live log entry per reader: older ones are replayed. */
  private final Map<LogReaderService, Long> firstLive = new java.util.concurrent.ConcurrentHashMap<>();

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
  /** Installs {@value #HEALTH_FEATURE} when a plugin's health check first needs running. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile io.dockevos.feature.FeatureManager features;

  /**
   * The feature with Felix Health Checks core, which runs health checks (the {@code HealthCheckExecutor}
   * and the {@code hc:} commands). It is not booted: the boot has nothing to run; the error handler
   * installs it the first time another bundle's health check is to be run.
   */
  static final String HEALTH_FEATURE = "dockevos-health";
  private static final long HEALTH_FEATURE_WAIT_MS = 10_000;
  /** Held while the health feature installs, apart from this object's own lock (taken by listeners). */
  private final Object healthLock = new Object();

  @Activate
  public ErrorHandlerImpl(BundleContext context, ErrorsConfig config) {
    this.context = context;
    this.config = config;
    String home = Objects.requireNonNullElse(context.getProperty(Host.HOME_PROPERTY), ".");
    String data = context.getProperty(Host.DATA_PROPERTY);
    this.dataDir = data != null ? Path.of(data) : Path.of(home).resolve("data");
    this.store = new IncidentStore(dataDir.resolve(config.storeFile()), config.maxIncidents());
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
    scan = executor.scheduleWithFixedDelay(this::scanQuietly, grace, period, TimeUnit.SECONDS);
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
    Optional<Boolean> present = causePresent(i);
    if (present.isPresent() && !present.get() && !IncidentStore.closed(i)) {
      resolve(i, "re-checked: " + goneReason(i));
    }
    return present;
  }

  @Override
  public Health health(String pluginId) {
    return healthReport(pluginId).health();
  }

  /** A plugin's health check result, as the commands show it. */
  record Check(String name, String status, String message) {}

  /** A plugin's health with what it comes from. */
  record PluginHealth(String plugin, Health health, List<Incident> open, List<Check> checks) {}

  PluginHealth healthReport(String pluginId) {
    List<Incident> open = incidents(false).stream().filter(i -> pluginId.equals(i.pluginId())).toList();
    Health h = Health.HEALTHY;
    for (Incident i : open) {
      h = worst(h, i.severity() == Incident.Severity.WARNING ? Health.DEGRADED : Health.FAILING);
    }
    List<Check> checks = new ArrayList<>();
    for (Map.Entry<String, List<Check>> e : healthChecks().entrySet()) {
      if (e.getKey().equals(pluginId)) {
        checks.addAll(e.getValue());
      }
    }
    for (Check c : checks) {
      h = worst(h, switch (c.status()) {
        case "OK" -> Health.HEALTHY;
        case "WARN", "TEMPORARILY_UNAVAILABLE" -> Health.DEGRADED;
        default -> Health.FAILING;
      });
    }
    return new PluginHealth(pluginId, h, open, checks);
  }

  /** Every plugin that has open incidents, health checks, or is installed as a plugin. */
  List<PluginHealth> healthReports() {
    Set<String> names = new java.util.TreeSet<>();
    PluginManager pm = plugins;
    if (pm != null) {
      pm.list().stream().filter(p -> !p.boot()).forEach(p -> names.add(p.symbolicName()));
    }
    incidents(false).stream().map(Incident::pluginId).filter(Objects::nonNull).forEach(names::add);
    names.addAll(healthChecks().keySet());
    return names.stream().map(this::healthReport).toList();
  }

  /** The results of every Felix Health Check but the error handler's own, by the plugin that registered it. */
  private Map<String, List<Check>> healthChecks() {
    Map<String, List<Check>> result = new LinkedHashMap<>();
    // By name: an empty selector means the executor's default tags, not every check.
    List<String> names = new ArrayList<>();
    try {
      for (ServiceReference<org.apache.felix.hc.api.HealthCheck> ref
          : context.getServiceReferences(org.apache.felix.hc.api.HealthCheck.class, null)) {
        Object name = ref.getProperty(org.apache.felix.hc.api.HealthCheck.NAME);
        if (name != null && ref.getBundle() != null && ref.getBundle().getBundleId() != context.getBundle().getBundleId()) {
          names.add(name.toString());
        }
      }
    } catch (org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
      return result;
    }
    if (names.isEmpty()) {
      return result;
    }
    HealthCheckExecutor hc = healthCheckExecutor();
    if (hc == null) {
      return result;
    }
    List<HealthCheckExecutionResult> results;
    try {
      results = hc.execute(HealthCheckSelector.names(names.toArray(String[]::new)),
          new HealthCheckExecutionOptions().setForceInstantExecution(true));
    } catch (RuntimeException e) {
      LOG.warn("The health checks cannot be run: {}", e.toString());
      return result;
    }
    for (HealthCheckExecutionResult r : results) {
      ServiceReference<?> ref = r.getHealthCheckMetadata().getServiceReference();
      Bundle b = ref == null ? null : ref.getBundle();
      if (b == null || b.getBundleId() == context.getBundle().getBundleId()) {
        continue;
      }
      Result res = r.getHealthCheckResult();
      StringBuilder msg = new StringBuilder();
      for (ResultLog.Entry e : res) {
        if (e.getStatus() != Result.Status.OK || msg.length() == 0) {
          msg.append(msg.length() == 0 ? "" : "; ").append(e.getMessage());
        }
      }
      result.computeIfAbsent(b.getSymbolicName(), k -> new ArrayList<>())
          .add(new Check(r.getHealthCheckMetadata().getName(), res.getStatus().name(), msg.toString()));
    }
    return result;
  }

  /** The executor of Felix Health Checks; installs {@value #HEALTH_FEATURE} first when there is none. */
  private HealthCheckExecutor healthCheckExecutor() {
    synchronized (healthLock) {
      HealthCheckExecutor hc = healthChecks;
      io.dockevos.feature.FeatureManager fm = features;
      if (hc != null || fm == null) {
        return hc;
      }
      try {
        LOG.info("A plugin's health check is to be run: installing feature {} (Felix Health Checks core)", HEALTH_FEATURE);
        fm.install(HEALTH_FEATURE);
      } catch (io.dockevos.feature.FeatureException | RuntimeException e) {
        LOG.warn("Health checks cannot be run: feature {} did not install: {}", HEALTH_FEATURE, e.getMessage());
        return null;
      }
      org.osgi.util.tracker.ServiceTracker<HealthCheckExecutor, HealthCheckExecutor> tracker =
          new org.osgi.util.tracker.ServiceTracker<>(context, HealthCheckExecutor.class, null);
      tracker.open();
      try {
        HealthCheckExecutor found = tracker.waitForService(HEALTH_FEATURE_WAIT_MS);
        // The reference above is bound by now, or in a moment; the executor is an immediate component.
        hc = healthChecks != null ? healthChecks : found;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } finally {
        tracker.close();
      }
      if (hc == null) {
        LOG.warn("Health checks cannot be run: feature {} is installed, but no HealthCheckExecutor came up within {} s",
            HEALTH_FEATURE, HEALTH_FEATURE_WAIT_MS / 1000);
      }
      return hc;
    }
  }

  private static Health worst(Health a, Health b) {
    return a.ordinal() >= b.ordinal() ? a : b;
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
  private void resolveWhere(String kind, java.util.function.Predicate<Incident> match, String why) {
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

  // ---- sources: events -------------------------------------------------------------------------

  /**
   * The jar a refused install came from, for the assistant to install again: a plugin source that
   * names a local file (a path, relative to the home, or a {@code file:} URL), or {@code null}.
   */
  private String localFile(String source) {
    if (source == null || source.isBlank()) {
      return null;
    }
    try {
      java.nio.file.Path path;
      if (source.startsWith("file:")) {
        path = java.nio.file.Path.of(java.net.URI.create(source));
      } else if (source.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
        return null; // http:, mvn: and the like
      } else {
        String home = context.getProperty(io.dockevos.api.Host.HOME_PROPERTY);
        path = home == null ? java.nio.file.Path.of(source) : java.nio.file.Path.of(home).resolve(source);
      }
      path = path.toAbsolutePath().normalize();
      return java.nio.file.Files.isRegularFile(path) ? path.toString() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public void handleEvent(Event event) {
    try {
      handle(event);
    } catch (RuntimeException e) {
      LOG.warn("Cannot record the event {}: {}", event.getTopic(), e.toString(), e);
    }
  }

  private void handle(Event event) {
    String topic = event.getTopic();
    if (repeated(topic, event)) {
      return;
    }
    Map<String, String> props = eventProperties(event);
    switch (topic) {
      case PluginEvents.FAILED -> {
        Object id = event.getProperty(PluginEvents.BUNDLE_ID);
        Bundle b = id instanceof Long l ? context.getBundle(l) : null;
        String file = localFile(str(event, PluginEvents.SOURCE));
        props = new LinkedHashMap<>(props);
        if (file != null) {
          props.put(IncidentProperties.FILE, file);
        }
        requirements(event, props);
        bundleFailure("plugin", str(event, PluginEvents.PLUGIN_ID), str(event, PluginEvents.PLUGIN_VERSION),
            b, str(event, PluginEvents.REASON), throwable(event), props);
      }
      case DeployEvents.FAILED -> {
        String file = str(event, DeployEvents.PROP_FILE);
        String reason = str(event, DeployEvents.PROP_REASON);
        String bsn = str(event, DeployEvents.PROP_BUNDLE);
        Object id = event.getProperty(DeployEvents.PROP_BUNDLE_ID);
        Bundle b = id instanceof Long l ? context.getBundle(l) : null;
        props = new LinkedHashMap<>(props);
        requirements(event, props);
        if (bsn != null) {
          bundleFailure("deploy", bsn, b == null ? str(event, DeployEvents.PROP_BUNDLE_VERSION)
              : b.getVersion().toString(), b, reason, throwable(event), props);
        } else {
          Map<String, String> p = new LinkedHashMap<>(props);
          p.put(IncidentProperties.MESSAGE, Objects.requireNonNullElse(reason, ""));
          p.put(IncidentProperties.SUBJECT_KIND, "deploy");
          p.put(IncidentProperties.SUBJECT, String.valueOf(file));
          record(new Failure("deploy", null, Incident.Severity.ERROR,
              Failure.oneLine("deploy/" + fileName(file) + " " + reason), "deploy/" + fileName(file) + " " + reason,
              "deploy|" + file, p));
        }
      }
      case DeployEvents.RECOVERED -> {
        String file = str(event, DeployEvents.PROP_FILE);
        resolveWhere(null, i -> file != null && file.equals(i.properties().get(IncidentProperties.FILE)),
            "deploy/" + fileName(file) + " works again (" + DeployEvents.RECOVERED + ")");
      }
      case ActionEvents.FAILED -> {
        String kind = Objects.requireNonNullElse(str(event, ActionEvents.KIND), "FAILED");
        if ("CANCELLED".equals(kind)) {
          return; // stopped on purpose, by the user
        }
        String plugin = str(event, ActionEvents.PLUGIN_ID);
        String action = str(event, ActionEvents.ACTION);
        String reason = str(event, ActionEvents.REASON);
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, Objects.requireNonNullElse(reason, kind));
        p.put(IncidentProperties.SUBJECT_KIND, "action");
        p.put(IncidentProperties.SUBJECT, plugin + "/" + action);
        p.putAll(Failure.describe(throwable(event)));
        record(new Failure("action", plugin, "INVALID_INPUT".equals(kind) ? Incident.Severity.WARNING
            : Incident.Severity.ERROR, Failure.oneLine("action " + plugin + "/" + action + " " + kind + ": " + reason),
            "action " + plugin + "/" + action + " " + kind + ": " + reason, "action|" + plugin + "|" + action + "|"
            + kind, p));
      }
      case ActionEvents.EXECUTED -> {
        String subject = str(event, ActionEvents.PLUGIN_ID) + "/" + str(event, ActionEvents.ACTION);
        if (hasOpen("action", subject)) {
          resolveWhere("action", i -> subject.equals(i.properties().get(IncidentProperties.SUBJECT)),
              "the action " + subject + " succeeded since");
        }
      }
      case DockerEvents.ENGINE_DOWN -> {
        String endpoint = Objects.requireNonNullElse(str(event, DockerEvents.ENDPOINT), "default");
        String reason = str(event, DockerEvents.REASON);
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, Objects.requireNonNullElse(reason, "the engine cannot be reached"));
        p.put(IncidentProperties.SUBJECT_KIND, "engine");
        p.put(IncidentProperties.SUBJECT, endpoint);
        record(new Failure("docker", null, Incident.Severity.ERROR,
            Failure.oneLine("The container engine " + endpoint + " is down: " + reason),
            "The container engine " + endpoint + " is down: " + reason, "docker|engine|" + endpoint, p));
      }
      case DockerEvents.ENGINE_UP -> {
        String endpoint = str(event, DockerEvents.ENDPOINT);
        resolveWhere("engine", i -> endpoint == null || endpoint.equals(i.properties().get(IncidentProperties.SUBJECT))
            || "default".equals(i.properties().get(IncidentProperties.SUBJECT)), "the container engine is up again");
      }
      case DockerEvents.CONTAINER_DIED -> {
        String name = Objects.requireNonNullElse(str(event, DockerEvents.CONTAINER_NAME),
            str(event, DockerEvents.CONTAINER_ID));
        String code = str(event, DockerEvents.EXIT_CODE);
        String reason = str(event, DockerEvents.REASON);
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, Objects.requireNonNullElse(reason, "exit code " + code));
        record(new Failure("docker", null, Incident.Severity.ERROR,
            Failure.oneLine("The container " + name + " died (exit code " + code + ")" + (reason != null ? ": "
                + reason : "")), "The container " + name + " (" + str(event, DockerEvents.IMAGE) + ") died, exit code "
            + code + (reason != null ? ": " + reason : ""), "docker|container|" + name + "|" + code, p));
      }
      case HardwareEvents.THRESHOLD -> {
        String resource = Objects.requireNonNullElse(str(event, HardwareEvents.RESOURCE), "resource");
        String reason = Objects.requireNonNullElse(str(event, HardwareEvents.REASON), resource + " is at "
            + str(event, HardwareEvents.VALUE) + ", past its threshold " + str(event, HardwareEvents.LIMIT));
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, reason);
        p.put(IncidentProperties.SUBJECT_KIND, "threshold");
        p.put(IncidentProperties.SUBJECT, resource);
        record(new Failure("hardware", null, Incident.Severity.WARNING, Failure.oneLine(reason), reason,
            "hardware|threshold|" + resource, p));
      }
      case HardwareEvents.THRESHOLD_CLEARED -> {
        String resource = str(event, HardwareEvents.RESOURCE);
        resolveWhere("threshold", i -> resource == null || resource.equals(i.properties().get(IncidentProperties.SUBJECT)),
            resource + " is back within its threshold");
      }
      case HardwareEvents.TOOL_MISSING -> {
        String tool = str(event, HardwareEvents.TOOL);
        String plugin = str(event, HardwareEvents.PLUGIN_ID);
        String reason = Objects.requireNonNullElse(str(event, HardwareEvents.REASON), tool + " "
            + Objects.requireNonNullElse(str(event, HardwareEvents.REQUIRED), "") + " is missing");
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, reason);
        record(new Failure("hardware", plugin, Incident.Severity.WARNING, Failure.oneLine(reason), reason
            + (str(event, HardwareEvents.HINT) != null ? "\n" + str(event, HardwareEvents.HINT) : ""),
            "hardware|tool|" + tool + "|" + plugin, p));
      }
      default -> {
        // not subscribed
      }
    }
  }

  /**
   * The missing requirements a {@link PluginEvents#FAILED} or {@link DeployEvents#FAILED} event
   * carries as values ({@link PluginEvents#REQUIREMENT_NAMESPACES}, {@link
   * PluginEvents#REQUIREMENT_FILTERS}; the deploy folder's keys are the same), kept as the
   * incident's {@link IncidentProperties#REQUIREMENT} record in place of the raw arrays: what a
   * refused install lacked, when its bundle is gone and cannot be asked any more.
   */
  static void requirements(Event event, Map<String, String> props) {
    props.remove(PluginEvents.REQUIREMENT_NAMESPACES);
    props.remove(PluginEvents.REQUIREMENT_FILTERS);
    if (event.getProperty(PluginEvents.REQUIREMENT_NAMESPACES) instanceof String[] namespaces
        && event.getProperty(PluginEvents.REQUIREMENT_FILTERS) instanceof String[] filters
        && namespaces.length == filters.length && namespaces.length > 0) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < namespaces.length; i++) {
        lines.add(namespaces[i] + "; " + Objects.requireNonNullElse(filters[i], ""));
      }
      props.put(IncidentProperties.REQUIREMENT, String.join("\n", lines));
    }
  }

  /** The subjects of every action incident, so that a successful action seldom looks at the store. */
  private final Set<String> actionSubjects = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A storm's fast path: a failed action or deploy file that is an open incident already, from the
   * same source, is counted without building its properties again (those of its first occurrence
   * stay).
   */
  private boolean repeated(String topic, Event event) {
    String key;
    String source;
    if (topic.equals(ActionEvents.FAILED)) {
      key = "action|" + str(event, ActionEvents.PLUGIN_ID) + "|" + str(event, ActionEvents.ACTION) + "|"
          + Objects.requireNonNullElse(str(event, ActionEvents.KIND), "FAILED");
      source = "action";
    } else if (topic.equals(DeployEvents.FAILED) && event.getProperty(DeployEvents.PROP_BUNDLE) == null) {
      key = "deploy|" + str(event, DeployEvents.PROP_FILE);
      source = "deploy";
    } else {
      return false;
    }
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

  private synchronized boolean hasOpen(String kind, String subject) {
    if (kind.equals("action") && !actionSubjects.contains(subject)) {
      return false;
    }
    load();
    return store.all().stream().anyMatch(i -> !IncidentStore.closed(i)
        && kind.equals(i.properties().get(IncidentProperties.SUBJECT_KIND))
        && subject.equals(i.properties().get(IncidentProperties.SUBJECT)));
  }

  private static String fileName(String file) {
    return file == null ? "?" : Path.of(file).getFileName().toString();
  }

  private static String str(Event e, String key) {
    Object v = e.getProperty(key);
    return v == null ? null : v.toString();
  }

  private static Throwable throwable(Event e) {
    return e.getProperty(EventConstants.EXCEPTION) instanceof Throwable t ? t : null;
  }

  /** The source event's properties, as strings, for analyzers. */
  static Map<String, String> eventProperties(Event event) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(IncidentProperties.TOPIC, event.getTopic());
    for (String name : event.getPropertyNames()) {
      Object v = event.getProperty(name);
      if (name.equals(EventConstants.EVENT_TOPIC) || v == null || v instanceof Throwable) {
        continue;
      }
      p.put(name, v.getClass().isArray() ? java.util.Arrays.deepToString(new Object[] {v}).replaceAll("^\\[|\\]$", "")
          : v.toString());
    }
    return p;
  }

  /**
   * A bundle that failed to resolve or start. The fingerprint is the bundle and the kind of
   * failure (unresolved, or the exception its activator threw), so that the deploy folder, the
   * plugin manager and the framework reporting one failure make one incident.
   */
  private void bundleFailure(String source, String bsn, String version, Bundle bundle, String reason,
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
  private Optional<BundleDiagnosis> diagnosis(long bundleId, Diagnostics.Depth depth) {
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
    }
  }

  private static boolean isFragment(Bundle b) {
    BundleRevision rev = b.adapt(BundleRevision.class);
    return rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }

  // ---- sources: the log ------------------------------------------------------------------------

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addLogReader(LogReaderService reader) {
    reader.addLogListener(this);
    try {
      executor.execute(() -> replay(reader));
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // deactivated meanwhile
    }
  }

  void removeLogReader(LogReaderService reader) {
    reader.removeLogListener(this);
    firstLive.remove(reader);
  }

  /** What the Log Service logged before the error handler listened: its history, oldest first. */
  private void replay(LogReaderService reader) {
    List<LogEntry> history = Collections.list(reader.getLog());
    Collections.reverse(history);
    long before = firstLive.getOrDefault(reader, Long.MAX_VALUE);
    for (LogEntry e : history) {
      if (e.getSequence() < before && e.getSequence() < liveFloor) {
        logEntry(e, true);
      }
    }
  }

  /** The smallest sequence seen live: history entries from it on were handled as they came. */
  private volatile long liveFloor = Long.MAX_VALUE;

  @Override
  public void logged(LogEntry entry) {
    if (liveFloor == Long.MAX_VALUE) {
      liveFloor = entry.getSequence();
    }
    logEntry(entry, false);
  }

  private void logEntry(LogEntry e, boolean replayed) {
    if (e.getLogLevel() != LogLevel.ERROR) {
      return;
    }
    String logger = Objects.requireNonNullElse(e.getLoggerName(), "");
    // Framework events come through the framework listener, once it listens.
    if (!replayed && logger.startsWith("Events.")) {
      return;
    }
    try {
      Bundle b = e.getBundle();
      String bsn = b == null || b.getSymbolicName() == null ? "unknown" : b.getSymbolicName();
      if (b != null && b.getBundleId() == context.getBundle().getBundleId()) {
        return; // never counts its own failures, so that a failing store cannot loop
      }
      Throwable t = e.getException();
      Map<String, String> p = new LinkedHashMap<>(Failure.describe(t));
      p.put(IncidentProperties.BUNDLE, bsn);
      p.put(IncidentProperties.LOGGER, logger);
      p.put(IncidentProperties.MESSAGE, Objects.requireNonNullElse(e.getMessage(), ""));
      p.put("log.sequence", String.valueOf(e.getSequence()));
      p.put("log.time", Instant.ofEpochMilli(e.getTime()).toString());
      String summary = bsn + ": " + e.getMessage() + (t != null ? " (" + t + ")" : "");
      String key = "log|" + bsn + "|"
          + (t != null ? Failure.signature(t) : logger + "|" + Failure.normalized(e.getMessage()));
      if (replayed) {
        // Replayed again (the error handler restarted in the same JVM): counted already.
        synchronized (this) {
          load();
          Incident seen = store.byFingerprint(Failure.hash(key));
          if (seen != null && !seen.lastSeen().isBefore(Instant.ofEpochMilli(e.getTime()))) {
            return;
          }
        }
      }
      record(new Failure("log", b == null || b.getBundleId() == 0 ? null : bsn, Incident.Severity.ERROR,
          Failure.oneLine(summary), summary + (t != null ? "\n\n" + Failure.stack(t) : ""), key, p));
    } catch (RuntimeException x) {
      LOG.warn("Cannot record a log entry: {}", x.toString());
    }
  }

  // ---- sources: components and unresolved bundles, scanned -------------------------------------

  private void scanQuietly() {
    try {
      scan();
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("Cannot scan the components: {}", e.toString(), e);
    }
  }

  void scan() {
    long now = System.currentTimeMillis();
    long grace = TimeUnit.SECONDS.toMillis(Math.max(1, config.gracePeriodSeconds()));
    Diagnostics diag = diagnostics;
    List<BundleDiagnosis> unhealthy = diag == null ? List.of() : diag.unhealthy(Diagnostics.Depth.RUNTIME);
    if (diag != null) {
      components(diag, unhealthy, now, grace);
    }
    Set<Long> unresolved = new HashSet<>();
    for (BundleDiagnosis d : unhealthy) {
      Bundle b = context.getBundle(d.bundleId());
      if (b == null || b.getState() != Bundle.INSTALLED || d.fragment() || d.missing().isEmpty()) {
        continue;
      }
      unresolved.add(d.bundleId());
      long since = unresolvedSince.computeIfAbsent(d.bundleId(), k -> now);
      if (now - since >= grace && since != Long.MIN_VALUE) {
        unresolvedSince.put(d.bundleId(), Long.MIN_VALUE); // reported
        String key = "bundle|" + d.symbolicName() + "|unresolved";
        Incident existing;
        synchronized (this) {
          load();
          existing = store.byFingerprint(Failure.hash(key));
        }
        if (existing == null || IncidentStore.closed(existing)) {
          bundleFailure("framework", d.symbolicName(), d.version(), b, d.who() + " is installed but does not resolve",
              null, Map.of());
        }
      }
    }
    unresolvedSince.keySet().retainAll(unresolved);
    // A file that failed in deploy/ (one that is no jar, or a bundle that failed) and was then
    // deleted: its failure went with it.
    resolveWhere(null, this::deployFileGone, "the file was removed from deploy/");
  }

  /** @return whether the incident is about a file of the deploy folder that is not there any more */
  private boolean deployFileGone(Incident i) {
    String file = "deploy".equals(i.properties().get(IncidentProperties.SUBJECT_KIND))
        ? i.properties().get(IncidentProperties.SUBJECT) : i.properties().get(IncidentProperties.FILE);
    if (file == null) {
      return false;
    }
    try {
      Path p = Path.of(file).toAbsolutePath().normalize();
      String home = context.getProperty(io.dockevos.api.Host.HOME_PROPERTY);
      String configured = context.getProperty(io.dockevos.api.Host.DEPLOY_PROPERTY);
      Path deploy = (configured != null ? Path.of(configured) : Path.of(home != null ? home : ".").resolve("deploy"))
          .toAbsolutePath().normalize();
      return deploy.equals(p.getParent()) && !Files.exists(p);
    } catch (RuntimeException e) {
      return false; // not a path
    }
  }

  /**
   * Components that failed to activate are incidents at once; those that wait for a service, past
   * the grace period. One reported that is satisfied again resolves its incident.
   */
  private void components(Diagnostics diag, List<BundleDiagnosis> unhealthy, long now, long grace) {
    Set<String> failing = new HashSet<>();
    for (BundleDiagnosis d : unhealthy) {
      for (ComponentDiagnosis c : d.failing()) {
        String key = d.bundleId() + "/" + c.name();
        failing.add(key);
        if (c.state() == ComponentDiagnosis.State.FAILED_ACTIVATION) {
          unsatisfiedSince.remove(key);
          if (componentReported.add(key)) {
            componentFailure(d, c);
          }
        } else {
          long since = unsatisfiedSince.computeIfAbsent(key, k -> now);
          if (now - since >= grace && componentReported.add(key)) {
            componentFailure(d, c);
          }
        }
      }
    }
    unsatisfiedSince.keySet().retainAll(failing);
    for (String key : List.copyOf(componentReported)) {
      if (failing.contains(key)) {
        continue;
      }
      int slash = key.indexOf('/');
      String name = key.substring(slash + 1);
      Optional<BundleDiagnosis> bundle = diag.diagnose(Long.parseLong(key.substring(0, slash)),
          Diagnostics.Depth.RUNTIME);
      ComponentDiagnosis c = bundle.flatMap(d -> d.component(name)).orElse(null);
      if (c == null) {
        componentReported.remove(key); // gone with its bundle
      } else if (c.state() == ComponentDiagnosis.State.ACTIVE || c.state() == ComponentDiagnosis.State.SATISFIED) {
        componentReported.remove(key);
        String subject = bundle.get().symbolicName() + "/" + name;
        resolveWhere("component", i -> subject.equals(i.properties().get(IncidentProperties.SUBJECT)),
            "the component " + name + " is " + c.state());
      }
    }
  }

  private void componentFailure(BundleDiagnosis d, ComponentDiagnosis c) {
    String bsn = d.symbolicName();
    Map<String, String> p = new LinkedHashMap<>();
    p.put(IncidentProperties.BUNDLE, bsn);
    p.put(IncidentProperties.BUNDLE_ID, String.valueOf(d.bundleId()));
    p.put(IncidentProperties.COMPONENT, c.name());
    p.put(IncidentProperties.SUBJECT_KIND, "component");
    p.put(IncidentProperties.SUBJECT, bsn + "/" + c.name());
    p.put("component.implementation", String.valueOf(c.implementation()));
    if (!c.configurationPids().isEmpty() && !c.configurationPids().get(0).equals(c.name())) {
      p.put(IncidentProperties.CONFIG_PID, c.configurationPids().get(0));
    }
    p.put(IncidentProperties.COMPONENT_STATE, c.state().name());
    String explained = c.explained(d.who());
    String summary = Character.toUpperCase(explained.charAt(0)) + explained.substring(1);
    String detail;
    if (c.state() == ComponentDiagnosis.State.FAILED_ACTIVATION) {
      String first = c.failureLine();
      p.put(IncidentProperties.MESSAGE, first);
      Matcher m = Pattern.compile("^([\\w.$]+(?:Exception|Error))").matcher(first);
      if (m.find()) {
        p.put(IncidentProperties.EXCEPTION, m.group(1));
      }
      detail = summary + "\n\n" + Objects.requireNonNullElse(c.failure(), "");
    } else {
      p.put(IncidentProperties.REFERENCE, String.join(",", c.unsatisfied().stream()
          .map(ComponentDiagnosis.Reference::name).toList()));
      p.put(IncidentProperties.REFERENCE_INTERFACE, String.join(",", c.unsatisfied().stream()
          .map(ComponentDiagnosis.Reference::interfaceName).toList()));
      detail = summary + ", for longer than " + config.gracePeriodSeconds() + " s";
    }
    record(new Failure("component", bsn, Incident.Severity.ERROR, Failure.oneLine(summary), detail,
        "component|" + bsn + "|" + c.name() + "|" + c.state().name(), p));
  }

  // ---- re-checking -----------------------------------------------------------------------------

  Optional<Boolean> causePresent(Incident i) {
    String kind = i.properties().get(IncidentProperties.SUBJECT_KIND);
    String subject = i.properties().get(IncidentProperties.SUBJECT);
    if (kind == null || subject == null) {
      return Optional.empty();
    }
    switch (kind) {
      case "bundle" -> {
        List<Bundle> same = java.util.stream.Stream.of(context.getBundles())
            .filter(b -> subject.equals(b.getSymbolicName())).toList();
        if (same.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(same.stream().noneMatch(b -> b.getState() == Bundle.ACTIVE
            || isFragment(b) && b.getState() == Bundle.RESOLVED));
      }
      case "component" -> {
        int slash = subject.indexOf('/');
        if (slash < 0) {
          return Optional.empty();
        }
        String bsn = subject.substring(0, slash);
        String name = subject.substring(slash + 1);
        for (Bundle b : context.getBundles()) {
          if (bsn.equals(b.getSymbolicName())) {
            Optional<ComponentDiagnosis> c = diagnosis(b.getBundleId(), Diagnostics.Depth.RUNTIME)
                .flatMap(d -> d.component(name));
            if (c.isPresent()) {
              return Optional.of(c.get().state() != ComponentDiagnosis.State.ACTIVE
                  && c.get().state() != ComponentDiagnosis.State.SATISFIED);
            }
          }
        }
        return Optional.empty();
      }
      case "deploy" -> {
        Path file = Path.of(subject);
        if (!Files.exists(file)) {
          return Optional.of(false);
        }
        return Optional.of(Files.exists(file.resolveSibling(file.getFileName() + ".failed")));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static String goneReason(Incident i) {
    String kind = i.properties().get(IncidentProperties.SUBJECT_KIND);
    String subject = i.properties().get(IncidentProperties.SUBJECT);
    return switch (Objects.requireNonNullElse(kind, "")) {
      case "bundle" -> subject + " is ACTIVE";
      case "component" -> "the component " + subject + " is satisfied";
      case "deploy" -> "deploy/" + fileName(subject) + " no longer fails";
      default -> "the cause is gone";
    };
  }
}
