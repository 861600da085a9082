package io.dockevos.docker;

import java.util.List;

/**
 * A service of the small compose: one Configuration Admin factory configuration
 * ({@link DockerServices#FACTORY_PID}) kept running as one container.
 *
 * @param name the service's name
 * @param pid the configuration's PID
 * @param image its image
 * @param state {@code RUNNING}, {@code STARTING}, {@code WAITING} (for a service it depends on),
 *     {@code BACKOFF} (waiting to restart a dead container), {@code STOPPED}, or {@code INVALID}
 *     (its configuration is wrong: see {@code reason})
 * @param containerId the id of its container, or ""
 * @param restarts how often it was restarted after its container died
 * @param dependsOn the services it needs running first
 * @param reason why it is not running, or ""
 * @since 0.1
 */
public record ServiceInfo(String name, String pid, String image, String state, String containerId, int restarts,
    List<String> dependsOn, String reason) {
  public ServiceInfo {
    dependsOn = List.copyOf(dependsOn);
  }
}
