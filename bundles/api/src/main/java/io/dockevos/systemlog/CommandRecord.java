package io.dockevos.systemlog;

import java.time.Instant;

/**
 * One command line run in a Gogo session.
 *
 * @param time when it started
 * @param user who ran it: the OS user of the console, or the peer user of {@code bin/dockevos client}
 * @param origin where it came from: {@code console}, {@code client}, {@code run}, {@code embedded}, {@code shell},
 *     or, outside a Gogo session, {@code rest} or {@code mcp}
 * @param command the command line as typed
 * @param durationMillis how long it took
 * @param status whether it returned, threw, or was stopped by its user
 * @param error the error's message when it failed, or {@code null}
 * @since 0.1
 */
public record CommandRecord(Instant time, String user, String origin, String command, long durationMillis,
    Status status, String error) {

  /** How a command ended. */
  public enum Status {
    OK,
    FAILED,
    /** Stopped by its user before it ended by itself: Ctrl-C, or the client went away (a {@code -f}). */
    INTERRUPTED
  }

  /** @return whether the command failed */
  public boolean failed() {
    return status == Status.FAILED;
  }
}
