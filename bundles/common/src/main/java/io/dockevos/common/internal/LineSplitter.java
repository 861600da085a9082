package io.dockevos.common.internal;

import java.util.function.Consumer;

/**
 * Splits text that comes in pieces (a process's output, a container's log frames) into lines, none
 * longer than a limit, so that a line with no end never grows a buffer: a longer line is handed on
 * in pieces of the limit as it comes, each piece but the last ending with {@link #marker(int)}.
 * Nothing is lost. A {@code \r} before a line end is dropped. Not thread-safe.
 */
public final class LineSplitter {
  /** The longest line handed on whole, in characters, unless a caller says otherwise. */
  public static final int DEFAULT_MAX = 1 << 16;

  private final int max;
  private final Consumer<String> lines;
  private final StringBuilder line = new StringBuilder();
  private final String marker;

  public LineSplitter(int max, Consumer<String> lines) {
    this.max = Math.max(1, max);
    this.lines = lines;
    this.marker = marker(this.max);
  }

  /** What ends each piece of a line longer than {@code max} characters, but its last. */
  public static String marker(int max) {
    return " [line split: longer than " + max + " characters]";
  }

  public void accept(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      accept(text.charAt(i));
    }
  }

  public void accept(char[] text, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      accept(text[i]);
    }
  }

  private void accept(char c) {
    if (c == '\n') {
      int end = line.length();
      if (end > 0 && line.charAt(end - 1) == '\r') {
        line.setLength(end - 1);
      }
      emit();
      return;
    }
    if (line.length() == max) {
      // A '\r' at the limit may be half of a line end: keep it for the next piece.
      boolean cr = line.charAt(max - 1) == '\r';
      if (cr) {
        line.setLength(max - 1);
      }
      line.append(marker);
      emit();
      if (cr) {
        line.append('\r');
      }
    }
    line.append(c);
  }

  /** Hands on what is left of the last line, if anything (the text ended without a line end). */
  public void finish() {
    if (line.length() > 0) {
      emit();
    }
  }

  private void emit() {
    String s = line.toString();
    line.setLength(0);
    lines.accept(s);
  }
}
