/**
 * The system log: the command history of every shell session, periodic system and JVM metrics,
 * and a log of the runtime's events. Everything is persisted under {@code data/systemlog/},
 * bounded and rotated, and can be queried.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.dockevos.systemlog;
