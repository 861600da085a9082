package io.dockevos.docker;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the progress of an image pull.
 *
 * @since 0.1
 */
@ConsumerType
@FunctionalInterface
public interface PullListener {
  /**
   * @param layer the layer id, or "" for the image as a whole
   * @param status what the engine says, such as {@code Downloading} or {@code Pull complete}
   * @param current bytes done, or 0 when unknown
   * @param total bytes in all, or 0 when unknown
   */
  void progress(String layer, String status, long current, long total);
}
