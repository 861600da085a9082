package io.dockevos.common.internal;

import java.util.List;

/**
 * Where a JSON parse error is, in words a user can find in the file. The parser's position of an
 * error at the end of the text lies past the last line with text (its column counted from an
 * earlier line): that is said as "the text ends early, after line N"; any other column is kept
 * within its line.
 */
public final class JsonPositions {
  private JsonPositions() {}

  /**
   * @param text the whole JSON text that was parsed
   * @param line the parser's line, from 1
   * @param column the parser's column, from 1
   * @param atEnd whether the parser met the end of the text (its message names EOF)
   * @return {@code line L, column C}, or {@code it ends early, after line L} for an error at the end
   */
  public static String describe(String text, long line, long column, boolean atEnd) {
    List<String> lines = text.lines().toList();
    if (atEnd || line > lines.size()) {
      int last = lines.size();
      while (last > 0 && lines.get(last - 1).isBlank()) {
        last--;
      }
      return last == 0 ? "it is empty" : "it ends early, after line " + last;
    }
    int length = line >= 1 ? lines.get((int) line - 1).length() : 0;
    return "line " + line + ", column " + Math.max(1, Math.min(column, length + 1));
  }

  /** @return whether a parser's message says it met the end of the text */
  public static boolean atEnd(String message) {
    return message != null && message.contains("EOF");
  }
}
