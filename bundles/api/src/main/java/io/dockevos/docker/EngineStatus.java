package io.dockevos.docker;

import java.time.Instant;

/**
 * Whether the container engine answers.
 *
 * @param endpoint the configured endpoint, such as {@code unix:///var/run/docker.sock}
 * @param up whether the last ping was answered
 * @param version the engine's version when it is up, else ""
 * @param apiVersion the Engine API version when it is up, else ""
 * @param reason why it is down, else ""
 * @param since when it went up or down
 * @since 0.1
 */
public record EngineStatus(String endpoint, boolean up, String version, String apiVersion, String reason, Instant since) {
  /** {@code UP} or {@code DOWN}. */
  public String state() {
    return up ? "UP" : "DOWN";
  }
}
