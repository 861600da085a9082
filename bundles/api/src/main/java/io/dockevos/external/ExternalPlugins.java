package io.dockevos.external;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The external plugins: install one from a folder or archive that holds a {@code plugin.yaml},
 * start, stop, enable, disable and uninstall it. A started plugin is supervised: restarted with
 * backoff when it ends or stops answering its pings, FAILED when it fails too often.
 *
 * @since 0.1
 */
@ProviderType
public interface ExternalPlugins {
  /** The event property ({@code String}) that says which kind of plugin an event of {@code dockevos/plugin/*} is about. */
  String KIND = "plugin.kind";
  /** The value of {@link #KIND} for an external plugin. */
  String EXTERNAL = "external";

  /**
   * Installs (or replaces, when stopped) the plugin in {@code source}, and starts it.
   *
   * @param source a folder with a {@code plugin.yaml}, or a {@code .zip} or {@code .tar.gz} of one
   * @return the plugin, as it is once started (or FAILED)
   * @throws NotGrantedException when it asks for permissions that are not granted (see {@link
   *     #install(Path, boolean)})
   * @throws ExternalPluginException when the source or its {@code plugin.yaml} is not valid
   */
  default ExternalPlugin install(Path source) throws ExternalPluginException {
    return install(source, false);
  }

  /**
   * Installs (or replaces, when stopped) the plugin in {@code source}, and starts it. The
   * permissions its {@code plugin.yaml} asks for are those of bundle plugins ({@code network},
   * {@code events.publish:TOPIC}, ...); a plugin runs with those that are granted
   * ({@code security:grants}), and uninstalling it revokes them.
   *
   * @param grant whether to grant what it asks for that is not granted yet (recorded, audited); when
   *     false, such a plugin is not installed
   * @throws NotGrantedException when it asks for permissions that are not granted, and {@code grant} is false
   * @throws ExternalPluginException when the source or its {@code plugin.yaml} is not valid
   * @since 0.2
   */
  ExternalPlugin install(Path source, boolean grant) throws ExternalPluginException;

  /**
   * Updates an installed plugin to the version in {@code source}. A running one keeps running
   * while the new version starts beside it and is checked (initialize, tools/list, ping); only then
   * does the old one stop and the new one take over its actions. When the new version does not
   * answer, it is stopped and the old one runs on, untouched.
   *
   * @param name the installed plugin
   * @param source a folder with a {@code plugin.yaml} of that name, or a {@code .zip} or {@code .tar.gz} of one
   * @return the plugin, as it is once updated
   * @throws ExternalPluginException when there is no such plugin, the source is not valid or names
   *     another plugin, or the new version does not start (the old one then runs on)
   * @since 0.2
   */
  default ExternalPlugin update(String name, Path source) throws ExternalPluginException {
    return update(name, source, false);
  }

  /**
   * {@link #update(String, Path)}, granting what the new version asks for that is not granted yet when
   * {@code grant} is true (else such a version is not installed: {@link NotGrantedException}).
   *
   * @since 0.2
   */
  ExternalPlugin update(String name, Path source, boolean grant) throws ExternalPluginException;

  /** @return whether {@code source} looks like an external plugin: a folder with a plugin.yaml, or an archive holding one */
  boolean isExternal(Path source);

  /** @return every external plugin, by name */
  List<ExternalPlugin> plugins();

  Optional<ExternalPlugin> plugin(String name);

  ExternalPlugin start(String name) throws ExternalPluginException;

  ExternalPlugin stop(String name) throws ExternalPluginException;

  /** Enables (and starts) or disables (and stops) the plugin; the choice survives a restart of the runtime. */
  ExternalPlugin enable(String name, boolean enabled) throws ExternalPluginException;

  /** Stops the plugin and deletes its files. */
  void uninstall(String name) throws ExternalPluginException;
}
