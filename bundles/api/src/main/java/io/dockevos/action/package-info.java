/**
 * Actions: what a plugin can do, with a name, a description and a JSON Schema for its input, on
 * every surface at once. A plugin registers an {@link io.dockevos.action.Action} service (with
 * {@link io.dockevos.action.ActionDefinition} on its component); the runtime makes it a Gogo
 * command and lets {@link io.dockevos.action.ActionService} invoke it with validated input, a
 * timeout, cancellation, metrics and events.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.dockevos.action;
