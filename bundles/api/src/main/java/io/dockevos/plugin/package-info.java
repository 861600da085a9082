/**
 * The plugin manager: install, validate, resolve, start, stop, enable, disable, update and
 * uninstall plugins, read their state, and learn why one is not running. The Gogo commands
 * {@code plugin:*} and every later surface (REST, MCP) are thin layers over {@link
 * io.dockevos.plugin.PluginManager}. {@link io.dockevos.plugin.Diagnostics} says, as typed values,
 * what is wrong with any bundle: the requirements that keep it from resolving and the components
 * that are not satisfied. It lives here, beside {@link io.dockevos.plugin.MissingRequirement} and
 * {@link io.dockevos.plugin.PluginState}, which its diagnoses are made of.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.dockevos.plugin;
