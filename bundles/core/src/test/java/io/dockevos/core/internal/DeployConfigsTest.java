package io.dockevos.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The line of a .cfg file that java.util.Properties refuses without naming it. */
class DeployConfigsTest {
  @Test
  void aBrokenUnicodeEscapeIsFoundWithItsLine() {
    assertEquals(" (line 3: \\u12G4 is not \\u and four hex digits; write \\\\u for a backslash and a u)",
        DeployConfigs.badEscape("# one\nb = \\u0041\na = \\u12G4\n"));
  }

  @Test
  void anEscapedBackslashBeforeUIsNoEscape() {
    assertEquals("", DeployConfigs.badEscape("path = C:\\\\users\\\\me\n"));
    assertEquals(" (line 1: \\uZ is not \\u and four hex digits; write \\\\u for a backslash and a u)",
        DeployConfigs.badEscape("p = \\\\\\uZ"));
  }
}
