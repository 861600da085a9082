package io.dockevos.hardware;

/**
 * How a plugin or feature declares the system tools it needs.
 *
 * <p>A plugin requires a tool in the {@value #NAMESPACE} namespace, with {@code effective:=active} so
 * that the framework's resolver does not look for a provider (the hardware analyzer checks it):
 *
 * <pre>
 * Require-Capability: dockevos.system;filter:="(&amp;(dockevos.system=docker)(version&gt;=20))";effective:=active
 * </pre>
 *
 * <p>A feature lists the same filters, one a line, in its text extension {@value #FEATURE_EXTENSION}
 * (kind {@code optional}, so that other feature readers may ignore it):
 *
 * <pre>
 * "extensions": { "dockevos.system": { "kind": "optional",
 *     "text": [ "(&amp;(dockevos.system=git)(version&gt;=2))", "(dockevos.system=sh)" ] } }
 * </pre>
 *
 * @since 0.1
 */
public final class SystemTools {
  /** The requirement namespace, and the attribute that names the tool. */
  public static final String NAMESPACE = "dockevos.system";
  /** The attribute that holds the tool's version, of type {@code Version}. */
  public static final String VERSION_ATTRIBUTE = "version";
  /** The name of the feature extension that lists a feature's tool requirements. */
  public static final String FEATURE_EXTENSION = "dockevos.system";

  private SystemTools() {}
}
