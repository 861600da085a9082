/**
 * The Docker manager: the container engine ({@link io.dockevos.docker.DockerEngine}), containers,
 * images and services ({@link io.dockevos.docker.DockerServices}), in the project's own records (no
 * docker-java type crosses this API), and the events of {@link io.dockevos.docker.DockerEvents}.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.dockevos.docker;
