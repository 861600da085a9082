package io.dockevos.test.wantsdocker;

import io.dockevos.docker.DockerEngine;

/**
 * A DS component (OSGI-INF/wants-docker.xml, written by hand) with a mandatory reference to the
 * DockerEngine, which its bundle requests with {@code Dockevos-Permissions: docker}: active only
 * while the plugin holds that permission (and an engine is there).
 */
public final class WantsDocker {
  public void setEngine(DockerEngine engine) {}

  public void unsetEngine(DockerEngine engine) {}
}
