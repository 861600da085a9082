package io.dockevos.assist;

/**
 * How much a fix may change. A policy can let {@link #SAFE} fixes apply by themselves. A fix that
 * adds code ({@link Fix#addsCode()}: installs or updates a bundle or a feature) is never SAFE.
 *
 * @since 0.1
 */
public enum Risk {
  /** Adds no code: only starts or enables what is installed; undone easily. */
  SAFE,
  /** Changes a plugin's state or configuration, or adds code (installs or updates a bundle or a feature): reviewed by a person. */
  MODERATE,
  /** May stop something that works, or cannot be undone. */
  HIGH,
  /** Nothing is applied: steps for a person to follow. */
  MANUAL
}
