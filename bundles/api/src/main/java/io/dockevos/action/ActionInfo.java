package io.dockevos.action;

import java.util.Map;

/**
 * An action as the runtime knows it, with its figures.
 *
 * @param plugin the symbolic name of the plugin that provides it
 * @param name its name
 * @param description its description
 * @param schema its input schema, as JSON text
 * @param command the Gogo command that runs it, {@code scope:name}
 * @param timeoutSeconds its timeout
 * @param stats what its invocations took
 * @since 0.1
 */
public record ActionInfo(String plugin, String name, String description, String schema, String command,
    long timeoutSeconds, Stats stats) {

  /**
   * @param invocations how many times it ran
   * @param failures how many of those failed (invalid input, an exception, a timeout, a cancel)
   * @param meanMillis the mean duration
   * @param maxMillis the longest
   * @param histogram how many took at most 10 ms, 100 ms, 1 s, 10 s, and longer, by those labels
   */
  public record Stats(long invocations, long failures, double meanMillis, long maxMillis,
      Map<String, Long> histogram) {}
}
