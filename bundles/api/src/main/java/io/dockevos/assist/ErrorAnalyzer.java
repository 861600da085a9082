package io.dockevos.assist;

import io.dockevos.error.Incident;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Diagnoses incidents. Register it as a service (a whiteboard): the assistant asks every
 * analyzer and ranks their diagnoses by confidence. Plugins may add their own.
 *
 * @since 0.1
 */
@ConsumerType
public interface ErrorAnalyzer {
  /** The analyzer's name, shown with its diagnoses. */
  String name();

  /** The diagnoses for the incident, or an empty list when the analyzer has nothing to say. */
  List<Diagnosis> analyze(Incident incident);
}
