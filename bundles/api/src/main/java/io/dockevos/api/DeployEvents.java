package io.dockevos.api;

/**
 * Event Admin topics and properties of the deploy folder.
 *
 * <p>Every file that the deploy folder fails to install, update or start is
 * published on {@link #FAILED}; once the same file works again, on
 * {@link #RECOVERED}.
 *
 * @since 0.1
 */
public final class DeployEvents {
  /** The prefix of every deploy-folder topic. */
  public static final String TOPIC_PREFIX = "dockevos/deploy/";
  /** A file in the deploy folder failed; see {@link #PROP_FILE} and {@link #PROP_REASON}. */
  public static final String FAILED = TOPIC_PREFIX + "FAILED";
  /** A file that had failed now works. */
  public static final String RECOVERED = TOPIC_PREFIX + "RECOVERED";
  /** Every deploy-folder topic, for an {@code EventHandler} subscription. */
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The absolute path of the file, a {@code String}. */
  public static final String PROP_FILE = "file";
  /** The cause in plain words, a {@code String}. */
  public static final String PROP_REASON = "reason";
  /** The bundle symbolic name, when the file is a bundle, a {@code String}. */
  public static final String PROP_BUNDLE = "bundle.symbolicName";
  /** The bundle id, when the file is an installed bundle, a {@code Long}. */
  public static final String PROP_BUNDLE_ID = "bundle.id";
  /** The bundle version, when the file is a bundle, a {@code String}. @since 0.1 */
  public static final String PROP_BUNDLE_VERSION = "bundle.version";
  /**
   * On {@link #FAILED} for a bundle that cannot resolve (it is then not installed): the namespace of
   * each missing mandatory requirement, a {@code String[]}, in the order of {@link
   * #PROP_REQUIREMENT_FILTERS}; the same key as {@code io.dockevos.plugin.PluginEvents#REQUIREMENT_NAMESPACES}.
   *
   * @since 0.1
   */
  public static final String PROP_REQUIREMENT_NAMESPACES = "requirement.namespaces";
  /**
   * On {@link #FAILED} for a bundle that cannot resolve: the filter of each missing mandatory
   * requirement (empty for one without), a {@code String[]}, in the order of {@link
   * #PROP_REQUIREMENT_NAMESPACES}; the same key as {@code io.dockevos.plugin.PluginEvents#REQUIREMENT_FILTERS}.
   *
   * @since 0.1
   */
  public static final String PROP_REQUIREMENT_FILTERS = "requirement.filters";
  /**
   * On {@link #FAILED} when {@code deploy/<file>.failed} could not be written (a file name too long,
   * a read-only folder): why, a {@code String}.
   *
   * @since 0.1
   */
  public static final String PROP_MARKER_ERROR = "marker.error";

  private DeployEvents() {}
}
