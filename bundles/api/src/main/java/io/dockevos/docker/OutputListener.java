package io.dockevos.docker;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a container's output, line by line.
 *
 * @since 0.1
 */
@ConsumerType
@FunctionalInterface
public interface OutputListener {
  /** One line, without its line end; {@code error} when the container wrote it to standard error. */
  void line(String line, boolean error);
}
