/** The Docker manager's implementation; docker-java stays inside this bundle. */
package io.dockevos.docker.internal;
