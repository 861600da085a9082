/**
 * Runners: run a job (command, environment, limits, timeout) and stream its output. A container runner and a process fallback implement it; the highest ranked one that is registered serves.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.dockevos.runner;
