package io.dockevos.common.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The one way dockevOS prints a time: ISO 8601, the local time with its offset, to the second
 * ({@code 2026-12-06T07:48:04+01:00}). The log writes the same with milliseconds.
 */
public final class TimeFormat {
  private static final DateTimeFormatter PRINTED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

  private TimeFormat() {}

  /** @return the time in the system's time zone; {@code -} for none */
  public static String of(Instant time) {
    return of(time, ZoneId.systemDefault());
  }

  /** @return the time in that zone; {@code -} for none */
  public static String of(Instant time, ZoneId zone) {
    return time == null ? "-" : PRINTED.format(time.atZone(zone));
  }
}
