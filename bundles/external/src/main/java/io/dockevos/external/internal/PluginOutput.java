package io.dockevos.external.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * A plugin's stdout and stderr, a process's or a container's: stdout read as protocol lines,
 * bounded; what is not protocol, and stderr, to the runtime log under the plugin's name, bounded
 * too; the last lines of stderr kept for the reason of a failure.
 */
final class PluginOutput {
  /** The longest protocol message read from stdout; a longer line is skipped and logged. */
  static final int MAX_MESSAGE = 4 * 1024 * 1024;
  /** The longest line of stderr (or of non-protocol stdout) logged; the rest of it is cut. */
  static final int MAX_LOG_LINE = 2048;
  /** Lines of stderr logged a second at most; the rest is counted and the count logged. */
  static final int LOG_LINES_PER_SECOND = 50;
  /** The last lines of stderr kept for the reason of a failure. */
  static final int TAIL = 5;

  private final Logger log;
  private final Deque<String> tail = new ArrayDeque<>();
  private Thread stderrReader;
  private long windowStart;
  private int windowLines;
  private long dropped;

  PluginOutput(Logger log) {
    this.log = log;
  }

  /** Starts a daemon thread for each stream. */
  void start(String name, InputStream stdout, InputStream stderr, Consumer<String> messages) {
    Thread out = new Thread(() -> readStdout(stdout, messages), "dockevos-external-" + name + "-out");
    Thread err = new Thread(() -> readStderr(stderr), "dockevos-external-" + name + "-err");
    out.setDaemon(true);
    err.setDaemon(true);
    stderrReader = err;
    out.start();
    err.start();
  }

  private void readStdout(InputStream stdout, Consumer<String> messages) {
    try {
      BoundedLines.read(stdout, MAX_MESSAGE, line -> {
        String t = line.strip();
        if (t.startsWith("{")) {
          messages.accept(t);
        } else if (!t.isEmpty()) {
          logLine("stdout (not protocol)", line);
        }
      }, n -> log.warn("skipped a line of {} bytes on stdout: longer than {} bytes, the longest message read", n,
          MAX_MESSAGE));
    } catch (IOException gone) {
      // it ended
    }
  }

  private void readStderr(InputStream stderr) {
    try {
      BoundedLines.read(stderr, 64 * 1024, line -> logLine("stderr", line),
          n -> log.info("stderr: [a line of {} bytes, not logged]", n));
    } catch (IOException gone) {
      // it ended
    }
    flushDropped();
  }

  /** Logs a line, at most {@value #LOG_LINES_PER_SECOND} a second; keeps the last stderr lines for a failure's reason. */
  private synchronized void logLine(String stream, String line) {
    String shown = line.length() > MAX_LOG_LINE ? line.substring(0, MAX_LOG_LINE) + " [cut: " + line.length()
        + " characters]" : line;
    if (stream.equals("stderr")) {
      tail.addLast(shown.length() > 200 ? shown.substring(0, 200) + "..." : shown);
      if (tail.size() > TAIL) {
        tail.removeFirst();
      }
    }
    long now = System.nanoTime();
    if (now - windowStart > TimeUnit.SECONDS.toNanos(1)) {
      flushDropped();
      windowStart = now;
      windowLines = 0;
    }
    if (++windowLines > LOG_LINES_PER_SECOND) {
      if (dropped++ == 0) {
        log.warn("more than {} lines a second of output: the rest of this second is counted, not logged",
            LOG_LINES_PER_SECOND);
      }
      return;
    }
    log.info("{}: {}", stream, shown);
  }

  private synchronized void flushDropped() {
    if (dropped > 0) {
      log.warn("{} lines of output not logged: more than {} a second", dropped, LOG_LINES_PER_SECOND);
      dropped = 0;
    }
  }

  /**
   * @param ended whether it ended: then its last words may still be on their way, and are waited for a little
   * @return the last lines of stderr
   */
  List<String> tail(boolean ended) {
    if (ended && stderrReader != null) {
      try {
        stderrReader.join(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      return List.copyOf(tail);
    }
  }
}
