/**
 * The shell assistant: analyzers that diagnose incidents, and fixes that can be applied.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.dockevos.assist;
