package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.docker.DockerEvents;
import io.dockevos.error.Incident;
import io.dockevos.fallback.Procedure;
import io.dockevos.fallback.ProcedureCatalog;
import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The container engine cannot be reached (source {@code docker}, from {@code dockevos/docker/engine/DOWN}):
 * offers to switch to the fallback (install the {@value UnsatisfiedReferenceAnalyzer#ALTERNATIVE}
 * feature), and the manual procedure of the catalog ({@link Procedure#CONTAINER_ENGINE_MISSING}).
 *
 * <p>One of the {@link BuiltInAnalyzers}, which gives it its services.
 */
public final class ContainerEngineAnalyzer implements ErrorAnalyzer {
  static final String NAME = "container-engine";
  static final List<String> STEPS = List.of(
      "check that the engine runs: docker version (or systemctl status docker)",
      "start it: sudo systemctl start docker",
      "check that this user may open its socket (/var/run/docker.sock): it is in the docker group",
      "or run without it: feature:install " + UnsatisfiedReferenceAnalyzer.ALTERNATIVE);

  volatile FeatureManager features;
  volatile ProcedureCatalog catalog;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    if (!"docker".equals(incident.source()) && !DockerEvents.ENGINE_DOWN.equals(incident.properties().get("event.topics"))) {
      return List.of();
    }
    String reason = Keys.get(incident, DockerEvents.REASON);
    String endpoint = Keys.get(incident, DockerEvents.ENDPOINT);
    StringBuilder cause = new StringBuilder("The container engine cannot be reached");
    if (endpoint != null) {
      cause.append(" at ").append(endpoint);
    }
    if (reason != null) {
      cause.append(": ").append(reason);
    }
    List<Fix> fixes = new ArrayList<>();
    FeatureManager fm = features;
    String alt = UnsatisfiedReferenceAnalyzer.ALTERNATIVE;
    if (fm != null) {
      boolean installed = fm.installed().stream().anyMatch(f -> f.name().equals(alt) && f.isInstalled());
      boolean available = fm.available().stream().anyMatch(f -> f.name().equals(alt));
      if (installed) {
        cause.append("; the fallback (").append(alt).append(") is installed: jobs run as processes meanwhile");
      } else if (available) {
        cause.append("; the fallback ").append(alt).append(" is available, not installed");
        fixes.add(new BasicFix("switch to the fallback: install the feature " + alt, Risk.MODERATE, true, "feature:install " + alt
            + ": jobs run as local processes (a process runner) while the engine is down", () -> {
              Feature f = features.install(alt);
              return "installed the feature " + f.name() + " " + f.version();
            }, () -> features.uninstall(alt), () -> features.installed().stream()
                .anyMatch(f -> f.name().equals(alt) && f.isInstalled()) ? Optional.empty()
                    : Optional.of("the feature " + alt + " is not installed")));
      }
    }
    fixes.add(manual(catalog));
    return List.of(new Diagnosis(NAME, cause.toString(), 0.9, fixes));
  }

  private static Fix manual(ProcedureCatalog catalog) {
    Optional<Procedure> p = catalog == null ? Optional.empty() : catalog.find(Procedure.CONTAINER_ENGINE_MISSING);
    return p.map(x -> BasicFix.manual(x.title(), x.steps()))
        .orElseGet(() -> BasicFix.manual("bring the container engine back", STEPS));
  }
}
