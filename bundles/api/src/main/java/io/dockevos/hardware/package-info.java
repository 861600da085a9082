/**
 * The hardware analyzer: what the system is, the system tools that plugins need, and resource thresholds.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.dockevos.hardware;
