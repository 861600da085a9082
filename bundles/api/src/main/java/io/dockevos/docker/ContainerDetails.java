package io.dockevos.docker;

import java.util.List;
import java.util.Map;

/**
 * What the engine knows about one container.
 *
 * @param id the full id
 * @param name its name
 * @param image the image
 * @param state {@code created}, {@code running}, {@code exited}, ...
 * @param exitCode its exit code once it exited
 * @param startedAt when it last started, as the engine writes it (RFC 3339)
 * @param finishedAt when it last exited, as the engine writes it
 * @param restartCount how often the engine restarted it
 * @param labels its labels
 * @param json the engine's whole answer, as JSON
 * @since 0.1
 */
public record ContainerDetails(String id, String name, String image, String state, int exitCode,
    String startedAt, String finishedAt, int restartCount, Map<String, String> labels, String json) {
  public ContainerDetails {
    labels = Map.copyOf(labels);
  }

  public boolean running() {
    return "running".equals(state);
  }
}
