package io.dockevos.plugin;

/**
 * The Event Admin topics and properties of the plugin manager. Every event carries {@link
 * #PLUGIN_ID} and {@link #PLUGIN_VERSION}; {@link #FAILED} also carries {@link #REASON}.
 *
 * @since 0.1
 */
public final class PluginEvents {
  /** The prefix of every plugin topic. */
  public static final String TOPIC_PREFIX = "dockevos/plugin/";
  public static final String INSTALLED = TOPIC_PREFIX + "INSTALLED";
  public static final String RESOLVED = TOPIC_PREFIX + "RESOLVED";
  public static final String STARTED = TOPIC_PREFIX + "STARTED";
  public static final String STOPPED = TOPIC_PREFIX + "STOPPED";
  public static final String UPDATED = TOPIC_PREFIX + "UPDATED";
  public static final String UNINSTALLED = TOPIC_PREFIX + "UNINSTALLED";
  public static final String ENABLED = TOPIC_PREFIX + "ENABLED";
  public static final String DISABLED = TOPIC_PREFIX + "DISABLED";
  public static final String FAILED = TOPIC_PREFIX + "FAILED";
  /** Every plugin topic, for an {@code EventHandler} subscription. */
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The plugin's symbolic name, a {@code String}. */
  public static final String PLUGIN_ID = "plugin.id";
  /** The plugin's version, a {@code String}. */
  public static final String PLUGIN_VERSION = "plugin.version";
  /** The plugin's bundle id, a {@code Long}. */
  public static final String BUNDLE_ID = "bundle.id";
  /** Why it failed, in plain words, a {@code String}. */
  public static final String REASON = "reason";

  /**
   * On {@link #FAILED} for a plugin that does not resolve: the namespace of each missing mandatory
   * requirement, a {@code String[]}, in the order of {@link #REQUIREMENT_FILTERS}. A failed start
   * also carries the exception ({@code org.osgi.service.event.EventConstants.EXCEPTION}).
   *
   * @since 0.1
   */
  public static final String REQUIREMENT_NAMESPACES = "requirement.namespaces";
  /**
   * On {@link #FAILED} for a plugin that does not resolve: the filter of each missing mandatory
   * requirement (empty for one without), a {@code String[]}, in the order of {@link
   * #REQUIREMENT_NAMESPACES}.
   *
   * @since 0.1
   */
  public static final String REQUIREMENT_FILTERS = "requirement.filters";
  /**
   * Where a refused install came from, as {@code plugin:install} was given it (a path, relative to the
   * home, or a URL), a {@code String}.
   *
   * @since 0.1
   */
  public static final String SOURCE = "plugin.source";

  private PluginEvents() {}
}
