package io.dockevos.hardware;

/**
 * One sample of the monitored resources.
 *
 * @param diskFreePercent the lowest free-space percentage among the monitored file systems
 * @param disk the mount point that has that lowest percentage
 * @param memoryFreePercent the available memory in percent of the physical memory
 * @param cpuLoadPercent the system CPU load over the last interval, in percent (0 when not known yet)
 * @since 0.1
 */
public record ResourceSample(double diskFreePercent, String disk, double memoryFreePercent, double cpuLoadPercent) {}
