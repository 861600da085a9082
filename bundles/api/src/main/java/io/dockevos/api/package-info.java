/**
 * The constants that every dockevOS subsystem and plugin shares: the host
 * capability, and the Event Admin topics and property keys.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.dockevos.api;
