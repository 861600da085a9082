package io.dockevos.runner;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a job's output while it runs.
 *
 * @since 0.1
 */
@ConsumerType
public interface JobListener {
  /** One line the job wrote, without its line end; {@code error} for standard error. */
  void line(String line, boolean error);

  /** A listener that drops everything. */
  JobListener NONE = (line, error) -> {};
}
