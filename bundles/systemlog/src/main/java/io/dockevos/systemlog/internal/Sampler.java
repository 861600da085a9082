package io.dockevos.systemlog.internal;

import io.dockevos.action.ActionInfo;
import io.dockevos.action.ActionService;
import io.dockevos.systemlog.Sample;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Takes one {@link Sample}. CPU loads are read as attributes of the platform's OperatingSystem
 * MXBean (the {@code com.sun.management} extension), so that this bundle imports no
 * {@code com.sun} package, which the system bundle need not export.
 */
final class Sampler {
  private final BundleContext context;
  private final Supplier<ActionService> actions;
  private MBeanServer server;
  private ObjectName os;

  Sampler(BundleContext context, Supplier<ActionService> actions) {
    this.context = context;
    this.actions = actions;
  }

  Sample sample() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    List<Sample.Gc> gc = new ArrayList<>();
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      gc.add(new Sample.Gc(b.getName(), b.getCollectionCount(), b.getCollectionTime()));
    }
    int bundles = 0;
    int services = 0;
    try {
      bundles = context.getBundles().length;
      ServiceReference<?>[] refs = context.getAllServiceReferences(null, null);
      services = refs == null ? 0 : refs.length;
    } catch (IllegalStateException | InvalidSyntaxException stopping) {
      // the bundle is stopping: no counts
    }
    List<Sample.ActionFigures> figures = new ArrayList<>();
    ActionService a = actions.get();
    if (a != null) {
      try {
        for (ActionInfo info : a.actions()) {
          ActionInfo.Stats s = info.stats();
          figures.add(new Sample.ActionFigures(info.plugin(), info.name(), s.invocations(), s.failures(),
              s.meanMillis(), s.maxMillis()));
        }
      } catch (RuntimeException goingAway) {
        // the action runtime is stopping
      }
    }
    return new Sample(Instant.now(), heap.getUsed(), heap.getCommitted(), heap.getMax(), threads,
        cpu("ProcessCpuLoad"), cpu("CpuLoad", "SystemCpuLoad"), List.copyOf(gc), bundles, services, List.copyOf(figures));
  }

  private double cpu(String... attributes) {
    try {
      if (server == null) {
        server = ManagementFactory.getPlatformMBeanServer();
        os = new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME);
      }
      for (String attribute : attributes) {
        try {
          Object v = server.getAttribute(os, attribute);
          if (v instanceof Number n && n.doubleValue() >= 0) {
            return n.doubleValue();
          }
        } catch (javax.management.AttributeNotFoundException next) {
          // an older or newer JDK: try the next name
        }
      }
    } catch (Exception | LinkageError e) {
      // no such MXBean here
    }
    return -1;
  }
}
