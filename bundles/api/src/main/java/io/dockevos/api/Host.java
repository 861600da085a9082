package io.dockevos.api;

/**
 * The host that plugins run in.
 *
 * <p>The system bundle provides a capability in the {@value #NAMESPACE}
 * namespace whose {@value #VERSION_ATTRIBUTE} attribute is the dockevOS
 * version, so a plugin can require a minimum host:
 *
 * <pre>
 * Require-Capability: dockevos.host;filter:="(dockevos.host.version&gt;=0.1)"
 * </pre>
 *
 * @since 0.1
 */
public final class Host {
  /** The capability namespace of the host. */
  public static final String NAMESPACE = "dockevos.host";
  /** The attribute that holds the host version, of type {@code Version}. */
  public static final String VERSION_ATTRIBUTE = "dockevos.host.version";
  /**
   * The namespace in which a plugin requires features, checked by the plugin manager before it
   * installs the plugin, against the installed features (their name, and their {@code version}):
   *
   * <pre>
   * Require-Capability: dockevos.feature;filter:="(dockevos.feature=dockevos-docker)";effective:=active
   * </pre>
   *
   * <p>{@code effective:=active} leaves the requirement to the plugin manager: the framework's
   * resolver does not see features.
   */
  public static final String FEATURE_NAMESPACE = "dockevos.feature";
  /** The framework property that holds the dockevOS home directory. */
  public static final String HOME_PROPERTY = "dockevos.home";
  /** The framework property that holds the data directory. */
  public static final String DATA_PROPERTY = "dockevos.data";
  /** The framework property that holds the deploy directory. */
  public static final String DEPLOY_PROPERTY = "dockevos.deploy";
  /** The framework property that holds the log directory. */
  public static final String LOG_DIR_PROPERTY = "dockevos.log.dir";

  private Host() {}
}
