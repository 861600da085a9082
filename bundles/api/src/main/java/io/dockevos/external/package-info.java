/**
 * External plugins: programs in any language, described by a {@code plugin.yaml}, run out of
 * process and spoken to over MCP on stdio. Their tools become actions ({@link io.dockevos.action}).
 * They publish the events of bundle plugins ({@link io.dockevos.plugin.PluginEvents}) with
 * {@link io.dockevos.external.ExternalPlugins#KIND} set to {@code external}.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.dockevos.external;
