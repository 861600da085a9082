package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonPositionsTest {
  private static final String EARLY = "{\n  \"a\": 1,\n  \"b\": \"x\",\n";

  @Test
  void anErrorAtTheEndSaysTheTextEndsEarlyAfterItsLastLineWithText() {
    // What Parsson reports for this text: line 4, column 24, of an empty line.
    assertEquals("it ends early, after line 3", JsonPositions.describe(EARLY, 4, 24, true));
    assertEquals("it ends early, after line 3", JsonPositions.describe(EARLY, 9, 1, false));
    assertEquals("it is empty", JsonPositions.describe("\n \n", 2, 1, true));
  }

  @Test
  void aColumnStaysWithinItsLine() {
    assertEquals("line 2, column 4", JsonPositions.describe(EARLY, 2, 4, false));
    assertEquals("line 2, column 10", JsonPositions.describe(EARLY, 2, 40, false));
  }
}
