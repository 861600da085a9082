package io.dockevos.http.internal;

import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureManager;
import io.dockevos.feature.FeatureState;
import java.util.List;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The two Felix Health Checks behind {@code /api/v1/health/live} and {@code /api/v1/health/ready}:
 * liveness (tag {@code systemalive}) and readiness (tag {@code systemready}).
 */
final class HealthChecks {
  private HealthChecks() {}

  /** OK while the framework runs: it is ACTIVE, not stopping. */
  @org.osgi.service.component.annotations.Component(service = HealthCheck.class, property = {
      HealthCheck.NAME + "=dockevos.alive", HealthCheck.TAGS + "=systemalive"})
  public static final class Alive implements HealthCheck {
    private final BundleContext context;

    @org.osgi.service.component.annotations.Activate
    public Alive(BundleContext context) {
      this.context = context;
    }

    @Override
    public Result execute() {
      FormattingResultLog log = new FormattingResultLog();
      Bundle framework = context.getBundle(0);
      if (framework.getState() == Bundle.ACTIVE) {
        log.info("The framework is ACTIVE");
      } else {
        log.critical("The framework is not ACTIVE (state {}): it is starting or stopping", framework.getState());
      }
      return new Result(log);
    }
  }

  /**
   * OK once every boot feature is installed with all its bundles ACTIVE, and the desired state, when there is a
   * state file, applied; CRITICAL names the one that is not.
   */
  @org.osgi.service.component.annotations.Component(service = HealthCheck.class, property = {
      HealthCheck.NAME + "=dockevos.ready", HealthCheck.TAGS + "=systemready"})
  public static final class Ready implements HealthCheck {
    private final FeatureManager features;
    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations
        .ReferenceCardinality.OPTIONAL, policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    volatile io.dockevos.feature.DesiredState state;

    @org.osgi.service.component.annotations.Activate
    public Ready(@org.osgi.service.component.annotations.Reference FeatureManager features) {
      this.features = features;
    }

    @Override
    public Result execute() {
      FormattingResultLog log = new FormattingResultLog();
      List<Feature> installed = features.installed();
      List<Feature> boot = installed.stream().filter(f -> f.state() == FeatureState.BOOT).toList();
      if (boot.isEmpty()) {
        log.critical("No boot feature is active yet");
      }
      for (Feature f : installed) {
        if (f.state() == FeatureState.INCOMPLETE) {
          log.critical("The feature {} is INCOMPLETE: feature:info {} says which bundle is not ACTIVE", f.name(),
              f.name());
        }
      }
      for (Feature f : boot) {
        try {
          features.details(f.name()).bundles().stream().filter(b -> !"ACTIVE".equals(b.state())).forEach(b ->
              log.critical("The boot feature {} has {} {} {}", f.name(), b.symbolicName(), b.version(), b.state()));
        } catch (io.dockevos.feature.FeatureException e) {
          log.critical("The boot feature {} cannot be read: {}", f.name(), e.getMessage());
        }
      }
      if (!boot.isEmpty()) {
        log.info("The boot features are active: {}", boot.stream().map(Feature::name).toList());
      }
      io.dockevos.feature.DesiredState desired = state;
      if (desired != null && !desired.status().ready()) {
        io.dockevos.feature.DesiredState.Status st = desired.status();
        log.critical("The desired state {} is not applied {}", st.file(), st.problem() != null ? "(" + st.problem()
            + ")" : "yet");
      }
      return new Result(log);
    }
  }
}
