/**
 * The plugin manager: install, validate, resolve, start, stop, enable, disable, update and
 * uninstall plugins, read their state, and learn why one is not running. The Gogo commands
 * {@code plugin:*} and every later surface (REST, MCP) are thin layers over {@link
 * io.dockevos.plugin.PluginManager}.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.dockevos.plugin;
