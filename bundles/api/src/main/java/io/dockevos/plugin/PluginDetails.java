package io.dockevos.plugin;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code plugin:info} shows about a plugin.
 *
 * @param plugin the plugin
 * @param headers the manifest headers that describe it: name, description, vendor, license, doc URL
 * @param provides the capabilities and packages it provides, one line each
 * @param requires what it requires, one line each, with the bundle that is wired to it or
 *     "unsatisfied"
 * @param services the services it registered, by their object classes
 * @param components its Declarative Services components, "name: STATE" each
 * @param actions the names of the actions it provides
 * @param configurations the configuration PIDs it uses
 * @param dataSize the bytes in its data area
 * @param dataArea the path of its data area
 * @since 0.1
 */
public record PluginDetails(Plugin plugin, Map<String, String> headers, List<String> provides, List<String> requires,
    List<String> services, List<String> components, List<String> actions, List<String> configurations,
    long dataSize, String dataArea) {}
