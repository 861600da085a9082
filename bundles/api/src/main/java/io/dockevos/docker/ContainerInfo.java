package io.dockevos.docker;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container, as a list shows it.
 *
 * @param id the full id
 * @param name its name, without a leading slash
 * @param image the image it was created from
 * @param state {@code created}, {@code running}, {@code exited}, ...
 * @param status the engine's words, such as {@code Up 3 seconds}
 * @param labels its labels
 * @param created when it was created
 * @param ports its published ports, as {@code 127.0.0.1:8080->80/tcp}
 * @since 0.1
 */
public record ContainerInfo(String id, String name, String image, String state, String status,
    Map<String, String> labels, Instant created, List<String> ports) {
  public ContainerInfo {
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
  }

  /** The first 12 characters of the id. */
  public String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
