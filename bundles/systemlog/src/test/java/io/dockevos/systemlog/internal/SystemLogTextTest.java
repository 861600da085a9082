package io.dockevos.systemlog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemLogTextTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void sinceTakesDurationsAndTimes() {
    assertEquals(NOW.minusSeconds(30), Times.since("30s", NOW, ZoneOffset.UTC));
    assertEquals(NOW.minusSeconds(300), Times.since("5m", NOW, ZoneOffset.UTC));
    assertEquals(NOW.minusSeconds(7200), Times.since("2h", NOW, ZoneOffset.UTC));
    assertEquals(NOW.minusSeconds(600), Times.since("PT10M", NOW, ZoneOffset.UTC));
    assertEquals(Instant.parse("2026-12-01T08:00:00Z"), Times.since("2026-12-01T08:00:00Z", NOW, ZoneOffset.UTC));
    assertEquals(Instant.parse("2026-12-01T07:00:00Z"), Times.since("2026-12-01 08:00:00", NOW, ZoneOffset.ofHours(1)));
    assertEquals(Instant.parse("2026-12-01T08:30:00Z"), Times.since("08:30", NOW, ZoneOffset.UTC));
    assertNull(Times.since("", NOW, ZoneOffset.UTC));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Times.since("yesterday", NOW, ZoneOffset.UTC));
    assertTrue(e.getMessage().startsWith("--since yesterday is neither"), e.getMessage());
  }

  @Test
  void topicPatternsAreGlobs() {
    assertTrue(SystemLog.glob("dockevos/plugin/*").matcher("dockevos/plugin/INSTALLED").matches());
    assertFalse(SystemLog.glob("dockevos/plugin/*").matcher("dockevos/feature/INSTALLED").matches());
    assertTrue(SystemLog.glob("*/INSTALLED").matcher("dockevos/feature/INSTALLED").matches());
    assertTrue(SystemLog.glob("org/osgi/framework/BundleEvent/STARTED").matcher("org/osgi/framework/BundleEvent/STARTED").matches());
    assertFalse(SystemLog.glob("a.b").matcher("axb").matches(), "only * is special");
    assertTrue(SystemLog.glob("dockevos/plugin").matcher("dockevos/plugin/INSTALLED").matches(), "a prefix without *");
    assertTrue(SystemLog.glob("dockevos/plugin/").matcher("dockevos/plugin/INSTALLED").matches());
    assertFalse(SystemLog.glob("dockevos/plug").matcher("dockevos/plugin/INSTALLED").matches(), "whole levels only");
  }

  @Test
  void eventValuesBecomeText() {
    assertEquals("a,b", SystemLog.text(new String[] {"a", "b"}));
    assertEquals("1,2", SystemLog.text(new long[] {1, 2}));
    assertEquals("x,3", SystemLog.text(List.of("x", 3)));
    assertEquals("java.lang.IllegalStateException: no", SystemLog.text(new IllegalStateException("no")));
    assertNull(SystemLog.text(new Object()), "live objects are left out");
  }

  @Test
  void theShellItselfIsNotACommand() {
    assertTrue(SystemLog.ignored("gosh --login --noshutdown"));
    assertTrue(SystemLog.ignored("# The Gogo profile\nSCOPE = 'gogo:*'"));
    assertFalse(SystemLog.ignored("lb"));
    assertTrue(SystemLog.ignored("dockevos:probe ready"), "a container engine's probe every few seconds is no history");
    assertFalse(SystemLog.ignored("goshawk"));
  }

  @Test
  void jsonLinesEscape() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("a", "x\"y\n\u0001");
    m.put("b", java.util.Arrays.asList(1, 2.5, true, null));
    assertEquals("{\"a\":\"x\\\"y\\n\\u0001\",\"b\":[1,2.5,true,null]}", JsonText.write(m));
  }

  @Test
  void propertiesKeepTheirOrder() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("z", "1");
    m.put("a", "2");
    m.put("m", "3");
    PropertyMap p = PropertyMap.of(m);
    assertEquals(m, p);
    assertEquals(List.of("z", "a", "m"), List.copyOf(p.keySet()));
    assertEquals("2", p.get("a"));
    assertNull(p.get("b"));
  }
}
