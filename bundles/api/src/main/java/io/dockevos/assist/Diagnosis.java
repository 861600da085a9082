package io.dockevos.assist;

import java.util.List;

/**
 * What an analyzer believes caused an incident, and what would fix it.
 *
 * @param analyzer the analyzer's name
 * @param cause the cause, in plain words
 * @param confidence from 0 to 1
 * @param fixes the fixes it suggests, best first (possibly none)
 * @since 0.1
 */
public record Diagnosis(String analyzer, String cause, double confidence, List<Fix> fixes) {
  public Diagnosis {
    fixes = List.copyOf(fixes);
  }
}
