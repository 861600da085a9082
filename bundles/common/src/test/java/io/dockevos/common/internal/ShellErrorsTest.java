package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The words of a failed command, as the client and the console print them after "Error: ". */
class ShellErrorsTest {
  /** Named as Gogo's, whose class the launcher cannot see. */
  static final class CommandNotFoundException extends IllegalArgumentException {
    CommandNotFoundException(String message) {
      super(message);
    }
  }

  @Test
  void aCommandNotFoundPointsToHelp() {
    assertEquals("Command not found: foo; help lists the commands",
        ShellErrors.explain("foo", new CommandNotFoundException("Command not found: foo")));
  }

  @Test
  void argumentsThatFitNoFormNameTheCommand() {
    IllegalArgumentException e = new IllegalArgumentException("Cannot coerce info(Token) to any of [(boolean, String)]");
    assertEquals("plugin:info does not take the arguments a b: help plugin:info shows what it takes",
        ShellErrors.explain("plugin:info a b", e));
    assertEquals("plugin:info needs arguments: help plugin:info shows what it takes",
        ShellErrors.explain("plugin:info", e));
  }

  @Test
  void aFailureIsItsMessageWithNoClassName() {
    assertEquals("No plugin named x", ShellErrors.explain("plugin:info x", new IllegalStateException("No plugin named x")));
    assertEquals("/tmp/x (No such file or directory)",
        ShellErrors.explain("cat /tmp/x", new java.io.FileNotFoundException("/tmp/x (No such file or directory)")));
    assertEquals("the command failed (NullPointerException, with no message)",
        ShellErrors.explain("x", new NullPointerException()));
  }
}
