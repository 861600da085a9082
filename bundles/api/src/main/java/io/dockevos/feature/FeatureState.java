package io.dockevos.feature;

/**
 * Where a feature stands.
 *
 * @since 0.1
 */
public enum FeatureState {
  /** Known from {@code system/features/} or a repository, not installed. */
  AVAILABLE,
  /** Installed with {@link FeatureManager#install}: its bundles are installed and active. */
  INSTALLED,
  /** Installed, but one of its bundles is no longer installed or not active; installing it again repairs it. */
  INCOMPLETE,
  /** A boot feature: the runtime itself, installed by the launcher. */
  BOOT
}
