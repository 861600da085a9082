package io.dockevos.docker;

import java.time.Instant;
import java.util.List;

/**
 * An image.
 *
 * @param id its id ({@code sha256:...})
 * @param tags its names, {@code repo:tag}
 * @param size its size in bytes
 * @param created when it was created
 * @since 0.1
 */
public record ImageInfo(String id, List<String> tags, long size, Instant created) {
  public ImageInfo {
    tags = List.copyOf(tags);
  }

  /** The first 12 hex digits of the id. */
  public String shortId() {
    String hex = id.startsWith("sha256:") ? id.substring(7) : id;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
