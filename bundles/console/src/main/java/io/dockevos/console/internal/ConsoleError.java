package io.dockevos.console.internal;

import io.dockevos.common.internal.ShellErrors;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A command's failure as the console prints it: gogo.jline's shell prints the exception's
 * {@code toString()}, which is here {@code Error: } and the words of {@link ShellErrors} (the
 * client's), with no Java class name; with the session variable {@code verbose} true, the stack
 * trace of the failure follows. Its own stack trace is the failure's, so {@code e} shows that.
 */
final class ConsoleError extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean verbose;

  ConsoleError(CharSequence command, Exception cause, boolean verbose) {
    super(ShellErrors.explain(command, cause), cause, false, false);
    this.verbose = verbose;
  }

  @Override
  public String toString() {
    if (!verbose) {
      return "Error: " + getMessage();
    }
    StringWriter trace = new StringWriter();
    getCause().printStackTrace(new PrintWriter(trace));
    return "Error: " + getMessage() + System.lineSeparator() + trace.toString().stripTrailing();
  }

  @Override
  public void printStackTrace(PrintStream s) {
    getCause().printStackTrace(s);
  }

  @Override
  public void printStackTrace(PrintWriter s) {
    getCause().printStackTrace(s);
  }
}
