package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shell's own bad input through {@code bin/dockevos client} (issue 17, rows 13 to 16): arguments
 * that fit no form of a command, PIDs with filter characters, a command too long for the control
 * socket and one nested too deeply. Each is refused in words that name the input, never the shell's
 * internals, and the runtime answers afterwards.
 */
class ShellInputIT extends UnpackedDistribution {
  @BeforeAll
  static void startInstance() {
    dist.start();
  }

  /** The runtime still answers, and its log configuration is still there. */
  @AfterEach
  void theRuntimeAnswers() {
    assertTrue(dist.ok("config:get dockevos.log").out().contains("dockevos.log"), "the runtime answers afterwards");
  }

  private static void assertNoShellInternals(Result r) {
    assertFalse(r.err().contains("Cannot coerce") || r.err().contains("Token") || r.err().contains("Exception"),
        () -> "no shell internals in the answer\n" + r);
  }

  @Test
  void argumentsThatFitNoFormOfACommandAreNamedWithWhereItsUsageIs() {
    Result r = dist.fails("log:tail -n abc");
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.err().contains("log:tail does not take the arguments -n abc: help log:tail shows what it takes"),
        r::toString);
    assertNoShellInternals(r);

    r = dist.fails("config:get");
    assertTrue(r.err().contains("config:get needs arguments: config:get --help shows what it takes"), r::toString);
    assertNoShellInternals(r);
  }

  @Test
  void aPidWithFilterCharactersMatchesOnlyItself() {
    Result wildcard = dist.fails("config:get 'dockevos.lo*'");
    assertTrue(wildcard.err().contains("no configuration with PID dockevos.lo*"), wildcard::toString);
    assertFalse(wildcard.out().contains("dockevos.log"), () -> "a wildcard prints no other configuration\n" + wildcard);

    Result filter = dist.fails("config:get 'x)(objectClass=*'");
    assertTrue(filter.err().contains("no configuration with PID x)(objectClass=*"), filter::toString);
    assertNoShellInternals(filter);

    Result list = dist.fails("config:list '(((('");
    assertTrue(list.err().contains("'((((' is not an LDAP filter"), list::toString);
  }

  @Test
  void aCommandTooLongForTheControlSocketIsRefusedNamingTheLimit() {
    List<String> args = new ArrayList<>(List.of("client", "echo"));
    String piece = "x".repeat(100_000);
    for (int i = 0; i < 11; i++) {
      args.add(piece);
    }
    Result r = dist.dockevos(args.toArray(String[]::new));
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("over the 1048576 bytes (1 MiB) that dockevOS takes through its control socket"),
        () -> r.err().substring(0, Math.min(400, r.err().length())));
    assertFalse(r.err().contains("not running") || r.err().contains("cannot reach"), "it runs: the size is the cause");
  }

  @Test
  void aCommandNestedTooDeeplyIsRefusedAndTheRuntimeStaysUp() {
    // 100,000 deep overflows the shell's stack wherever its parser is compiled; at 5,000 it sometimes
    // reached the end of the text first, and answered that a bracket is not closed.
    Result r = dist.fails("echo " + "[".repeat(100_000));
    assertTrue(r.err().contains("nested too deeply"), () -> r.err().substring(0, Math.min(400, r.err().length())));
    assertFalse(r.err().contains("StackOverflowError"), "in words, not the JVM's");
  }
}
