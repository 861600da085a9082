/**
 * The Docker manager: the container engine, containers, images and services, in the project's own records (no docker-java type crosses this API).
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.dockevos.docker;
