package io.dockevos.common.internal;

import java.util.regex.Pattern;

/**
 * A shell command's failure in the user's words, as {@code bin/dockevos client} and the console both
 * print it after {@code Error: }: the shell's own errors (a command not found, arguments that fit no
 * form of the command, text it cannot read, a command nested too deeply) name the command and what
 * to do, and no Java class name shows. Only java.* types are used: the launcher, which cannot see
 * the shell's classes, calls it too.
 */
public final class ShellErrors {
  /** Gogo's words when no method of a command takes the arguments: {@code Cannot coerce tail(Token, Token) to any of [(int, boolean)]}. */
  private static final Pattern NO_FIT = Pattern.compile("^Cannot coerce \\S*\\(");

  private ShellErrors() {}

  /**
   * @param command the command line that failed
   * @param cause what it threw
   * @return the words to print after {@code Error: }
   */
  public static String explain(CharSequence command, Throwable cause) {
    String message = cause.getMessage();
    if (cause instanceof StackOverflowError) {
      return "the command is nested too deeply to run (a stack overflow in the shell); split it into smaller commands";
    }
    if (cause instanceof IllegalArgumentException && message != null && NO_FIT.matcher(message).find()) {
      String text = command.toString().strip();
      int space = text.indexOf(' ');
      String name = space < 0 ? text : text.substring(0, space);
      String args = space < 0 ? "" : text.substring(space + 1).strip();
      return name + (args.isEmpty() ? " needs arguments" : " does not take the arguments " + args)
          + ": help " + name + " shows what it takes";
    }
    if (message != null && parserError(cause)) {
      String text = command.toString().strip();
      String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
      boolean unclosed = cause.getClass().getSimpleName().startsWith("EOF");
      return "the command '" + shown + "' cannot be read: " + message
          + (unclosed ? "; close every quote and bracket it opens" : "; quote a bracket or a brace that is text");
    }
    if (cause.getClass().getSimpleName().equals("CommandNotFoundException") && message != null) {
      return message + "; help lists the commands";
    }
    if (message == null || message.isBlank()) {
      return "the command failed (" + cause.getClass().getSimpleName() + ", with no message)";
    }
    return message;
  }

  /** @return whether the shell's parser refused the command's text (a quote or a bracket not closed, a stray one) */
  private static boolean parserError(Throwable cause) {
    String type = cause.getClass().getSimpleName();
    StackTraceElement[] at = cause.getStackTrace();
    return (type.equals("EOFException") || type.equals("EOFError") || type.equals("SyntaxError")) && at.length > 0
        && at[0].getClassName().startsWith("org.apache.felix.gogo.runtime.");
  }
}
