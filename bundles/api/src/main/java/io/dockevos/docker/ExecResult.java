package io.dockevos.docker;

/**
 * How a command run in a container ended.
 *
 * @param exitCode its exit code
 * @param output what it wrote, standard output and error interleaved
 * @since 0.1
 */
public record ExecResult(int exitCode, String output) {}
