package io.dockevos.common.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The console's questions: what a user types in answer, read from the session's keyboard. */
public final class Prompts {
  private Prompts() {}

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
