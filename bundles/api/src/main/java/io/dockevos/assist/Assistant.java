package io.dockevos.assist;

import io.dockevos.error.Incident;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The shell assistant: asks every {@link ErrorAnalyzer} about an incident, ranks their diagnoses,
 * applies a fix, checks that it worked (rolling it back where it can when it did not), and records
 * every fix it applied. The {@code assist:} commands are a thin layer over it.
 *
 * @since 0.1
 */
@ProviderType
public interface Assistant {
  /** {@link AppliedFix#by()} of a fix that a person confirmed. */
  String BY_USER = "user";
  /** {@link AppliedFix#by()} of a fix that the policy applied by itself. */
  String BY_POLICY = "policy";

  /**
   * Asks every analyzer; publishes {@link AssistEvents#SUGGESTED} when a diagnosis has a fix.
   *
   * @return the diagnoses of every analyzer, the most confident first; empty when none has anything to say
   */
  List<Diagnosis> analyze(Incident incident);

  /**
   * Applies a fix, then checks it ({@link Fix#verify()}). A fix that throws or that did not work is
   * rolled back; either way the result is recorded and {@link AssistEvents#APPLIED} or
   * {@link AssistEvents#FAILED} is published. A fix that worked sets the incident FIXED in the
   * error handler.
   *
   * @param by {@link #BY_USER} or {@link #BY_POLICY}
   * @throws IllegalArgumentException for a {@link Risk#MANUAL} fix: there is nothing to apply
   */
  AppliedFix apply(Incident incident, Fix fix, String by);

  /** @return every fix applied, oldest first (the last ones kept, up to the configured number) */
  List<AppliedFix> history();
}
