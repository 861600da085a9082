package io.dockevos.runner;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A job to run.
 *
 * <p>A job that names an {@link #image} or sets {@link #isolated} asks for isolation: its own file
 * system, no network, not the runtime's user. Only a container runner gives that. The process
 * runner, the fallback when no container runner is registered, refuses such a job with an {@link
 * IsolationUnavailableException} (and the event {@code dockevos/fallback/REFUSED}), rather than run
 * it on the host, unless the job sets {@link #allowProcess}.
 *
 * @param command the program and its arguments
 * @param env the environment variables to set (a process runner passes only these and a short
 *     whitelist of its own, such as {@code PATH})
 * @param workDir the working directory, or {@code null} for the runner's own
 * @param limits resource limits
 * @param timeout how long the job may run, after which it is killed
 * @param image the container image for a container runner, or {@code null} for its default; naming
 *     one asks for isolation
 * @param isolated whether the job must run isolated (in a container) even without an image of its own
 * @param allowProcess whether the job may run on the process runner although it asks for isolation:
 *     on the host, with the host's network, as the runtime's user
 * @since 0.1
 */
public record Job(
    List<String> command,
    Map<String, String> env,
    String workDir,
    Limits limits,
    Duration timeout,
    String image,
    boolean isolated,
    boolean allowProcess) {
  public Job {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    limits = limits == null ? Limits.NONE : limits;
    timeout = timeout == null ? Duration.ofMinutes(1) : timeout;
  }

  /** A job that is not {@link #isolated} and does not {@link #allowProcess}: it asks for isolation when it names an image. */
  public Job(List<String> command, Map<String, String> env, String workDir, Limits limits, Duration timeout, String image) {
    this(command, env, workDir, limits, timeout, image, false, false);
  }

  /** A job with no environment, limits or image, and a one-minute timeout. */
  public static Job of(String... command) {
    return new Job(List.of(command), Map.of(), null, Limits.NONE, null, null);
  }

  /** Whether the job asks for isolation: it names an image, or is {@link #isolated}. */
  public boolean needsIsolation() {
    return isolated || image != null && !image.isBlank();
  }

  /** This job in the image named (a container runner's default when {@code null}). */
  public Job withImage(String image) {
    return new Job(command, env, workDir, limits, timeout, image, isolated, allowProcess);
  }

  /** This job, asking for isolation: it runs in a container or not at all, unless it {@link #allowingProcess()}. */
  public Job withIsolation() {
    return new Job(command, env, workDir, limits, timeout, image, true, allowProcess);
  }

  /**
   * This job, allowed to run on the process runner although it asks for isolation: when no container
   * runner is registered it runs on the host, with the host's network, as the runtime's user.
   */
  public Job allowingProcess() {
    return new Job(command, env, workDir, limits, timeout, image, isolated, true);
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
