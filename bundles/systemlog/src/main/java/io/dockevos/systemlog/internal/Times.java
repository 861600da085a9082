package io.dockevos.systemlog.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The times that the commands take ({@code --since}) and print. */
final class Times {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Times() {}

  /**
   * @param text a duration back from now ({@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code PT10M}), or a
   *     time ({@code 2026-12-01T08:00:00Z}, {@code 2026-12-01 08:00[:00]} local, {@code 08:00[:00]} today)
   * @return the instant, or {@code null} for an empty text
   * @throws IllegalArgumentException naming the text when it is neither
   */
  static Instant since(String text, Instant now, ZoneId zone) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      if (t.startsWith("P") || t.startsWith("p")) {
        return now.minus(Duration.parse(t));
      }
      if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$") && t.contains("T")) {
        return java.time.OffsetDateTime.parse(t).toInstant();
      }
      if (t.contains("-")) {
        return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant();
      }
      return LocalDate.ofInstant(now, zone).atTime(LocalTime.parse(t)).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--since " + text + " is neither a duration (30s, 5m, 2h, 1d, PT10M) nor a time"
          + " (2026-12-01T08:00:00Z, 2026-12-01 08:00:00, 08:00)");
    }
  }

  static String print(Instant time, ZoneId zone) {
    return io.dockevos.common.internal.TimeFormat.of(time, zone);
  }
}
