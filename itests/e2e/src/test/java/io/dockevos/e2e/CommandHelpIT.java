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
    List<String> commands = help.out().lines().map(l -> l.strip().split("\\s+")[0])
        .filter(c -> c.contains(":") && SCOPES.contains(c.substring(0, c.indexOf(':')))).toList();
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

  @Test
  void helpListsWhatEachCommandDoesAndShowsOne() {
    Result all = dist.client("help");
    assertTrue(all.out().lines().anyMatch(l -> l.matches("plugin:install\\s+install plugins from jar paths.*")), all::toString);
    assertTrue(all.out().lines().anyMatch(l -> l.matches("felix:lb\\s+\\S.*")), () -> "Felix's commands too\n" + all);
    Result one = dist.client("help plugin:list");
    assertTrue(one.out().startsWith("plugin:list - list the installed plugins") && one.out().contains("\nUsage:\n"),
        one::toString);
    Result unscoped = dist.client("help uninstall");
    assertTrue(unscoped.out().startsWith("plugin:uninstall - "), unscoped::toString);
    Result felix = dist.client("help lb");
    assertEquals(0, felix.exit(), felix::toString);
    assertTrue(felix.out().contains("lb"), felix::toString);
    Result history = dist.client("history -n 3");
    assertTrue(history.out().lines().noneMatch(l -> l.contains("dockevos:help")),
        () -> "help runs as itself, not as a second command line\n" + history);
  }
}
