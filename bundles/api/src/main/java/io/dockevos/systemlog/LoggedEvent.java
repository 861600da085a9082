package io.dockevos.systemlog;

import java.time.Instant;
import java.util.Map;

/**
 * An Event Admin event as the event log keeps it: its properties as text.
 *
 * @param time when it was received
 * @param topic its topic
 * @param properties its properties, each value as text (arrays joined with commas); values that are
 *     live objects (a {@code Bundle}, a {@code ServiceReference}) are left out
 * @since 0.1
 */
public record LoggedEvent(Instant time, String topic, Map<String, String> properties) {
  /** @return the plugin it is about: its {@code plugin.id}, else its {@code bundle.symbolicName}, else {@code null} */
  public String plugin() {
    String p = properties.get("plugin.id");
    return p != null ? p : properties.get("bundle.symbolicName");
  }
}
