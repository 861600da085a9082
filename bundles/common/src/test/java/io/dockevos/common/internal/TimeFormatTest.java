package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TimeFormatTest {
  @Test
  void aTimeIsIsoWithItsOffsetToTheSecond() {
    Instant t = Instant.parse("2026-12-06T06:48:04.849661630Z");
    assertEquals("2026-12-06T07:48:04+01:00", TimeFormat.of(t, ZoneId.of("Europe/Paris")));
    assertEquals("2026-12-06T06:48:04+00:00", TimeFormat.of(t, ZoneId.of("UTC")));
    assertEquals("-", TimeFormat.of(null));
  }
}
