package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.error.Incident;
import io.dockevos.fallback.Procedure;
import io.dockevos.fallback.ProcedureCatalog;
import io.dockevos.hardware.HardwareEvents;
import java.util.List;
import java.util.Optional;

/**
 * A system tool that the hardware analyzer found missing or too old (source {@code hardware}, with
 * {@code tool} and {@code hint}): the install instructions, as a manual procedure, from the catalog
 * ({@code tool-missing/<tool>}) or else the hint.
 *
 * <p>One of the {@link BuiltInAnalyzers}, which gives it its services.
 */
public final class MissingToolAnalyzer implements ErrorAnalyzer {
  static final String NAME = "missing-tool";

  volatile ProcedureCatalog catalog;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    String tool = Keys.get(incident, Keys.TOOL);
    if (tool == null || !"hardware".equals(incident.source()) && Keys.get(incident, Keys.HINT) == null) {
      return List.of();
    }
    String found = Keys.get(incident, HardwareEvents.FOUND);
    String required = Keys.get(incident, HardwareEvents.REQUIRED);
    String hint = Keys.get(incident, Keys.HINT);
    String plugin = Keys.plugin(incident);
    String cause = "The system tool " + tool + (found == null ? " is missing" : " is too old: " + found + " found")
        + (required == null ? "" : ", " + required + " required") + (plugin == null ? "" : "; " + plugin + " needs it");
    ProcedureCatalog c = catalog;
    Optional<Procedure> p = c == null ? Optional.empty() : c.find(Procedure.TOOL_MISSING_PREFIX + tool);
    return List.of(new Diagnosis(NAME, cause, 0.9, List.of(p.map(x -> BasicFix.manual(x.title(), x.steps()))
        .orElseGet(() -> BasicFix.manual("install " + tool, List.of(hint != null ? hint
            : "install " + tool + " with the system's package manager (for example: sudo apt-get install " + tool + ")",
            "then check it: " + tool + " --version"))))));
  }
}
