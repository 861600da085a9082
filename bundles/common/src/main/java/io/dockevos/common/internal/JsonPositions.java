package io.dockevos.common.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JSON parse error is, in words a user can find in the file. The parser's position of an
 * error at the end of the text lies past the last line with text (its column counted from an
 * earlier line): that is said as "the text ends early, after line N"; any other column is kept
 * within its line.
 */
public final class JsonPositions {
  private static final Pattern PARSSON_AT = Pattern.compile("\\s*at \\(line no=\\d+, column no=\\d+, offset=-?\\d+\\)");
  private static final Pattern INVALID_TOKEN = Pattern.compile("Invalid token=(\\w+)\\. Expected tokens are: \\[([^\\]]*)\\]");
  private static final Pattern UNEXPECTED_CHAR = Pattern.compile("Unexpected char (-?\\d+)");

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

  /**
   * @param text the whole JSON text that was parsed
   * @param e what the parser threw (or something it caused)
   * @return where and what: {@code line 1, column 12: unexpected character 'b'}; the plain words alone
   *     when the parser gave no place
   */
  public static String explain(String text, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof jakarta.json.stream.JsonParsingException parse && parse.getLocation() != null) {
        var at = parse.getLocation();
        return describe(text, at.getLineNumber(), at.getColumnNumber(), atEnd(parse.getMessage())) + ": "
            + plain(parse.getMessage());
      }
    }
    return plain(e.getMessage());
  }

  /** @return whether a parser's message says it met the end of the text */
  public static boolean atEnd(String message) {
    return message != null && message.contains("EOF");
  }

  /** @return Parsson's message without the location it repeats, with the character it means, not its code */
  public static String plain(String message) {
    if (message == null) {
      return "";
    }
    String m = PARSSON_AT.matcher(message).replaceAll("");
    Matcher t = INVALID_TOKEN.matcher(m);
    if (t.find()) {
      List<String> expected = new ArrayList<>();
      for (String e : t.group(2).split(",\\s*")) {
        expected.add(token(e.trim()));
      }
      return "found " + token(t.group(1)) + " where " + String.join(" or ", expected) + " was expected";
    }
    Matcher c = UNEXPECTED_CHAR.matcher(m);
    if (c.find()) {
      int code = Integer.parseInt(c.group(1));
      String what = code < 0 ? "the file ends too early" : "unexpected character '" + (char) code + "'";
      m = c.replaceFirst(Matcher.quoteReplacement(what));
    }
    return m;
  }

  /** Parsson's name of a token, as a user would write it. */
  private static String token(String name) {
    return switch (name) {
      case "CURLYOPEN" -> "'{'";
      case "CURLYCLOSE" -> "'}'";
      case "SQUAREOPEN" -> "'['";
      case "SQUARECLOSE" -> "']'";
      case "COLON" -> "':'";
      case "COMMA" -> "','";
      case "STRING" -> "a string";
      case "NUMBER" -> "a number";
      case "TRUE" -> "true";
      case "FALSE" -> "false";
      case "NULL" -> "null";
      case "EOF" -> "the end of the file";
      default -> name;
    };
  }
}
