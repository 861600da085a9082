package io.dockevos.docker.internal;

import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import io.dockevos.docker.Stats;

/** CPU percent the way {@code docker stats} computes it, from a sample and the one before it. */
final class StatsMath {
  private StatsMath() {}

  static Stats of(String container, Statistics s) {
    double cpu = cpuPercent(s.getCpuStats(), s.getPreCpuStats());
    long mem = 0;
    long limit = 0;
    if (s.getMemoryStats() != null) {
      mem = s.getMemoryStats().getUsage() == null ? 0 : s.getMemoryStats().getUsage();
      limit = s.getMemoryStats().getLimit() == null ? 0 : s.getMemoryStats().getLimit();
    }
    long pids = s.getPidsStats() == null || s.getPidsStats().getCurrent() == null ? 0 : s.getPidsStats().getCurrent();
    return new Stats(container, cpu, mem, limit, pids);
  }

  static double cpuPercent(CpuStatsConfig now, CpuStatsConfig before) {
    if (now == null || now.getCpuUsage() == null || now.getCpuUsage().getTotalUsage() == null) {
      return 0;
    }
    long total = now.getCpuUsage().getTotalUsage();
    long totalBefore = before == null || before.getCpuUsage() == null || before.getCpuUsage().getTotalUsage() == null
        ? 0 : before.getCpuUsage().getTotalUsage();
    long system = now.getSystemCpuUsage() == null ? 0 : now.getSystemCpuUsage();
    long systemBefore = before == null || before.getSystemCpuUsage() == null ? 0 : before.getSystemCpuUsage();
    long cpus = now.getOnlineCpus() != null && now.getOnlineCpus() > 0 ? now.getOnlineCpus()
        : now.getCpuUsage().getPercpuUsage() == null ? 1 : Math.max(1, now.getCpuUsage().getPercpuUsage().size());
    return percent(total - totalBefore, system - systemBefore, cpus);
  }

  static double percent(long cpuDelta, long systemDelta, long cpus) {
    if (cpuDelta <= 0 || systemDelta <= 0) {
      return 0;
    }
    return (double) cpuDelta / systemDelta * cpus * 100.0;
  }
}
