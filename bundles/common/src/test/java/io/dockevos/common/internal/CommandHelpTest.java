package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.junit.jupiter.api.Test;

class CommandHelpTest {
  /** A command as the bundles write them: options, arguments, the help option, and the overload for no arguments. */
  public static final class Commands {
    @Descriptor("greet someone")
    public void greet(CommandSession session,
        @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help,
        @Descriptor("shout it") @Parameter(names = {"-l", "--loud"}, presentValue = "true", absentValue = "false") boolean loud,
        @Descriptor("how many times") @Parameter(names = "--times", absentValue = "1") int times,
        @Descriptor("who to greet") String personName,
        @Descriptor("more names") String... others) {
    }

    public void greet(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
        absentValue = "false") boolean help) {
      CommandHelp.withoutArguments(this, "demo:greet", help);
    }

    @Descriptor("the command's own words")
    public void _main(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
        absentValue = "false") boolean help, String command, @Descriptor("the file") String file) {
    }
  }

  @Test
  void theHelpIsReadFromTheAnnotations() {
    String text = CommandHelp.text(Commands.class, "demo:greet");
    assertEquals("""
        demo:greet - greet someone

        Usage:
          demo:greet [OPTIONS] PERSON-NAME OTHERS...

        Options:
          -l, --loud     shout it
          --times TIMES  how many times
          -h, --help     shows this help

        Arguments:
          PERSON-NAME  who to greet
          OTHERS...    more names
        """, text);
    String main = CommandHelp.text(Commands.class, "demo:repo-add");
    assertTrue(main.contains("demo:repo-add [OPTIONS] FILE\n"), main);
    assertFalse(main.contains("COMMAND"), "Gogo gives _main the command's name: no argument of the user's\n" + main);
  }

  @Test
  void aCommandWithoutItsArgumentsPointsToItsHelp() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Commands().greet(false));
    assertEquals("demo:greet needs arguments: demo:greet --help shows what it takes", e.getMessage());
  }

  @Test
  void aCommandLineHandedOnAsksForHelpOnlyWithTheOneWord() {
    assertTrue(CommandHelp.asked("--help"));
    assertTrue(CommandHelp.asked("-h"));
    assertFalse(CommandHelp.asked("web", "ls", "-h"), "docker:exec web ls -h runs ls -h");
    assertFalse(CommandHelp.asked());
  }
}
