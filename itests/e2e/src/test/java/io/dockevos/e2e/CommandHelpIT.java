package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 15: every dockevOS command answers --help (and -h) with what it does, its usage, its options and an example. */
class CommandHelpIT extends UnpackedDistribution {
  /** The scopes of the boot feature's dockevOS commands. */
  private static final Set<String> SCOPES = Set.of("plugin", "repo", "trust", "feature", "assist", "error", "log",
      "config", "security", "metrics");

  @BeforeAll
  static void startInstance() {
    dist.start();
  }

  @Test
  void everyCommandAnswersHelp() {
    Result help = dist.client("help");
    assertEquals(0, help.exit(), help::toString);
    List<String> commands = help.out().lines().map(String::strip)
        .filter(l -> l.contains(":") && SCOPES.contains(l.substring(0, l.indexOf(':')))).toList();
    assertTrue(commands.size() >= 40, () -> "the dockevOS commands that help lists\n" + help);
    List<String> wrong = new ArrayList<>();
    for (String c : commands) {
      Result r = dist.client(c + " --help");
      if (r.exit() != 0 || !r.out().startsWith(c) || !r.out().contains("\nUsage:\n  " + c)
          || !r.out().contains("-h, --help") || !r.out().contains("\nExample:\n  ")) {
        wrong.add(c + " --help\n" + r);
      }
    }
    assertEquals(List.of(), wrong, "commands whose --help is not their help");
  }

  @Test
  void helpNamesOptionsArgumentsAndExamplesAndMissingArgumentsPointToIt() {
    Result install = dist.client("install -h");
    assertEquals(0, install.exit(), install::toString);
    assertTrue(install.out().startsWith("plugin:install - install plugins"), install::toString);
    assertTrue(install.out().contains("plugin:install [OPTIONS] SOURCE..."), install::toString);
    assertTrue(install.out().lines().anyMatch(l -> l.matches("\\s+--dry-run\\s+print the plan and change nothing")),
        install::toString);
    assertTrue(install.out().contains("--sha256 SHA256"), install::toString);
    assertTrue(install.out().contains("\nExample:\n  plugin:install /tmp/greeter.jar\n"), install::toString);

    Result info = dist.client("plugin:info");
    assertEquals(1, info.exit(), info::toString);
    assertTrue(info.all().contains("plugin:info needs arguments: plugin:info --help shows what it takes"), info::toString);
    assertTrue(!info.all().contains("Cannot coerce"), info::toString);

    Result list = dist.client("plugin:list --help");
    assertTrue(list.out().contains("--all") && list.out().contains("--json"), list::toString);
  }
}
