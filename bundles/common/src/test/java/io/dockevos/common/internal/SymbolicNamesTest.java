package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SymbolicNamesTest {
  @Test
  void theOsgiGrammarIsTokensJoinedByDots() {
    for (String ok : new String[] {"a", "com.example.plugin", "org.apache.felix.scr", "my-plugin_2", "A.B-c_D.9"}) {
      assertTrue(SymbolicNames.valid(ok), ok);
      assertNull(SymbolicNames.problem(ok), ok);
    }
    for (String bad : new String[] {"", "../../x/victim", "a/b", "a\\b", "..", ".", "a..b", ".a", "a.", "a b", "a;b",
        "é", "a\u0000b"}) {
      assertFalse(SymbolicNames.valid(bad), bad);
    }
    assertFalse(SymbolicNames.valid(null));
  }

  @Test
  void theProblemNamesTheHeaderTheValueAndTheGrammar() {
    assertEquals("Bundle-SymbolicName '../x' is not a valid symbolic name (words of letters, digits, '_' and '-' joined"
        + " by single dots, such as com.example.plugin)", SymbolicNames.problem("../x"));
  }

  @Test
  void theNameOfAHeaderIsItsFirstClause() {
    assertEquals("com.example", SymbolicNames.of(" com.example ;singleton:=true"));
    assertNull(SymbolicNames.of(null));
  }

  @Test
  void aChildPathStaysDirectlyInItsParent() throws IOException {
    Path parent = Path.of("/data/plugins/kept");
    assertEquals(Path.of("/data/plugins/kept/com.example"), SafePaths.child(parent, "com.example"));
    for (String bad : new String[] {"../../x", "..", ".", "", "a/b", "/etc", "a\\b"}) {
      IOException e = assertThrows(IOException.class, () -> SafePaths.child(parent, bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains(parent.toString()), e.getMessage());
    }
    assertThrows(IOException.class, () -> SafePaths.child(parent, null));
  }
}
