package io.dockevos.docker;

/**
 * One sample of a container's resource use.
 *
 * @param container the container's name or id, as asked
 * @param cpuPercent CPU use since the previous sample, in percent of one CPU
 * @param memoryBytes memory in use
 * @param memoryLimitBytes the memory limit (the host's memory when there is none)
 * @param pids the number of processes
 * @since 0.1
 */
public record Stats(String container, double cpuPercent, long memoryBytes, long memoryLimitBytes, long pids) {}
