package io.dockevos.docker.internal;

import io.dockevos.docker.ContainerSpec;
import io.dockevos.docker.DockerException;
import io.dockevos.runner.Job;
import io.dockevos.runner.JobListener;
import io.dockevos.runner.JobResult;
import io.dockevos.runner.Runner;
import io.dockevos.runner.RunnerException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The container {@link Runner}: each job in a fresh container of its image (or the configured
 * default), with its environment and limits, no network and the sandbox's hardening; the output
 * streamed line by line, the timeout enforced, the container removed afterwards. Registered by
 * {@link DockerEngineImpl} only while the engine is UP.
 */
final class ContainerRunner implements Runner {
  static final String KIND = "container";
  /** Output kept in the result, from its end. */
  private static final int MAX_OUTPUT = 1 << 20;
  private final DockerEngineImpl engine;
  private final Supplier<String> defaultImage;

  ContainerRunner(DockerEngineImpl engine, Supplier<String> defaultImage) {
    this.engine = engine;
    this.defaultImage = defaultImage;
  }

  @Override
  public String kind() {
    return KIND;
  }

  static ContainerSpec spec(Job job, String defaultImage) {
    String image = job.image() == null || job.image().isBlank() ? defaultImage : job.image();
    ContainerSpec.Builder b = ContainerSpec.builder(image).command(job.command()).env(job.env())
        .label(DockerEngineImpl.RUNNER_LABEL, "true").hardened()
        .memory(job.limits().memoryBytes()).cpus(job.limits().cpus()).pids(job.limits().pids());
    if (job.workDir() != null) {
      b.workDir(job.workDir());
    }
    return b.build();
  }

  @Override
  public JobResult run(Job job, JobListener listener) throws RunnerException {
    if (job.command().isEmpty()) {
      throw new RunnerException("The job has no command");
    }
    long t0 = System.nanoTime();
    ContainerSpec spec = spec(job, defaultImage.get());
    String id;
    try {
      id = engine.create(spec);
    } catch (DockerException | IllegalArgumentException e) {
      throw new RunnerException("Cannot run " + String.join(" ", job.command()) + " in a container: " + e.getMessage(), e);
    }
    engine.quiet(id);
    StringBuilder output = new StringBuilder();
    boolean interrupted = false;
    try {
      // AutoRemove would lose the exit code: wait for the next exit (registered before the start),
      // then remove.
      ExitWatch wait = engine.watchNextExit(id);
      try {
        engine.start(id);
      } catch (DockerException e) {
        throw new RunnerException("Cannot start " + String.join(" ", job.command()) + " in " + spec.image() + ": "
            + e.getMessage(), e);
      }
      LinePump pump = engine.follow(id);
      long deadline = t0 + job.timeout().toNanos();
      boolean ended = pump.drain((line, error) -> {
        listener.line(line, error);
        output.append(line).append('\n');
        if (output.length() > MAX_OUTPUT) {
          output.delete(0, output.length() - MAX_OUTPUT);
        }
      }, () -> System.nanoTime() > deadline || wait.exitedAWhileAgo());
      // Cleared while the container is removed: an interrupted thread would close the socket channel.
      interrupted = Thread.interrupted();
      Integer code = null;
      if (ended || wait.exitedAWhileAgo()) {
        code = wait.await(Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      LinePump.closeQuietly(wait);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      if (code == null) {
        return new JobResult(-1, output.toString(), took, KIND, !interrupted);
      }
      return new JobResult(code, output.toString(), took, KIND, false);
    } finally {
      engine.removeQuietly(id);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
