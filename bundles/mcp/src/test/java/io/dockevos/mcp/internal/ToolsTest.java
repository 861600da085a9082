package io.dockevos.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.action.ActionInfo;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The parts of the tools that need no runtime: names, confirmations, arguments. */
class ToolsTest {
  private static ActionInfo action(String plugin, String name, String command) {
    return new ActionInfo(plugin, name, "", "{\"type\":\"object\"}", command, 60,
        new ActionInfo.Stats(0, 0, 0, 0, Map.of()));
  }

  @Test
  void anActionIsNamedByItsNameUnlessAnotherHasItThenByItsScope() {
    ActionInfo greet = action("io.dockevos.example.greeter", "greet", "greeter:greet");
    assertEquals("greet", ActionTools.toolName(greet, false));
    assertEquals("greeter.greet", ActionTools.toolName(greet, true));
    assertEquals("io.dockevos.x.greet", ActionTools.toolName(action("io.dockevos.x", "greet", "greet"), true));
  }

  @Test
  void aConfirmationIsGoodOnceForItsOwnSourceWithinItsTime() {
    AtomicLong now = new AtomicLong();
    Confirmations c = new Confirmations(Duration.ofMinutes(10), now::get);
    String id = c.offer("/tmp/a.jar");
    String other = c.offer("/tmp/a.jar");
    assertNotEquals(id, other);
    assertFalse(c.take(id, "/tmp/b.jar"), "another source");
    assertTrue(c.take(id, "/tmp/a.jar"));
    assertFalse(c.take(id, "/tmp/a.jar"), "once");
    now.addAndGet(Duration.ofMinutes(11).toNanos());
    assertFalse(c.take(other, "/tmp/a.jar"), "expired");
  }

  @Test
  void atMostAHundredConfirmationsAreKeptTheOldestGoFirst() {
    AtomicLong now = new AtomicLong();
    Confirmations c = new Confirmations(Duration.ofMinutes(10), now::get);
    String first = c.offer("s");
    for (int i = 0; i < Confirmations.MAX; i++) {
      now.incrementAndGet();
      c.offer("s");
    }
    assertFalse(c.take(first, "s"));
  }

  @Test
  void aWrongArgumentIsNamedWithWhatItTakes() throws ToolException {
    assertEquals(20, Args.integer(Map.of(), "lines", 20, 1, 1000));
    assertEquals(5, Args.integer(Map.of("lines", 5L), "lines", 20, 1, 1000));
    ToolException big = assertThrows(ToolException.class, () -> Args.integer(Map.of("lines", 5000L), "lines", 20, 1,
        1000));
    assertEquals("The argument lines takes a whole number from 1 to 1000, not 5000", big.getMessage());
    ToolException missing = assertThrows(ToolException.class, () -> Args.string(Map.of(), "source", true));
    assertEquals("The argument source is missing: it is required (a string)", missing.getMessage());
    assertThrows(ToolException.class, () -> Args.bool(Map.of("all", "yes"), "all"));
  }
}
