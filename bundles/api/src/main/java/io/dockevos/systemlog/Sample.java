package io.dockevos.systemlog;

import java.time.Instant;
import java.util.List;

/**
 * The system and JVM figures at one moment.
 *
 * @param time when it was taken
 * @param heapUsed heap in use, bytes
 * @param heapCommitted heap committed, bytes
 * @param heapMax the maximum heap, bytes ({@code -1} when undefined)
 * @param threads live threads
 * @param processCpuLoad the JVM's recent CPU load, 0 to 1 over all cores ({@code -1} when unknown)
 * @param systemCpuLoad the whole system's recent CPU load, 0 to 1 ({@code -1} when unknown)
 * @param gc each garbage collector's figures since the JVM started
 * @param bundles installed bundles
 * @param services registered services
 * @param actions each plugin action's figures since it was registered
 * @since 0.1
 */
public record Sample(Instant time, long heapUsed, long heapCommitted, long heapMax, int threads,
    double processCpuLoad, double systemCpuLoad, List<Gc> gc, int bundles, int services, List<ActionFigures> actions) {

  /**
   * @param name the collector's name
   * @param count collections so far
   * @param timeMillis time spent collecting so far
   */
  public record Gc(String name, long count, long timeMillis) {}

  /**
   * @param plugin the plugin's symbolic name
   * @param action the action's name
   * @param invocations how many times it ran
   * @param failures how many of those failed
   * @param meanMillis the mean duration
   * @param maxMillis the longest
   */
  public record ActionFigures(String plugin, String action, long invocations, long failures, double meanMillis,
      long maxMillis) {}
}
