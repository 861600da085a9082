package io.dockevos.plugin;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs and manages plugins: bundles with a source, a persistent enabled flag and a data area.
 *
 * <p>A plugin is named on every call by its bundle id, its symbolic name, or {@code name/version}
 * when several versions are installed. Every change publishes a {@link PluginEvents} event. What
 * the manager records (sources, enabled flags, failures) survives a restart.
 *
 * @since 0.1
 */
@ProviderType
public interface PluginManager {
  /** How {@link #install} treats a plugin. */
  enum InstallOption {
    /** Keep the plugin installed even when it does not resolve. */
    FORCE,
    /** Install without starting it. */
    NO_START,
    /**
     * Install without resolving or starting it: the caller resolves it together with others, as a
     * feature install does, so that bundles that need each other can come in any order.
     *
     * @since 0.1
     */
    NO_RESOLVE
  }

  /**
   * Installs a plugin and, unless {@link InstallOption#NO_START} is given, starts it.
   *
   * <p>The source is checked before anything stays installed: the jar must be readable, its
   * manifest valid ({@code Bundle-ManifestVersion: 2}, a symbolic name, a version), the host
   * version it requires met, and every requirement resolvable. On any failure nothing stays
   * installed (unless {@link InstallOption#FORCE} is given for a plugin that does not resolve).
   *
   * <p>An {@code https:} URL is downloaded only when its SHA-256 is known: given as the URL's fragment
   * ({@code https://example.org/x.jar#sha256=HEX}, never sent to the server) or by a registered R5
   * index that offers the URL; the download must match it. A plain {@code http:} URL is refused unless
   * such an index, registered with {@code repo:add --insecure} or giving the SHA-256, offers it.
   * Downloads are bounded by the framework properties {@code dockevos.download.*}.
   *
   * @param source a jar path, a {@code file:} URL (no host), an {@code https:} URL, or {@code mvn:} coordinates
   * @return the installed plugin
   * @throws PluginException naming the source and the cause; {@link PluginException#missing()}
   *     lists unresolvable requirements
   */
  Plugin install(String source, InstallOption... options) throws PluginException;

  /** @return every plugin, by bundle id (the framework itself excluded) */
  List<Plugin> list();

  /** @return the plugin that {@code ref} names, if any */
  Optional<Plugin> find(String ref);

  /** Starts a plugin; fails for a disabled one, with the command that enables it. */
  Plugin start(String ref) throws PluginException;

  /** Stops a plugin until it is started again or the runtime restarts. */
  Plugin stop(String ref) throws PluginException;

  /** Clears the disabled flag and starts the plugin. */
  Plugin enable(String ref) throws PluginException;

  /** Stops the plugin and keeps it stopped across restarts, until {@link #enable}. */
  Plugin disable(String ref) throws PluginException;

  /**
   * Updates a plugin from a new source. Its data area survives; a {@link StatefulPlugin} carries
   * its state over. When the new version fails to resolve or start, or its state hook throws, the
   * previous version runs again, and the exception says why.
   *
   * @param source the new source, or {@code null} for the one it was installed from
   */
  Plugin update(String ref, String source) throws PluginException;

  /**
   * Uninstalls a plugin and removes its configurations and data area, unless {@code keepData}: then
   * both stay, and a later install of the same symbolic name finds its data again.
   */
  void uninstall(String ref, boolean keepData) throws PluginException;

  /** @return everything {@code plugin:info} shows */
  PluginDetails details(String ref) throws PluginException;

  /** @return why the plugin is not active, in plain words, with fixes */
  Diagnosis diagnose(String ref) throws PluginException;

  /**
   * @param bundleId any bundle's id
   * @return the mandatory requirements of that bundle that nothing installed satisfies, each with
   *     the providers that could be installed
   */
  List<MissingRequirement> missingRequirements(long bundleId);

  /**
   * Finds the bundles that are not installed but would satisfy a requirement: in {@code system/}
   * (as the features that name them, where some do) and in the local Maven repository, as
   * {@link MissingRequirement#providers()} lists them.
   *
   * @param namespace the requirement's namespace, for example {@code osgi.wiring.package} or
   *     {@code osgi.service}
   * @param filter its filter, for example {@code (&(osgi.wiring.package=io.x)(version>=1.0.0))} or
   *     {@code (objectClass=io.x.Api)}
   * @return the providers, those of {@code system/} first; empty when there is none
   * @throws IllegalArgumentException when the filter is not valid, naming it
   * @since 0.1
   */
  List<Provider> providers(String namespace, String filter);

  /**
   * How far a plugin's jar is trusted: read from its signature when it was installed, against the
   * trust store as it is now (adding or removing a certificate changes it at once).
   *
   * @param bundleId any bundle's id
   * @return its level; {@link TrustLevel#UNSIGNED} for a bundle that is not installed or whose jar is
   *     not known
   * @since 0.1
   */
  default TrustLevel trust(long bundleId) {
    return find(String.valueOf(bundleId)).map(Plugin::trust).orElse(TrustLevel.UNSIGNED);
  }
}
