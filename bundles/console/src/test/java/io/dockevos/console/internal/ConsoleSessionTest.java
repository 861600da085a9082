package io.dockevos.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsoleSessionTest {
  /** gogo.jline's completion takes the first command ending with the typed name: it must be the one Gogo runs. */
  @Test
  void commandsComeInTheOrderOfTheScopePath() {
    Set<String> commands = Set.of("felix:uninstall", "scr:info", "plugin:uninstall", "feature:info", "plugin:info",
        "gogo:echo", "docker:stop");
    assertEquals(List.of("gogo:echo", "plugin:info", "plugin:uninstall", "docker:stop", "feature:info",
        "felix:uninstall", "scr:info"), List.copyOf(ConsoleSession.inScopeOrder(commands, "gogo:plugin:*")));
  }
}
