package io.dockevos.action;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What an action gets while it runs: a way to stream output and progress to whoever invoked it
 * (the console prints both as they come), and whether the invocation was cancelled or timed out.
 *
 * @since 0.1
 */
@ProviderType
public interface ActionContext {
  /** Reports progress, 0 to 100, with a short message. */
  void progress(int percent, String message);

  /** Streams a chunk of output (a line, for example) before the result. */
  void output(String chunk);

  /**
   * @return whether the caller cancelled (Ctrl-C) or the timeout passed; a long action checks this
   *     and returns early. The thread is interrupted too.
   */
  boolean cancelled();
}
