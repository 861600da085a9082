package io.dockevos.common.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.Incident;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixes of an incident's diagnoses, numbered from 1 across all of them, as {@code assist:analyze}
 * prints them; the same numbers on every surface (the shell, REST, MCP).
 */
public final class FixChoice {
  private FixChoice() {}

  /** A fix number that names no fix: the message says why, in the caller's words. */
  public static final class NoSuchFix extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final boolean noneKnown;

    NoSuchFix(String message, boolean noneKnown) {
      super(message);
      this.noneKnown = noneKnown;
    }

    /** @return whether the incident has no fix at all (rather than none with that number) */
    public boolean noneKnown() {
      return noneKnown;
    }
  }

  /**
   * @param lister what lists the fixes on this surface, with the incident's id: {@code assist:analyze
   *     ID}, {@code GET /api/v1/assistant/ID}
   * @return fix {@code n}
   * @throws NoSuchFix when there is none
   */
  public static Fix pick(Incident incident, List<Diagnosis> diagnoses, int n, String lister) {
    List<Fix> fixes = diagnoses.stream().flatMap(d -> d.fixes().stream()).toList();
    if (fixes.isEmpty()) {
      throw new NoSuchFix("No fix is known for " + incident.id() + ": " + lister + " shows the causes", true);
    }
    if (n < 1 || n > fixes.size()) {
      throw new NoSuchFix(incident.id() + " has " + fixes.size() + " fix" + (fixes.size() == 1 ? "" : "es")
          + ", there is no fix " + n + " (" + lister + " lists them)", false);
    }
    return fixes.get(n - 1);
  }

  /** @return the diagnoses as JSON values: analyzer, cause, confidence, and the fixes with their numbers */
  public static List<Object> json(List<Diagnosis> diagnoses) {
    List<Object> list = new ArrayList<>();
    int n = 0;
    for (Diagnosis d : diagnoses) {
      Map<String, Object> dm = new LinkedHashMap<>();
      dm.put("analyzer", d.analyzer());
      dm.put("cause", d.cause());
      dm.put("confidence", d.confidence());
      List<Object> fixes = new ArrayList<>();
      for (Fix f : d.fixes()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fix", ++n);
        m.put("risk", f.risk().name());
        m.put("description", f.description());
        m.put("changes", f.dryRun());
        m.put("manual", f.risk() == Risk.MANUAL);
        fixes.add(m);
      }
      dm.put("fixes", fixes);
      list.add(dm);
    }
    return list;
  }
}
