package io.dockevos.errors.internal;

import io.dockevos.error.ErrorHandler.Health;
import io.dockevos.error.Incident;
import io.dockevos.plugin.PluginManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each plugin's health: its open incidents and the results of its Felix Health Checks, which it
 * runs (installing {@value #HEALTH_FEATURE} the first time one is to be run).
 */
final class HealthReports {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlerImpl.class);
  private final ErrorHandlerImpl errors;
  private final BundleContext context;

  /**
   * The feature with Felix Health Checks core, which runs health checks (the {@code HealthCheckExecutor}
   * and the {@code hc:} commands). It is not booted: the boot has nothing to run; the error handler
   * installs it the first time another bundle's health check is to be run.
   */
  static final String HEALTH_FEATURE = "dockevos-health";
  private static final long HEALTH_FEATURE_WAIT_MS = 10_000;
  /** Held while the health feature installs, apart from this object's own lock (taken by listeners). */
  private final Object healthLock = new Object();

  HealthReports(ErrorHandlerImpl errors, BundleContext context) {
    this.errors = errors;
    this.context = context;
  }

  /** A plugin's health check result, as the commands show it. */
  record Check(String name, String status, String message) {}

  /** A plugin's health with what it comes from. */
  record PluginHealth(String plugin, Health health, List<Incident> open, List<Check> checks) {}

  PluginHealth healthReport(String pluginId) {
    List<Incident> open = errors.incidents(false).stream().filter(i -> pluginId.equals(i.pluginId())).toList();
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
    PluginManager pm = errors.plugins;
    if (pm != null) {
      pm.list().stream().filter(p -> !p.boot()).forEach(p -> names.add(p.symbolicName()));
    }
    errors.incidents(false).stream().map(Incident::pluginId).filter(Objects::nonNull).forEach(names::add);
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
      HealthCheckExecutor hc = errors.healthChecks;
      io.dockevos.feature.FeatureManager fm = errors.features;
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
        hc = errors.healthChecks != null ? errors.healthChecks : found;
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
}
