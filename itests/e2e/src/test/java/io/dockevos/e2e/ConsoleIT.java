package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/dockevos} with no arguments: the foreground Gogo console. Through a pipe, as a
 * script would drive it, and through a pseudo-terminal, as a person types into it.
 */
class ConsoleIT extends UnpackedDistribution {
  private static final Duration BOOT = Duration.ofSeconds(60);
  private static final Duration STEP = Duration.ofSeconds(15);
  private Console console;

  @AfterEach
  void killConsole() {
    if (console != null) {
      console.kill();
    }
  }

  @Test
  void exitStopsTheConsole() {
    console = new Console(dist.launch(dist.root(), Map.of(), List.of(dist.script().toString())));
    console.type("lb\n");
    console.awaitOutput("the bundle list", BOOT, c -> c.output().contains("dockevOS core"));
    console.type("exit\n"); // standard input stays open: only exit may end it
    int status = console.awaitExit(STEP);
    assertTrue(status >= 0, () -> "the console did not end within " + STEP.toSeconds() + " s after 'exit':\n" + console);
    assertEquals(0, status, () -> "exit status of the console\n" + console);
    assertNothingRuns();
  }

  @Test
  void endOfInputStopsTheConsole() {
    console = new Console(dist.launch(dist.root(), Map.of(), List.of(dist.script().toString())));
    console.type("lb\n");
    console.closeInput();
    int status = console.awaitExit(BOOT);
    assertTrue(status >= 0, () -> "the console did not end within " + BOOT.toSeconds() + " s after its input ended:\n" + console);
    assertTrue(console.output().contains("START LEVEL") && console.output().contains("dockevOS core"),
        () -> "the console printed the bundle list\n" + console);
    long active = console.output().lines().filter(l -> l.matches(".*\\d+\\|Active\\s*\\|.*")).count();
    assertEquals(dist.bootBundles(Distribution.CONSOLE).size() + 1, active,
        () -> "every boot bundle of the console and the system bundle are Active\n" + console);
    assertEquals(0, status, () -> "exit status of the console\n" + console);
    assertNothingRuns();
  }

  /**
   * On a terminal, TAB completes a command and the up arrow recalls the last one. The terminal is
   * a pseudo-terminal from {@code script} (util-linux, in every Debian and Ubuntu base system), so
   * that no test needs tmux; a machine without {@code script} fails this test.
   */
  @Test
  void completionAndHistoryOnATerminal() {
    console = onATerminal("cols 120 rows 40");

    String prompt = console.awaitPrompt(BOOT);
    int prompts = console.count(prompt);
    console.type("echo e2e-history\r");
    console.awaitOutput("the output of echo", STEP, c -> c.screenLines().contains("e2e-history"));
    awaitPrompt(prompt, prompts);

    prompts = console.count(prompt);
    // Up arrow. JLine turns on application cursor keys (ESC [ ? 1 h), in which a terminal sends
    // the arrow as ESC O A.
    console.type("\u001BOA");
    console.type("\r");
    console.awaitOutput("the up arrow recalls 'echo e2e-history' and runs it again", STEP,
        c -> c.screenLines().stream().filter("e2e-history"::equals).count() >= 2);
    awaitPrompt(prompt, prompts);

    prompts = console.count(prompt);
    console.type("frameworkle\t");
    console.type("\r");
    console.awaitOutput("TAB completes 'frameworkle' to frameworklevel, which prints 'Level is'", STEP,
        c -> c.output().contains("Level is") || c.output().contains("not found: frameworkle"));
    assertFalse(console.output().contains("not found: frameworkle"), () -> "TAB did not complete the command\n" + console);
    awaitPrompt(prompt, prompts);

    endWithCtrlD();
  }

  /** Issue 15: on a terminal that reports no size (0 columns), the prompt shows and typed text is echoed. */
  @Test
  void aTerminalWithNoSizeStillEchoes() {
    console = onATerminal("cols 0 rows 0");

    String prompt = console.awaitPrompt(BOOT);
    int prompts = console.count(prompt);
    console.type("echo e2e-no-size\r");
    console.awaitOutput("the typed command echoed, then its output", STEP,
        c -> c.output().replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "").contains("echo e2e-no-size")
            && c.screenLines().contains("e2e-no-size"));
    awaitPrompt(prompt, prompts);

    endWithCtrlD();
  }

  /**
   * Issue 15: TAB completes the arguments of dockevOS commands with live values: a plugin's id (also
   * for a command typed without its scope), a feature's name, an incident's id, a configuration's
   * PID, an action's name and its input schema's keys, and a file. One console does all of them.
   */
  @Test
  void tabCompletesArguments() throws Exception {
    Path jar = Path.of(System.getProperty("dockevos.example.greeter"));
    assertTrue(Files.isRegularFile(jar), "the build made the example plugin: " + jar);
    Path files = Files.createDirectories(dist.root().resolve("e2e-tab"));
    Files.writeString(files.resolve("e2e-tab-plugin.jar"), "not a jar");
    console = onATerminal("cols 160 rows 40");
    String prompt = console.awaitPrompt(BOOT);

    console.type("error:report --plugin e2e e2e-tab-incident\r");
    console.awaitOutput("the incident reported", STEP, c -> c.screen().matches("(?s).*Reported as E\\d+.*"));
    java.util.regex.Matcher reported = java.util.regex.Pattern.compile("Reported as (E\\d+)").matcher(console.screen());
    assertTrue(reported.find(), console::toString);
    String incident = reported.group(1);
    int prompts = console.count(prompt);
    console.type("plugin:install " + jar + "\r");
    console.awaitOutput("the example plugin installed", BOOT, c -> c.screen().contains("Installed io.dockevos.example.greeter"));
    awaitPrompt(prompt, prompts);

    completes("plugin:info io.dockevos.example.gre", "plugin:info io.dockevos.example.greeter ");
    // typed without its scope, as the shell runs it: plugin:info, not feature:info or scr:info
    completes("info io.dockevos.example.gre", "info io.dockevos.example.greeter ");
    completes("uninstall io.dockevos.example.gre", "uninstall io.dockevos.example.greeter ");
    completes("feature:info dockevos-hard", "feature:info dockevos-hardware ");
    completes("error:show " + incident, "error:show " + incident + " "); // a candidate: TAB ends the word
    completes("config:get dockevos.lo", "config:get dockevos.log ");
    console.type("plugin:execute io.dockevos.example.greeter gr\t");
    console.awaitOutput("TAB completes the action's name", STEP,
        c -> c.screen().contains("plugin:execute io.dockevos.example.greeter greet "));
    console.type("na\t");
    console.awaitOutput("TAB completes the key of the action's input schema, with no space after '='", STEP,
        c -> c.screen().contains("greet name=") && !c.screen().contains("greet name= "));
    console.type("\u0015");
    console.type("plugin:install e2e-ta\t");
    console.awaitOutput("TAB completes the folder", STEP, c -> c.screen().contains("plugin:install e2e-tab/"));
    console.type("e2e-tab-p\t");
    console.awaitOutput("TAB completes the file in the folder", STEP,
        c -> c.screen().contains("plugin:install e2e-tab/e2e-tab-plugin.jar"));
    console.type("\u0015");

    endWithCtrlD();
  }

  /** Types {@code text} and TAB, waits until the line reads {@code completed}, then clears it (Ctrl-U). */
  private void completes(String text, String completed) {
    console.type(text + "\t");
    console.awaitOutput("TAB completes '" + text + "' to '" + completed + "'", STEP, c -> c.screen().contains(completed));
    console.type("\u0015");
  }

  /**
   * Issue 15: the console prints a failure as the client does, {@code Error: ...}, with no Java
   * class name; {@code e} prints the last failure's stack trace, and {@code verbose = true} adds it
   * to each error.
   */
  @Test
  void errorsReadAsTheClientsWithoutClassNames() {
    console = onATerminal("cols 160 rows 40");
    String prompt = console.awaitPrompt(BOOT);
    int prompts = console.count(prompt);
    console.type("e2e-no-such-command\r");
    console.awaitOutput("the unknown command's error", STEP,
        c -> c.screenLines().contains("Error: Command not found: e2e-no-such-command; help lists the commands"));
    awaitPrompt(prompt, prompts);
    prompts = console.count(prompt);
    console.type("plugin:info e2e-no-such-plugin\r");
    console.awaitOutput("the failed command's error", STEP,
        c -> c.screenLines().stream().anyMatch(l -> l.startsWith("Error: No plugin named e2e-no-such-plugin")));
    awaitPrompt(prompt, prompts);
    String before = console.screen();
    assertFalse(before.contains("java.") || before.contains("org.apache") || before.contains("Exception"),
        () -> "no Java class name in the console's errors\n" + console);

    prompts = console.count(prompt);
    console.type("e\r");
    console.awaitOutput("e prints the stack trace of the last failure", STEP,
        c -> c.screen().contains("java.lang.IllegalStateException: No plugin named e2e-no-such-plugin")
            && c.screen().contains("\tat io.dockevos.plugin.internal.PluginCommands"));
    awaitPrompt(prompt, prompts);

    prompts = console.count(prompt);
    console.type("verbose = true\r");
    awaitPrompt(prompt, prompts);
    int traces = console.count("at io.dockevos.plugin.internal.PluginCommands.info");
    console.type("plugin:info e2e-no-such-plugin\r");
    console.awaitOutput("with verbose, the error and its stack trace", STEP,
        c -> c.count("at io.dockevos.plugin.internal.PluginCommands.info") > traces);
    assertTrue(console.screen().lastIndexOf("Error: No plugin named e2e-no-such-plugin")
        < console.screen().lastIndexOf("at io.dockevos.plugin.internal.PluginCommands.info"), console::toString);

    endWithCtrlD();
  }

  /** {@code bin/dockevos --verbose}: the console's errors come with their Java stack trace from the start. */
  @Test
  void theVerboseConsoleShowsTheStackTraces() {
    console = onATerminal("cols 160 rows 40", "--verbose");
    String prompt = console.awaitPrompt(BOOT);
    console.type("plugin:info e2e-no-such-plugin\r");
    console.awaitOutput("the error and its stack trace", STEP,
        c -> c.screen().contains("at io.dockevos.plugin.internal.PluginCommands.info"));
    assertTrue(console.screen().contains("Error: No plugin named e2e-no-such-plugin"), console::toString);
    endWithCtrlD();
  }

  /**
   * @return the console on a pseudo-terminal of that size ({@code stty} words) from {@code script}
   *     (util-linux, in every Debian and Ubuntu base system), so that no test needs tmux
   */
  private static Console onATerminal(String size, String... args) {
    Path script = Path.of("/usr/bin/script");
    assertTrue(Files.isExecutable(script), "this test needs /usr/bin/script (util-linux) for a pseudo-terminal");
    String inner = "stty " + size + "; exec '" + dist.script() + "'" + (args.length == 0 ? "" : " " + String.join(" ", args));
    return new Console(dist.launch(dist.root(), Map.of("TERM", "xterm"),
        List.of(script.toString(), "-q", "-e", "-c", inner, "/dev/null")));
  }

  /** Ctrl-D on an empty line, end of input: the console ends, and with it the runtime. */
  private void endWithCtrlD() {
    console.type("\u0004");
    int status = console.awaitExit(STEP);
    if (status < 0) {
      fail("the console did not end within " + STEP.toSeconds() + " s after Ctrl-D:\n" + console);
    }
    assertNothingRuns();
  }

  private void awaitPrompt(String prompt, int before) {
    console.awaitOutput("the next prompt '" + prompt + "'", STEP, c -> c.count(prompt) > before);
  }

  private static void assertNothingRuns() {
    assertEquals(1, dist.dockevos("status").exit(), "no instance runs after the console ended");
    assertFalse(Files.exists(dist.data().resolve("dockevos.pid")), "the console removed its PID file");
  }
}
