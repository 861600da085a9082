package io.dockevos.error;

import java.time.Instant;
import java.util.Map;

/**
 * Failures with the same fingerprint, counted as one.
 *
 * @param id a short stable id, for example {@code E12}
 * @param fingerprint the exception type, its top frames and the bundle (or the source and its
 *     subject when there is no exception), hashed; repeats share it
 * @param source where it came from, for example {@code framework}, {@code log}, {@code component},
 *     {@code action}, {@code deploy}, {@code docker}, {@code hardware}
 * @param summary in plain words, one line
 * @param detail the full detail: the message and the stack trace when there is one
 * @param pluginId the symbolic name of the plugin that it touches, or {@code null}
 * @param severity how bad it is
 * @param status where it stands
 * @param firstSeen when it was first seen
 * @param lastSeen when it was last seen
 * @param count how many times it was seen
 * @param properties what the source said, for analyzers: for example {@code exception},
 *     {@code requirement}, {@code file}, {@code tool}, {@code reason}, and the properties of the
 *     event that reported it
 * @since 0.1
 */
public record Incident(
    String id,
    String fingerprint,
    String source,
    String summary,
    String detail,
    String pluginId,
    Severity severity,
    Status status,
    Instant firstSeen,
    Instant lastSeen,
    int count,
    Map<String, String> properties) {
  public Incident {
    properties = Map.copyOf(properties);
  }

  /** How bad an incident is. */
  public enum Severity {
    WARNING,
    ERROR,
    CRITICAL
  }

  /** Where an incident stands. */
  public enum Status {
    OPEN,
    ANALYSED,
    FIXED,
    IGNORED
  }
}
