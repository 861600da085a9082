package io.dockevos.mcp.internal;

/** A tool call that cannot be done; the message is what the client (and the history) sees. */
final class ToolException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean interrupted;

  ToolException(String message) {
    this(message, false);
  }

  ToolException(String message, boolean interrupted) {
    super(message);
    this.interrupted = interrupted;
  }

  /** @return whether it was cancelled or timed out rather than failed */
  boolean interrupted() {
    return interrupted;
  }
}
