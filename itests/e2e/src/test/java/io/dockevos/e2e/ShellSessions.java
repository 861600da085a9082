package io.dockevos.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell sessions of a Markdown page: each fenced block that holds {@code $ } lines (a shell) or
 * {@code dockevos> } lines (the console) is one session, each command followed by the output the
 * page shows for it. A block right after the line
 * {@code <!-- not run: REASON -->} is an illustration that no test can run (it needs a server on the
 * internet, say); it is kept apart, with its reason.
 */
final class ShellSessions {
  private static final Pattern NOT_RUN = Pattern.compile("<!--\\s*not run:\\s*(.+?)\\s*-->");

  /**
   * @param line the command line
   * @param shown the output the page shows for it
   * @param console whether it was typed at the console ({@code dockevos> }), not in a shell ({@code $ })
   */
  record Command(String line, List<String> shown, boolean console) {
    Command(String line, List<String> shown) {
      this(line, shown, false);
    }
  }

  static final String PROMPT = "dockevos> ";

  /** @param line the first line of the block @param commands its commands @param notRun why it is not run, or null */
  record Session(int line, List<Command> commands, String notRun) {}

  private ShellSessions() {}

  /** @return the sessions of the page, in order */
  static List<Session> of(Path page) throws IOException {
    List<Session> sessions = new ArrayList<>();
    List<Command> block = null;
    String notRun = null;
    String reason = null;
    int start = 0;
    int n = 0;
    for (String line : Files.readAllLines(page)) {
      n++;
      if (line.startsWith("```")) {
        if (block == null) {
          block = new ArrayList<>();
          start = n;
          notRun = reason;
        } else {
          if (!block.isEmpty()) {
            sessions.add(new Session(start, block, notRun));
          }
          block = null;
        }
        reason = null;
      } else if (block != null && line.startsWith("$ ")) {
        block.add(new Command(line.substring(2), new ArrayList<>()));
      } else if (block != null && line.startsWith(PROMPT)) {
        block.add(new Command(line.substring(PROMPT.length()), new ArrayList<>(), true));
      } else if (block != null && !block.isEmpty()) {
        block.get(block.size() - 1).shown().add(line);
      } else if (block == null && !line.isBlank()) {
        Matcher m = NOT_RUN.matcher(line);
        reason = m.find() ? m.group(1) : null;
      }
    }
    return sessions;
  }

  /** The output shown, as a pattern: runs of digits match any number, whitespace any whitespace, {@code ...} anything. */
  static Pattern pattern(List<String> shown) {
    String text = String.join("\n", shown).strip();
    StringBuilder re = new StringBuilder();
    Matcher m = Pattern.compile("\\.\\.\\.|\\d+|\\s+").matcher(text);
    int at = 0;
    while (m.find()) {
      re.append(Pattern.quote(text.substring(at, m.start())));
      String t = m.group();
      re.append(t.equals("...") ? ".*" : Character.isDigit(t.charAt(0)) ? "\\d+" : "\\s+");
      at = m.end();
    }
    re.append(Pattern.quote(text.substring(at)));
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** A line that starts a command of a shell: what a reader would type. */
  private static final Pattern COMMAND = Pattern.compile(
      "^(bin/dockevos|\\./dockevos|mvn |keytool |jarsigner |cd |curl |\\.ci/|set -a|\\(cd )");

  /**
   * A fenced block of shell commands that is no session (no {@code $ } lines): its first line, and
   * why it is not run ({@code <!-- not run: REASON -->} before it), or null.
   */
  record Block(int line, String first, String notRun) {}

  /** @return the blocks of the page that hold shell commands but no session (a {@code sh} block, or one that starts with a command) */
  static List<Block> commandBlocks(Path page) throws IOException {
    List<Block> blocks = new ArrayList<>();
    String reason = null;
    String notRun = null;
    boolean fenced = false;
    boolean shell = false;
    boolean session = false;
    String first = null;
    int start = 0;
    int n = 0;
    for (String line : Files.readAllLines(page)) {
      n++;
      if (line.startsWith("```")) {
        if (!fenced) {
          fenced = true;
          start = n;
          notRun = reason;
          String lang = line.substring(3).trim();
          shell = lang.equals("sh") || lang.equals("bash") || lang.equals("shell");
          session = false;
          first = null;
        } else {
          fenced = false;
          if (!session && first != null && (shell || COMMAND.matcher(first).find())) {
            blocks.add(new Block(start, first, notRun));
          }
        }
        reason = null;
      } else if (fenced) {
        session |= line.startsWith("$ ") || line.startsWith(PROMPT);
        if (first == null && !line.isBlank()) {
          first = line;
        }
      } else if (!line.isBlank()) {
        Matcher m = NOT_RUN.matcher(line);
        reason = m.find() ? m.group(1) : null;
      }
    }
    return blocks;
  }
}
