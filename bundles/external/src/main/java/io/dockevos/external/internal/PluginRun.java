package io.dockevos.external.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One run of a plugin, a process or a container: its stdin, its end, and how it is stopped. */
interface PluginRun {
  /** Writes one protocol message, a line. */
  void send(String line) throws IOException;

  /** Closes stdin: the MCP way to ask a stdio server to end. */
  void closeInput();

  boolean alive();

  /** Its process's id on this host, or -1 when it is not known. */
  long pid();

  /** Completes with its exit status when it ended by itself or was stopped (-1 when it is not known). */
  CompletableFuture<Integer> exited();

  /** @return the last lines of stderr, for the reason of a failure */
  List<String> tail();

  /**
   * Stops it: a polite request to end, then a kill after {@code grace}; what is left of it is removed.
   *
   * @return its exit status, or -1 if it had to be killed
   */
  int stop(Duration grace);

  /** Kills whatever is left of it, at once. */
  void reap();
}
