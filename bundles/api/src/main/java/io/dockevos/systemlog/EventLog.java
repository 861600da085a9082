package io.dockevos.systemlog;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Every {@code dockevos/*} event and every framework event ({@code org/osgi/framework/*}) that
 * Event Admin delivered, bounded, kept across restarts.
 *
 * @since 0.1
 */
@ProviderType
public interface EventLog {
  /**
   * @param topicPattern a topic, where {@code *} matches any text (slashes included); {@code null} for all
   * @param plugin only events about this plugin ({@link LoggedEvent#plugin()}); {@code null} for all
   * @param since only events received at or after this time; {@code null} for all
   * @param limit at most this many, the most recent ones
   * @return the matching events, oldest first
   */
  List<LoggedEvent> find(String topicPattern, String plugin, Instant since, int limit);
}
