package io.dockevos.common.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The console's questions: what a user types in answer, read from the session's keyboard; and who
 * types into a session.
 */
public final class Prompts {
  /** The session variable that names the user ({@code io.dockevos.systemlog.CommandHistory.SESSION_USER}). */
  public static final String USER = "dockevos.user";
  /** The session variable that names where the session comes from ({@code CommandHistory.SESSION_ORIGIN}). */
  public static final String ORIGIN = "dockevos.origin";
  /** The session variable of the Gogo console's terminal: only an interactive console has one. */
  public static final String TERMINAL = ".terminal";

  private Prompts() {}

  /**
   * @param variables the session's variables ({@code session::get})
   * @return who types into the session, for an audit: its user (the OS user when it names none) and
   *     where it comes from, {@code alice (client)}; {@code console} when it does not say
   */
  public static String who(java.util.function.Function<String, Object> variables) {
    return text(variables, USER, System.getProperty("user.name", "?")) + " (" + text(variables, ORIGIN, "console")
        + ")";
  }

  /** @return whether the session is an interactive console, with a terminal to answer on */
  public static boolean interactive(java.util.function.Function<String, Object> variables) {
    try {
      return variables != null && variables.apply(TERMINAL) != null;
    } catch (RuntimeException closed) {
      return false;
    }
  }

  private static String text(java.util.function.Function<String, Object> variables, String name, String otherwise) {
    try {
      Object v = variables == null ? null : variables.apply(name);
      return v instanceof String s && !s.isBlank() ? s : otherwise;
    } catch (RuntimeException closed) {
      return otherwise;
    }
  }

  /** One line typed at the console, without its end; {@code null} at the end of the input, before any character. */
  public static String readLine(InputStream in) {
    if (in == null) {
      return null;
    }
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n' || c == '\r') {
          return line.toString(StandardCharsets.UTF_8);
        }
        line.write(c);
      }
    } catch (IOException e) {
      return null;
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  /** @return whether the answer is yes ({@code y} or {@code yes}, in any case) */
  public static boolean yes(String answer) {
    return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
  }
}
