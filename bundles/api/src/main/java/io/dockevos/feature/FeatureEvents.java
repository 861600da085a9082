package io.dockevos.feature;

/**
 * The Event Admin topics and properties of the feature manager. Every event carries {@link
 * #FEATURE_ID} and {@link #FEATURE_NAME}; {@link #FAILED} also carries {@link #REASON}.
 *
 * @since 0.1
 */
public final class FeatureEvents {
  /** The prefix of every feature topic. */
  public static final String TOPIC_PREFIX = "dockevos/feature/";
  /** A feature was installed: its bundles are installed and started, its configurations applied. */
  public static final String INSTALLED = TOPIC_PREFIX + "INSTALLED";
  /** A feature was uninstalled. */
  public static final String UNINSTALLED = TOPIC_PREFIX + "UNINSTALLED";
  /** A feature install failed, and everything it had added was removed again. */
  public static final String FAILED = TOPIC_PREFIX + "FAILED";
  /** Every feature topic, for an {@code EventHandler} subscription. */
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The feature's ID, {@code group:artifact:version}, a {@code String}. */
  public static final String FEATURE_ID = "feature.id";
  /** The feature's name (the artifact of its ID), a {@code String}. */
  public static final String FEATURE_NAME = "feature.name";
  /** Why it failed, in plain words, a {@code String}. */
  public static final String REASON = "reason";

  private FeatureEvents() {}
}
