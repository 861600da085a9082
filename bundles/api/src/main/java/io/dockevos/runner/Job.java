package io.dockevos.runner;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A job to run.
 *
 * @param command the program and its arguments
 * @param env the environment variables to set (a process runner passes only these and a short
 *     whitelist of its own, such as {@code PATH})
 * @param workDir the working directory, or {@code null} for the runner's own
 * @param limits resource limits
 * @param timeout how long the job may run, after which it is killed
 * @param image the container image for a container runner, or {@code null} for its default; a
 *     process runner ignores it
 * @since 0.1
 */
public record Job(
    List<String> command,
    Map<String, String> env,
    String workDir,
    Limits limits,
    Duration timeout,
    String image) {
  public Job {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    limits = limits == null ? Limits.NONE : limits;
    timeout = timeout == null ? Duration.ofMinutes(1) : timeout;
  }

  /** A job with no environment, limits or image, and a one-minute timeout. */
  public static Job of(String... command) {
    return new Job(List.of(command), Map.of(), null, Limits.NONE, null, null);
  }

  /**
   * Resource limits; zero means no limit.
   *
   * @param memoryBytes the memory limit in bytes
   * @param cpus the share of CPUs, for example {@code 0.5}
   * @param pids the number of processes
   */
  public record Limits(long memoryBytes, double cpus, int pids) {
    public static final Limits NONE = new Limits(0, 0, 0);
  }
}
