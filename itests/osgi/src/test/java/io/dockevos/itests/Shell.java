package io.dockevos.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/** Runs one Gogo command line as a user would, and keeps what it returned and printed. */
final class Shell {
  /** What a command line gave: its value formatted as the console shows it, and its output. */
  record Result(Object value, String formatted, String out, String err) {
    /** The formatted value and the printed output together: what the user sees. */
    String shown() {
      return formatted + "\n" + out;
    }
  }

  private Shell() {}

  static Result run(CommandProcessor processor, String commandLine) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), o, e)) {
      Object value = session.execute(commandLine);
      CharSequence formatted = value == null ? "" : session.format(value, Converter.INSPECT);
      o.flush();
      e.flush();
      return new Result(value, String.valueOf(formatted), out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    }
  }
}
