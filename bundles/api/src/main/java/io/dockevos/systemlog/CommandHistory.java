package io.dockevos.systemlog;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The command history of every Gogo session (the console, {@code bin/dockevos client},
 * {@code run -c} and {@code DockevOS.execute}), kept across restarts.
 *
 * <p>Whoever creates a session may name its user and origin with the session variables
 * {@link #SESSION_USER} and {@link #SESSION_ORIGIN}; without them the user is the OS user running
 * the runtime and the origin is {@code console}.
 *
 * @since 0.1
 */
@ProviderType
public interface CommandHistory {
  /** The session variable that names the user who types into the session, a {@code String}. */
  String SESSION_USER = "dockevos.user";
  /** The session variable that names where the session comes from, a {@code String}. */
  String SESSION_ORIGIN = "dockevos.origin";

  /**
   * @param text only commands that contain it, ignoring case; {@code null} or empty for all
   * @param failedOnly only commands that failed
   * @param limit at most this many, the most recent ones
   * @return the matching commands, oldest first
   */
  List<CommandRecord> find(String text, boolean failedOnly, int limit);

  /**
   * Keeps a command run outside a Gogo session: a call of the REST API or an MCP tool, with the
   * token's name as its user and {@code rest} or {@code mcp} as its origin. Secrets in its command
   * line and error are masked as in a session's.
   *
   * @param record what ran, who ran it, how it ended
   * @since 0.2
   */
  void record(CommandRecord record);
}
