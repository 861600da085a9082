package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console asks y/N before it installs a plugin that requests permissions no one granted: no
 * keeps it out (and is audited), yes grants them and installs it. The terminal is a
 * pseudo-terminal from {@code script} (util-linux), as in {@link ConsoleIT}.
 */
class PermissionsConsoleIT extends UnpackedDistribution {
  private static final String WANTS = "io.dockevos.test.wantsplugins";
  private static final Duration BOOT = Duration.ofSeconds(60);
  private static final Duration STEP = Duration.ofSeconds(20);
  private Console console;

  @AfterEach
  void killConsole() {
    if (console != null) {
      console.kill();
    }
  }

  @Test
  void theConsoleAsksAndNoKeepsThePluginOutAndYesInstallsIt() throws IOException {
    Path script = Path.of("/usr/bin/script");
    assertTrue(Files.isExecutable(script), "this test needs /usr/bin/script (util-linux) for a pseudo-terminal");
    Path jar = TinyBundles.copyTo(TinyBundles.WANTS_PLUGINS, Files.createDirectories(dist.root().resolve("jars")));
    String inner = "stty cols 200 rows 40; exec '" + dist.script() + "'";
    console = new Console(dist.launch(dist.root(), Map.of("TERM", "xterm"),
        List.of(script.toString(), "-q", "-e", "-c", inner, "/dev/null")));
    String prompt = console.awaitPrompt(BOOT);

    console.type("plugin:install " + jar + "\r");
    console.awaitOutput("the question", STEP, c -> c.screen().contains("Grant them? [y/N]"));
    assertTrue(console.screen().contains(WANTS + " 1.0.0: plugins.manage, network"), console::toString);
    int prompts = console.count(prompt);
    console.type("n\r");
    console.awaitOutput("the refusal", STEP, c -> c.screen().contains("which are not granted")
        && c.count(prompt) > prompts);
    assertTrue(!console.screen().contains("Installed " + WANTS), () -> "no: nothing was installed\n" + console);

    console.type("plugin:install " + jar + "\r");
    console.awaitOutput("the question again", STEP, c -> c.count("Grant them? [y/N]") == 2);
    console.type("y\r");
    console.awaitOutput("yes: granted and installed", STEP, c -> c.screen().contains("Installed " + WANTS + " 1.0.0"));
    assertTrue(console.screen().contains("Granted plugins.manage, network to " + WANTS), console::toString);

    int before = console.count(prompt);
    console.type("security:audit " + WANTS + "\r");
    console.awaitOutput("the audit", STEP, c -> c.count(prompt) > before);
    List<String> rows = console.screenLines().stream().filter(l -> l.contains(WANTS) && l.contains("(console)"))
        .toList();
    assertTrue(rows.stream().anyMatch(l -> l.contains("DENIED")) && rows.stream().anyMatch(l -> l.contains("GRANTED")),
        () -> "the audit has the no and the yes, by the console's user\n" + console);
    console.type("exit\r");
    console.awaitExit(STEP);
  }
}
