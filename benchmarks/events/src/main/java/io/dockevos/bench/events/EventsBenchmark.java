package io.dockevos.bench.events;

import io.dockevos.launcher.DockevOS;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * In one JVM and one embedded dockevOS (the default boot features, so the error handler is there):
 * rounds of N events posted through Event Admin ({@code postEvent}), timed from the first post until
 * a counting handler has seen the last, alternately with the error handler (and the system log, if
 * its bundle is installed) started and stopped. The events are what a busy runtime posts: failed
 * actions (20 fingerprints, so mostly repeats that are counted), executed actions, and deploy
 * failures of 50 files. Then, for each store size, a fresh runtime whose store is filled with that
 * many distinct incidents, each with a stack trace, and the heap used after forced GCs, before and
 * after.
 *
 * <p>Event Admin's classes live inside the framework, so events are made and posted by reflection
 * (the same cost in both phases).
 */
public final class EventsBenchmark {
  private static final List<String> SUBSYSTEMS = List.of("io.dockevos.errors", "io.dockevos.systemlog");

  private EventsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = Integer.getInteger("bench.events", 100000);
    int rounds = Integer.getInteger("bench.rounds", 5);
    String[] stores = System.getProperty("bench.stores", "500,5000").split(",");
    Path out = Files.createDirectories(Path.of(System.getProperty("bench.out", "target/events")));
    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT, "Event Admin throughput and incident store memory; %s %s, %d cores, %d"
        + " events a round, %d rounds each way, interleaved.%n%n", System.getProperty("java.vm.name"),
        System.getProperty("java.vm.version"), java.lang.Runtime.getRuntime().availableProcessors(), events, rounds));

    try (Runtime rt = Runtime.start(out.resolve("work"), null)) {
      List<Bundle> subsystems = rt.bundles(SUBSYSTEMS);
      String names = String.join(" + ", subsystems.stream().map(Bundle::getSymbolicName).toList());
      rt.round(events / 5); // warm-up, both ways
      stop(subsystems);
      rt.round(events / 5);
      start(subsystems);
      List<Double> with = new ArrayList<>();
      List<Double> without = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        start(subsystems);
        with.add(rt.round(events));
        stop(subsystems);
        without.add(rt.round(events));
      }
      start(subsystems);
      double w = median(with);
      double wo = median(without);
      report.append("| runtime | events/s, median (min–max, n) |\n|---|---|\n");
      report.append(String.format(Locale.ROOT, "| with %s | %s |%n", names, figure(with)));
      report.append(String.format(Locale.ROOT, "| without them (bundles stopped) | %s |%n", figure(without)));
      report.append(String.format(Locale.ROOT, "%nWith/without: %.2f×.%n%n", w / wo));
    }

    report.append("| max incidents (store full) | retained heap after forced GCs | per incident | incidents.json |\n"
        + "|---|---|---|---|\n");
    for (String s : stores) {
      int max = Integer.parseInt(s.trim());
      try (Runtime rt = Runtime.start(out.resolve("work"), "maxIncidents = " + max + "\n")) {
        long before = usedAfterGc();
        rt.fill(max);
        Thread.sleep(1500); // the store's write settles
        long after = usedAfterGc();
        long file = Files.size(rt.home.resolve("data/errors/incidents.json"));
        report.append(String.format(Locale.ROOT, "| %d | %.1f MB | %.1f KB | %.1f MB |%n", max,
            (after - before) / 1e6, (after - before) / 1e3 / max, file / 1e6));
      }
    }
    java.io.PrintStream stdout = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    stdout.println();
    stdout.print(report);
    stdout.flush();
    Files.writeString(out.resolve("results.md"), report, StandardCharsets.UTF_8);
  }

  private static void stop(List<Bundle> bundles) throws Exception {
    for (Bundle b : bundles) {
      b.stop();
    }
  }

  private static void start(List<Bundle> bundles) throws Exception {
    for (Bundle b : bundles) {
      b.start();
    }
    Thread.sleep(300); // Declarative Services registers the components
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double median(List<Double> l) {
    List<Double> s = l.stream().sorted().toList();
    return s.get(s.size() / 2);
  }

  private static String figure(List<Double> l) {
    return String.format(Locale.ROOT, "%.0f (%.0f–%.0f, n=%d)", median(l), l.stream().min(Comparator.naturalOrder())
        .orElseThrow(), l.stream().max(Comparator.naturalOrder()).orElseThrow(), l.size());
  }

  /** An embedded runtime with a counting handler on the topics the rounds post. */
  static final class Runtime implements AutoCloseable {
    final Path home;
    private final DockevOS dockevos;
    private final BundleContext context;
    private final Constructor<?> eventClass;
    private final Method post;
    private final Object eventAdmin;
    private final AtomicLong seen = new AtomicLong();
    private final ServiceRegistration<?> counter;

    private Runtime(Path home, DockevOS dockevos) throws Exception {
      this.home = home;
      this.dockevos = dockevos;
      this.context = dockevos.bundleContext();
      Bundle ea = bundles(List.of("org.apache.felix.eventadmin")).get(0);
      Class<?> event = ea.loadClass("org.osgi.service.event.Event");
      this.eventClass = event.getConstructor(String.class, Map.class);
      ServiceReference<?> ref = context.getServiceReference("org.osgi.service.event.EventAdmin");
      this.eventAdmin = context.getService(ref);
      this.post = eventAdmin.getClass().getMethod("postEvent", event);
      Class<?> handler = ea.loadClass("org.osgi.service.event.EventHandler");
      Object proxy = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
          (p, m, a) -> {
            if (m.getName().equals("handleEvent")) {
              seen.incrementAndGet();
            }
            return m.getName().equals("hashCode") ? System.identityHashCode(p) : m.getName().equals("equals")
                ? p == a[0] : null;
          });
      Hashtable<String, Object> props = new Hashtable<>();
      props.put("event.topics", new String[] {"dockevos/action/*", "dockevos/deploy/*"});
      this.counter = context.registerService(handler.getName(), proxy, props);
    }

    static Runtime start(Path work, String errorsConfig) throws Exception {
      Files.createDirectories(work);
      Path home = Files.createTempDirectory(work, "home-");
      if (errorsConfig != null) {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/dockevos.errors.cfg"), errorsConfig);
      }
      // As bin/dockevos does: the rolling file at INFO, not Logback's DEBUG console default.
      io.dockevos.launcher.internal.LogSetup.configure(home.resolve("data/log"), home).join();
      DockevOS d = DockevOS.builder().home(home).build().start();
      Thread.sleep(1000); // etc/ configurations arrive
      return new Runtime(home, d);
    }

    List<Bundle> bundles(List<String> names) {
      List<Bundle> l = new ArrayList<>();
      for (Bundle b : context.getBundles()) {
        if (names.contains(b.getSymbolicName())) {
          l.add(b);
        }
      }
      return l;
    }

    /** @return events per second */
    double round(int n) throws Exception {
      seen.set(0);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Map<String, Object> p = new HashMap<>();
        String topic;
        switch (i % 4) {
          case 0, 1 -> {
            topic = "dockevos/action/FAILED";
            p.put("plugin.id", "bench.plugin" + (i % 20));
            p.put("action.name", "act");
            p.put("kind", "FAILED");
            p.put("reason", "it failed");
          }
          case 2 -> {
            topic = "dockevos/action/EXECUTED";
            p.put("plugin.id", "bench.other");
            p.put("action.name", "act");
            p.put("duration.ms", 1L);
          }
          default -> {
            topic = "dockevos/deploy/FAILED";
            p.put("file", "/bench/deploy/file" + (i % 50) + ".jar");
            p.put("reason", "is not a bundle");
          }
        }
        post.invoke(eventAdmin, eventClass.newInstance(topic, p));
      }
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (seen.get() < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + seen.get() + " of " + n + " events delivered in 120 s");
        }
        Thread.sleep(1); // not a spin: the 2 cores go to Event Admin and its handlers
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** Fills the store with n distinct incidents, each a failed plugin with its exception. */
    void fill(int n) throws Exception {
      for (int i = 0; i < n; i++) {
        Map<String, Object> p = new HashMap<>();
        p.put("plugin.id", "bench.failing" + i);
        p.put("plugin.version", "1.0.0");
        p.put("reason", "bench.failing" + i + " 1.0.0 failed to start: its activator threw"
            + " java.lang.IllegalStateException: failure " + i);
        p.put("exception", new IllegalStateException("failure " + i));
        post.invoke(eventAdmin, eventClass.newInstance("dockevos/plugin/FAILED", p));
      }
      Object errors = context.getService(context.getServiceReference("io.dockevos.error.ErrorHandler"));
      Method incidents = errors.getClass().getMethod("incidents", boolean.class);
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (((List<?>) incidents.invoke(errors, true)).size() < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the store did not fill in 120 s");
        }
        Thread.sleep(50);
      }
    }

    @Override
    public void close() throws Exception {
      counter.unregister();
      dockevos.close();
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
