package io.dockevos.runner;

import java.time.Duration;

/**
 * How a job ended.
 *
 * @param exitCode the exit code (-1 when it was killed at its timeout)
 * @param output the output it wrote, standard output and error interleaved, possibly cut at its
 *     end to a bound the runner chooses
 * @param duration how long it ran
 * @param runner the {@link Runner#kind()} that ran it
 * @param timedOut whether it was killed at its timeout
 * @since 0.1
 */
public record JobResult(int exitCode, String output, Duration duration, String runner, boolean timedOut) {}
