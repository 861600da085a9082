package io.dockevos.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BootTimelineTest {
  @Test
  void offUnlessAskedForAndInOrderWhenOn() {
    System.clearProperty(BootTimeline.PROPERTY);
    assertNull(BootTimeline.startedAt(System.nanoTime()));
    System.setProperty(BootTimeline.PROPERTY, "true");
    try {
      BootTimeline t = BootTimeline.startedAt(System.nanoTime());
      t.mark("first");
      t.mark("second");
      String text = t.toString();
      assertTrue(text.indexOf("first") < text.indexOf("second"), text);
      assertTrue(text.matches("(?s)\\d+\\.\\d ms \\[[^\\]]+\\] first\n\\d+\\.\\d ms \\[[^\\]]+\\] second"), text);
    } finally {
      System.clearProperty(BootTimeline.PROPERTY);
    }
  }
}
