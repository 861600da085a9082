package io.dockevos.assist;

/**
 * How much a fix may change. A policy can let {@link #SAFE} fixes apply by themselves.
 *
 * @since 0.1
 */
public enum Risk {
  /** Only adds or starts something; undone easily. */
  SAFE,
  /** Changes a plugin's state or configuration. */
  MODERATE,
  /** May stop something that works, or cannot be undone. */
  HIGH,
  /** Nothing is applied: steps for a person to follow. */
  MANUAL
}
