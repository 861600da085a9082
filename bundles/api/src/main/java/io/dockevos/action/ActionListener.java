package io.dockevos.action;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what an action streams while it runs. Calls come from the thread that invoked the
 * action, in the order the action streamed.
 *
 * @since 0.1
 */
@ConsumerType
public interface ActionListener {
  /** Does nothing. */
  ActionListener NONE = new ActionListener() {};

  default void progress(int percent, String message) {}

  default void output(String chunk) {}
}
