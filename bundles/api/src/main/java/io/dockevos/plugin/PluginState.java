package io.dockevos.plugin;

/**
 * The state of a plugin as a user sees it: the OSGi bundle state, with the persistent enabled flag
 * and failures on top.
 *
 * @since 0.1
 */
public enum PluginState {
  /** Installed, not resolved yet: its requirements are not met (see {@link PluginManager#diagnose}). */
  INSTALLED,
  /** Resolved, not started. */
  RESOLVED,
  /** Starting: its activator or a lazy activation is under way. */
  STARTING,
  /** Started. */
  ACTIVE,
  /** Stopping. */
  STOPPING,
  /** Stopped on purpose, and kept stopped across restarts until it is enabled again. */
  DISABLED,
  /** Its last start failed; {@link Plugin#reason()} says why. */
  FAILED
}
