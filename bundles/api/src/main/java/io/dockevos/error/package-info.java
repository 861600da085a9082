/**
 * The error handler: failures collected into de-duplicated incidents, and each plugin's health.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.dockevos.error;
