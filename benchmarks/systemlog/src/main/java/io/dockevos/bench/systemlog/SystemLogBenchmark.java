package io.dockevos.bench.systemlog;

import io.dockevos.launcher.DockevOS;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The system log's cost in a real embedded dockevOS (the default boot features). The Event Admin and
 * system log APIs live in their bundles, so they are called by reflection on the classes of those
 * bundles; the same calls are made with the system log on and off, so their cost cancels out.
 *
 * <p>System properties: {@code bench.out} (results.md goes there), {@code bench.rounds},
 * {@code bench.events} (events per round).
 */
public final class SystemLogBenchmark {
  private static final String SYSTEMLOG = "io.dockevos.systemlog";
  private static final String TOPIC = "dockevos/bench/EVENT";

  private final Path home;
  private final DockevOS dockevos;
  private final BundleContext context;
  private final Bundle systemlog;
  private final Object eventAdmin;
  private final Method post;
  private final Method send;
  private final Constructor<?> newEvent;
  private final AtomicLong delivered = new AtomicLong();

  private SystemLogBenchmark(Path home) throws Exception {
    this.home = home;
    Files.createDirectories(home.resolve("etc"));
    config("interval");
    io.dockevos.launcher.internal.LogSetup.configure(home.resolve("data/log"), home).join();
    this.dockevos = DockevOS.builder().home(home).build().start();
    this.context = dockevos.bundleContext();
    this.systemlog = Arrays.stream(context.getBundles()).filter(b -> SYSTEMLOG.equals(b.getSymbolicName())).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + SYSTEMLOG + " in the boot features"));
    ServiceReference<?> ref = reference("org.osgi.service.event.EventAdmin");
    this.eventAdmin = context.getService(ref);
    Class<?> eventType = ref.getBundle().loadClass("org.osgi.service.event.Event");
    Class<?> adminType = ref.getBundle().loadClass("org.osgi.service.event.EventAdmin");
    Class<?> handlerType = ref.getBundle().loadClass("org.osgi.service.event.EventHandler");
    this.post = adminType.getMethod("postEvent", eventType);
    this.send = adminType.getMethod("sendEvent", eventType);
    this.newEvent = eventType.getConstructor(String.class, Map.class);
    Object counter = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType}, (p, m, a) -> {
      if (m.getName().equals("handleEvent")) {
        delivered.incrementAndGet();
        return null;
      }
      return m.getName().equals("hashCode") ? System.identityHashCode(p) : m.getName().equals("equals") ? p == a[0] : "counter";
    });
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("event.topics", "dockevos/bench/*");
    context.registerService(handlerType.getName(), counter, props);
  }

  private void config(String fsync) throws IOException {
    // No sampling during the measurements; the default limits.
    Files.writeString(home.resolve("etc/dockevos.systemlog.cfg"), "sampleInterval = 3600\nfsync = " + fsync + "\n");
  }

  private ServiceReference<?> reference(String type) throws Exception {
    ServiceReference<?>[] refs = context.getAllServiceReferences(type, null);
    return refs == null ? null : refs[0];
  }

  private Object systemLogService(String type) throws Exception {
    ServiceReference<?> ref = reference(type);
    return ref == null ? null : context.getService(ref);
  }

  private static void await(String what, long timeoutMillis, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + timeoutMillis * 1_000_000;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("not within " + timeoutMillis + " ms: " + what);
      }
      Thread.sleep(5);
    }
  }

  private void systemLog(boolean on) throws Exception {
    if (on && systemlog.getState() != Bundle.ACTIVE) {
      systemlog.start();
    } else if (!on && systemlog.getState() == Bundle.ACTIVE) {
      systemlog.stop();
    }
    await("the system log is " + (on ? "on" : "off"), 10_000, () -> {
      try {
        return (reference("io.dockevos.systemlog.EventLog") != null) == on;
      } catch (Exception e) {
        return false;
      }
    });
  }

  private Object event(int i) throws Exception {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("plugin.id", "bench.plugin");
    p.put("plugin.version", "1.0.0");
    p.put("bundle.id", 42L);
    p.put("n", i);
    return newEvent.newInstance(TOPIC, p);
  }

  /** Lets the writer finish what a round queued, so that it does not run into the next measurement. */
  private void settle(boolean on) throws Exception {
    if (on) {
      Object log = systemLogService("io.dockevos.systemlog.EventLog");
      systemlog.loadClass("io.dockevos.systemlog.EventLog").getMethod("find", String.class, String.class, Instant.class,
          int.class).invoke(log, TOPIC, null, null, 1);
    }
    Thread.sleep(300);
  }

  /** @return postEvent: events delivered to the counting handler per second; the instant it started */
  private double postRate(int n) throws Exception {
    delivered.set(0);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      post.invoke(eventAdmin, event(i));
    }
    await(n + " events delivered", 120_000, () -> delivered.get() >= n);
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** @return sendEvent: events that returned (every handler called) per second */
  private double sendRate(int n) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      send.invoke(eventAdmin, event(i));
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** Posts n events and returns how many per second the system log persisted (the last one is in its log). */
  private double persistRate(int n) throws Exception {
    Object log = systemLogService("io.dockevos.systemlog.EventLog");
    Method find = systemlog.loadClass("io.dockevos.systemlog.EventLog").getMethod("find", String.class, String.class,
        Instant.class, int.class);
    Instant from = Instant.now();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      post.invoke(eventAdmin, event(i));
    }
    String last = String.valueOf(n - 1);
    await("the last event persisted", 120_000, () -> {
      try {
        List<?> found = (List<?>) find.invoke(log, TOPIC, null, from, 1);
        return !found.isEmpty() && found.get(0).toString().contains("n=" + last + "}") || !found.isEmpty()
            && found.get(0).toString().contains("n=" + last + ",");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }

  private static String cell(List<Double> v, String format) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return String.format(Locale.ROOT, format + " (" + format + "–" + format + ", n=%d)", median(v), s.get(0),
        s.get(s.size() - 1), v.size());
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Fills one store's files to its default limits, loads it, and returns the heap it retains. */
  private long[] retained(String store) throws Exception {
    systemLog(false);
    Path dir = home.resolve("data/systemlog");
    for (String s : List.of("history", "metrics", "events")) {
      Path d = dir.resolve(s);
      if (Files.isDirectory(d)) {
        try (Stream<Path> files = Files.list(d)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
      }
    }
    Path d = Files.createDirectories(dir.resolve(store));
    int entries = switch (store) {
      case "history" -> 10_000;
      case "metrics" -> 8640;
      default -> 10_000;
    };
    int perSegment = entries / 4;
    Instant t = Instant.parse("2026-12-01T08:00:00Z");
    int i = 0;
    for (int seg = 1; seg <= 4; seg++) {
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < perSegment; k++, i++) {
        String time = t.plusMillis(i * 1000L + 123).toString();
        b.append(switch (store) {
          case "history" -> "{\"time\":\"" + time + "\",\"user\":\"alice\",\"origin\":\"client\",\"command\":\"plugin:install "
              + "mvn:io.dockevos/io.dockevos.example.greeter/0.1." + i + "\",\"durationMs\":" + (i % 500) + ",\"status\":\"ok\"}";
          case "metrics" -> "{\"time\":\"" + time + "\",\"heapUsed\":" + (20_000_000 + i) + ",\"heapCommitted\":402653184,"
              + "\"heapMax\":6320816128,\"threads\":38,\"processCpuLoad\":0.0123,\"systemCpuLoad\":0.25,\"gc\":[{\"name\":\"G1 Young Generation\","
              + "\"count\":" + i + ",\"timeMs\":" + (i * 3) + "},{\"name\":\"G1 Old Generation\",\"count\":0,\"timeMs\":0}],\"bundles\":20,"
              + "\"services\":53,\"actions\":[{\"plugin\":\"io.dockevos.example.greeter\",\"action\":\"greet\",\"invocations\":" + i
              + ",\"failures\":1,\"meanMs\":12.5,\"maxMs\":30},{\"plugin\":\"io.dockevos.example.greeter\",\"action\":\"count\","
              + "\"invocations\":3,\"failures\":0,\"meanMs\":0.4,\"maxMs\":1}]}";
          default -> "{\"time\":\"" + time + "\",\"topic\":\"org/osgi/framework/ServiceEvent/REGISTERED\",\"properties\":{"
              + "\"service.objectClass\":\"io.dockevos.systemlog.CommandHistory,io.dockevos.systemlog.MetricsStore\",\"service.id\":\""
              + (1000 + i) + "\",\"service.pid\":\"dockevos.systemlog\",\"bundle.symbolicName\":\"io.dockevos.systemlog\","
              + "\"bundle.id\":\"19\",\"bundle.version\":\"0.1.0.SNAPSHOT\"}}";
        }).append('\n');
      }
      Files.writeString(d.resolve(String.format("%010d.jsonl", seg)), b);
    }
    long before = usedHeapAfterGc();
    systemLog(true);
    // A query loads the stores at once.
    String type = store.equals("history") ? "io.dockevos.systemlog.CommandHistory"
        : store.equals("metrics") ? "io.dockevos.systemlog.MetricsStore" : "io.dockevos.systemlog.EventLog";
    Object service = systemLogService(type);
    Class<?> api = systemlog.loadClass(type);
    int loaded = switch (store) {
      case "history" -> ((List<?>) api.getMethod("find", String.class, boolean.class, int.class).invoke(service, null, false,
          Integer.MAX_VALUE)).size();
      case "metrics" -> ((List<?>) api.getMethod("since", Instant.class).invoke(service, (Object) null)).size();
      default -> ((List<?>) api.getMethod("find", String.class, String.class, Instant.class, int.class).invoke(service, null,
          null, null, Integer.MAX_VALUE)).size();
    };
    long with = usedHeapAfterGc();
    long bytes = 0;
    try (Stream<Path> files = Files.list(d)) {
      for (Path f : files.toList()) {
        bytes += Files.size(f);
      }
    }
    return new long[] {with - before, loaded, bytes};
  }

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 5);
    int n = Integer.getInteger("bench.events", 50_000);
    Path out = Files.createDirectories(Path.of(System.getProperty("bench.out", "target/systemlog")));
    Path home = Files.createTempDirectory("dockevos-systemlog-bench-");
    SystemLogBenchmark b = new SystemLogBenchmark(home);
    try {
      StringBuilder md = new StringBuilder();
      md.append(String.format(Locale.ROOT, "System log benchmark, %s, %d cores, JDK %s, %d rounds of %d events%n%n",
          Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rounds, n));
      // Warm-up, not recorded.
      for (boolean on : new boolean[] {true, false}) {
        b.systemLog(on);
        b.postRate(n);
        b.sendRate(n / 5);
      }
      List<Double> postOn = new ArrayList<>();
      List<Double> postOff = new ArrayList<>();
      List<Double> sendOn = new ArrayList<>();
      List<Double> sendOff = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        boolean first = r % 2 == 0;
        for (boolean on : new boolean[] {first, !first}) {
          b.systemLog(on);
          Thread.sleep(300);
          (on ? postOn : postOff).add(b.postRate(n));
          b.settle(on);
          (on ? sendOn : sendOff).add(b.sendRate(n / 5));
          b.settle(on);
          System.err.printf(Locale.ROOT, "[systemlog] round %d, system log %s: post %.0f/s, send %.0f/s%n", r + 1,
              on ? "on" : "off", (on ? postOn : postOff).get((on ? postOn : postOff).size() - 1),
              (on ? sendOn : sendOff).get((on ? sendOn : sendOff).size() - 1));
        }
      }
      md.append("| Event Admin, one publisher | system log on | system log off (bundle stopped) | on/off |\n|---|---|---|---|\n");
      md.append(String.format(Locale.ROOT, "| postEvent, delivered events/s | %s | %s | %.2f |%n", cell(postOn, "%.0f"),
          cell(postOff, "%.0f"), median(postOn) / median(postOff)));
      md.append(String.format(Locale.ROOT, "| sendEvent, returned events/s | %s | %s | %.2f |%n%n", cell(sendOn, "%.0f"),
          cell(sendOff, "%.0f"), median(sendOn) / median(sendOff)));

      b.systemLog(true);
      md.append("| fsync | events persisted/s (posted until the last one is in the event log) |\n|---|---|\n");
      for (String fsync : List.of("none", "interval", "batch")) {
        b.config(fsync);
        await("fsync=" + fsync + " applies", 20_000, () -> {
          try {
            ServiceReference<?> ref = b.reference("io.dockevos.systemlog.EventLog");
            return ref != null && fsync.equals(ref.getProperty("fsync"));
          } catch (Exception e) {
            return false;
          }
        });
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          Thread.sleep(300);
          rates.add(b.persistRate(n));
        }
        System.err.printf(Locale.ROOT, "[systemlog] fsync=%s: %s%n", fsync, cell(rates, "%.0f"));
        md.append(String.format(Locale.ROOT, "| %s | %s |%n", fsync, cell(rates, "%.0f")));
      }
      b.config("interval");
      md.append("\n| store, full at the default limits | entries | on disk | retained heap after GC |\n|---|---|---|---|\n");
      for (String store : List.of("history", "metrics", "events")) {
        List<Double> heap = new ArrayList<>();
        long[] last = null;
        for (int r = 0; r < 3; r++) {
          last = b.retained(store);
          heap.add(last[0] / 1024.0 / 1024.0);
        }
        System.err.printf(Locale.ROOT, "[systemlog] %s: %d entries, %s MB%n", store, last[1], cell(heap, "%.1f"));
        md.append(String.format(Locale.ROOT, "| %s | %d | %.1f MB | %s MB |%n", store, last[1], last[2] / 1024.0 / 1024.0,
            cell(heap, "%.1f")));
      }
      String dropped = Files.readString(home.resolve("data/log/dockevos.log")).lines().filter(l -> l.contains("entries dropped"))
          .count() + "";
      md.append("\nWarnings of dropped entries (the writer's queue full) in the log: ").append(dropped).append('\n');
      Files.writeString(out.resolve("results.md"), md);
      System.out.print(md);
    } finally {
      b.dockevos.close();
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
