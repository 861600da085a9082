import io.dockevos.launcher.Client;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The soak driver of benchmarks/soak/run.sh (JDK only, run from source).
 *
 * <pre>
 *   java Soak.java prepare HOME WORK [leak]   build the plugin and the feature, put the feature in HOME/system/
 *   java Soak.java run HOME PID CYCLES EVERY OUT JAR   the cycles against the running instance of HOME (pid PID)
 * </pre>
 *
 * <p>Each cycle, through the instance's control socket (the protocol of {@code bin/dockevos client},
 * one connection per command, so each is exactly what a user's client sends): {@code plugin:install
 * --no-start JAR}, {@code plugin:start}, {@code plugin:list --json} (the plugin must be ACTIVE with its
 * component active), {@code plugin:stop}, {@code plugin:uninstall}, then {@code feature:install
 * soak-feature} (the install's health gate waits for its bundle's component) and {@code feature:uninstall
 * soak-feature}. At cycle 0 and every EVERY cycles: {@code jcmd PID GC.run}, then the heap used after
 * it ({@code GC.heap_info}), the JVM's threads ({@code /proc/PID/status}), its open file descriptors
 * ({@code /proc/PID/fd}) and the class loaders still alive ({@code VM.classloaders show-classes=true}).
 */
public class Soak {
  static final String PLUGIN = "io.dockevos.soak.plugin";
  static final String FEATURE_BSN = "io.dockevos.soak.feature";
  static final String FEATURE = "soak-feature";
  static final String BCL = "org.apache.felix.framework.BundleWiringImpl$BundleClassLoader";

  public static void main(String[] args) throws Exception {
    switch (args.length > 0 ? args[0] : "") {
      case "prepare" -> prepare(Path.of(args[1]), Path.of(args[2]), args.length > 3 && args[3].equals("leak"));
      case "run" -> run(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Path.of(args[5]), Path.of(args[6]));
      default -> {
        System.err.println("usage: java Soak.java prepare HOME WORK [leak] | run HOME PID CYCLES EVERY OUT JAR");
        System.exit(2);
      }
    }
  }

  // ================================================================ the two bundles and the feature

  /**
   * The plugin: an interface, a DS component that provides it and needs Event Admin (a static
   * mandatory reference, so its wiring and the service registry both hold it), and a helper class,
   * all loaded at activation. With {@code leak}, the component also puts itself into the system
   * properties at activation: its class loader can never be collected (the check of the stale count).
   */
  static void prepare(Path home, Path work, boolean leak) throws IOException {
    Files.createDirectories(work);
    Path eventAdmin;
    try (Stream<Path> s = Files.walk(home.resolve("system/org/apache/felix/org.apache.felix.eventadmin"))) {
      eventAdmin = s.filter(p -> p.toString().endsWith(".jar")).findFirst()
          .orElseThrow(() -> new IOException("no Event Admin jar under " + home.resolve("system")));
    }
    String p = "io.dockevos.soak.plugin";
    List<String[]> plugin = List.of(
        src(p + ".Greeter", """
            package io.dockevos.soak.plugin;
            public interface Greeter { String greet(String name); }
            """),
        src(p + ".internal.Messages", """
            package io.dockevos.soak.plugin.internal;
            final class Messages {
              private Messages() {}
              static String hello(String name, int n) { return "Hello, " + name + " (" + n + ")"; }
            }
            """),
        src(p + ".internal.GreeterComponent", """
            package io.dockevos.soak.plugin.internal;
            import io.dockevos.soak.plugin.Greeter;
            import java.util.Map;
            import org.osgi.service.event.Event;
            import org.osgi.service.event.EventAdmin;
            public class GreeterComponent implements Greeter {
              private volatile EventAdmin events;
              private int calls;
              public void setEvents(EventAdmin e) { events = e; }
              public void unsetEvents(EventAdmin e) { events = null; }
              public void activate(Map<String, Object> props) {
                greet("activate");
                if (LEAK) { System.getProperties().put("io.dockevos.soak.leak." + System.identityHashCode(this), this); }
              }
              public void deactivate() { greet("deactivate"); }
              public String greet(String name) {
                String s = Messages.hello(name, ++calls);
                if (events == null) { throw new IllegalStateException("no Event Admin: " + s); }
                return s;
              }
              private static final boolean LEAK = %s;
            }
            """.formatted(leak)));
    String pluginXml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="io.dockevos.soak.plugin.Greeter" immediate="true">
          <implementation class="io.dockevos.soak.plugin.internal.GreeterComponent"/>
          <service><provide interface="io.dockevos.soak.plugin.Greeter"/></service>
          <reference name="events" interface="org.osgi.service.event.EventAdmin" cardinality="1..1" policy="static" bind="setEvents" unbind="unsetEvents"/>
        </scr:component>
        """;
    writeBundle(work.resolve(PLUGIN + ".jar"), work.resolve("classes-plugin"), plugin, eventAdmin, PLUGIN,
        "dockevOS soak plugin" + (leak ? " (leaks its class loader on purpose)" : ""),
        "org.osgi.service.event;version=\"[1.4,2)\"", "OSGI-INF/greeter.xml", pluginXml);

    // The feature's bundle: a DS component configured by the feature's configuration.
    String f = "io.dockevos.soak.feature";
    List<String[]> feature = java.util.Collections.singletonList(src(f + ".Ticker", """
        package io.dockevos.soak.feature;
        import java.util.Map;
        public class Ticker {
          private String greeting;
          public void activate(Map<String, Object> props) {
            greeting = String.valueOf(props.get("greeting"));
            if (!greeting.startsWith("soak")) { throw new IllegalStateException("not configured: " + greeting); }
          }
        }
        """));
    String featureXml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="io.dockevos.soak.feature.Ticker" immediate="true" configuration-policy="require">
          <implementation class="io.dockevos.soak.feature.Ticker"/>
        </scr:component>
        """;
    Path repo = home.resolve("system/io/dockevos/soak/soak-feature-bundle/1.0.0");
    Files.createDirectories(repo);
    writeBundle(repo.resolve("soak-feature-bundle-1.0.0.jar"), work.resolve("classes-feature"), feature, eventAdmin, FEATURE_BSN,
        "dockevOS soak feature bundle", null, "OSGI-INF/ticker.xml", featureXml);
    Files.writeString(home.resolve("system/features/" + FEATURE + ".json"), """
        {
          "feature-resource-version": "1.0",
          "id": "io.dockevos.soak:soak-feature:1.0.0",
          "name": "dockevOS soak feature",
          "description": "One bundle with a DS component and its configuration; installed and uninstalled by benchmarks/soak.",
          "bundles": [ { "id": "io.dockevos.soak:soak-feature-bundle:1.0.0", "start-order": 80 } ],
          "configurations": { "io.dockevos.soak.feature.Ticker": { "greeting": "soak ${dockevos.home}" } }
        }
        """);
    System.out.println("plugin " + work.resolve(PLUGIN + ".jar") + (leak ? " (leaking)" : "") + "; feature " + FEATURE
        + " with " + repo.resolve("soak-feature-bundle-1.0.0.jar"));
  }

  static String[] src(String name, String text) {
    return new String[] {name, text};
  }

  static void writeBundle(Path jar, Path classes, List<String[]> sources, Path cp, String bsn, String name, String imports,
      String xmlPath, String xml) throws IOException {
    Path srcDir = classes.resolveSibling(classes.getFileName() + "-src");
    deleteTree(classes);
    deleteTree(srcDir);
    Files.createDirectories(classes);
    List<String> files = new ArrayList<>();
    for (String[] s : sources) {
      Path file = srcDir.resolve(s[0].replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, s[1]);
      files.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> opts = new ArrayList<>(List.of("--release", "17", "-nowarn", "-cp", cp.toString(), "-d", classes.toString()));
    opts.addAll(files);
    if (javac.run(null, null, System.err, opts.toArray(String[]::new)) != 0) {
      throw new IOException("javac failed for " + bsn);
    }
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Bundle-ManifestVersion", "2");
    a.putValue("Bundle-SymbolicName", bsn);
    a.putValue("Bundle-Version", "1.0.0");
    a.putValue("Bundle-Name", name);
    a.putValue("Bundle-Vendor", "dockevOS benchmarks");
    if (imports != null) {
      a.putValue("Import-Package", imports);
    }
    a.putValue("Service-Component", xmlPath);
    a.putValue("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.3.0)(!(version>=2.0.0)))\"");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path c : walk.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(c));
        j.closeEntry();
      }
      j.putNextEntry(new JarEntry(xmlPath));
      j.write(xml.getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((x, y) -> y.compareTo(x)).toList()) {
        Files.delete(p);
      }
    }
  }

  // ================================================================ the control socket

  record Result(int status, String out, String err) {
    boolean ok() {
      return status == 0;
    }
  }

  /**
   * One command, as {@code bin/dockevos client 'COMMAND'} sends it: the launcher's own client (the
   * distribution's launcher jar is on this program's class path), without a JVM a command.
   */
  static Result command(Path socket, String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Client.run(socket, new String[] {command}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result must(Path socket, String command) throws IOException {
    Result r = command(socket, command);
    if (!r.ok()) {
      throw new IOException("'" + command + "' failed with exit status " + r.status() + ":\n" + r.out() + r.err());
    }
    return r;
  }

  // ================================================================ the run

  /**
   * One sample. {@code staleBundles}: Felix {@code BundleImpl} objects alive after a full GC beyond the
   * installed bundles (the system bundle is a {@code Felix}, not counted by the class histogram).
   */
  record Sample(int cycle, long heapKiB, int threads, int fds, int bundleLoaders, int staleLoaders, int bundles, int staleBundles,
      long elapsedMs, java.util.Map<String, long[]> histogram) {}

  static void run(Path home, long pid, int cycles, int every, Path out, Path jar) throws Exception {
    Path socket = home.resolve("data/dockevos.sock");
    Files.createDirectories(out);
    Path tsv = out.resolve("samples.tsv");
    List<Sample> samples = new ArrayList<>();
    long t0 = System.nanoTime();
    Files.writeString(tsv, "cycle\theap_kib\tthreads\tfds\tbundle_loaders\tstale_loaders\tbundles\tstale_bundle_objects\telapsed_ms\n");
    // One warm-up command and one attach before cycle 0, so that cycle 0 already counts the control
    // socket's worker thread and the JVM's Attach Listener, as every later sample does.
    must(socket, "lb");
    jcmd(pid, "VM.version");
    String install = "plugin:install --no-start " + jar.toAbsolutePath();
    long[] slowest = new long[1];
    for (int c = 0; c <= cycles; c++) {
      if (c % every == 0 || c == cycles) {
        Sample s = sample(socket, pid, c, (System.nanoTime() - t0) / 1_000_000);
        samples.add(s);
        Files.writeString(tsv, s.cycle() + "\t" + s.heapKiB() + "\t" + s.threads() + "\t" + s.fds() + "\t" + s.bundleLoaders() + "\t"
            + s.staleLoaders() + "\t" + s.bundles() + "\t" + s.staleBundles() + "\t" + s.elapsedMs() + "\n",
            java.nio.file.StandardOpenOption.APPEND);
        System.err.printf(Locale.ROOT, "[soak] cycle %6d: heap %.1f MiB, %d threads, %d fds, %d bundle loaders (%d stale),"
            + " %d bundles (%d uninstalled Bundle objects alive), %d s%n", c, s.heapKiB() / 1024.0, s.threads(), s.fds(),
            s.bundleLoaders(), s.staleLoaders(), s.bundles(), s.staleBundles(), s.elapsedMs() / 1000);
      }
      if (c == cycles) {
        break;
      }
      long start = System.nanoTime();
      cycle(socket, install);
      slowest[0] = Math.max(slowest[0], System.nanoTime() - start);
    }
    long total = (System.nanoTime() - t0) / 1_000_000;
    String table = report(samples, cycles, every, total, slowest[0] / 1_000_000);
    Files.writeString(out.resolve("results.md"), table);
    System.out.write(table.getBytes(StandardCharsets.UTF_8));
    System.out.flush();
  }

  static void cycle(Path socket, String install) throws IOException {
    must(socket, install);
    must(socket, "plugin:start " + PLUGIN);
    Result list = must(socket, "plugin:list --json");
    checkActive(list.out());
    must(socket, "plugin:stop " + PLUGIN);
    must(socket, "plugin:uninstall " + PLUGIN);
    must(socket, "feature:install " + FEATURE);
    must(socket, "feature:uninstall " + FEATURE);
  }

  /** The plugin's entry in plugin:list --json must say ACTIVE with one component active. */
  static void checkActive(String json) throws IOException {
    int i = json.indexOf("\"" + PLUGIN + "\"");
    if (i < 0) {
      throw new IOException(PLUGIN + " is not in plugin:list --json:\n" + json);
    }
    int start = json.lastIndexOf('{', i);
    int end = json.indexOf('}', json.indexOf("\"components\"", i) + 1);
    String entry = json.substring(start, end < 0 ? json.length() : end + 1);
    Matcher state = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"").matcher(entry);
    Matcher active = Pattern.compile("\"active\"\\s*:\\s*(\\d+)").matcher(entry);
    if (!state.find() || !state.group(1).equals("ACTIVE") || !active.find() || Integer.parseInt(active.group(1)) < 1) {
      throw new IOException(PLUGIN + " is not ACTIVE with its component active:\n" + entry);
    }
  }

  // ================================================================ the figures

  static Sample sample(Path socket, long pid, int cycle, long elapsed) throws Exception {
    jcmd(pid, "GC.run");
    String heap = jcmd(pid, "GC.heap_info");
    Matcher m = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(heap);
    if (!m.find()) {
      throw new IOException("cannot read the heap from GC.heap_info:\n" + heap);
    }
    long heapKiB = Long.parseLong(m.group(1));
    String loaders = jcmd(pid, "VM.classloaders", "show-classes=true");
    int[] counts = countLoaders(loaders);
    int threads = -1;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.substring(8).trim());
      }
    }
    int fds;
    try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds = (int) s.count();
    }
    int bundles = (int) must(socket, "lb").out().lines().filter(l -> l.matches("\\s*\\d+\\|.*")).count();
    // The class histogram (its own full GC): instances and bytes of each class, for the Bundle
    // objects and for the diff that the report prints.
    java.util.Map<String, long[]> histogram = new java.util.HashMap<>();
    Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    for (String line : jcmd(pid, "GC.class_histogram").lines().toList()) {
      Matcher r = row.matcher(line);
      if (r.find()) {
        histogram.merge(r.group(3), new long[] {Long.parseLong(r.group(1)), Long.parseLong(r.group(2))},
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
    }
    long bundleObjects = histogram.getOrDefault("org.apache.felix.framework.BundleImpl", new long[2])[0];
    return new Sample(cycle, heapKiB, threads, fds, counts[0], counts[1], bundles, (int) (bundleObjects - (bundles - 1)), elapsed,
        histogram);
  }

  /**
   * From {@code VM.classloaders show-classes=true}: [0] the Felix bundle class loaders alive, [1]
   * those of them that defined a class of the soak plugin or of the feature's bundle. Neither bundle
   * is installed when a sample is taken, so every loader in [1] is one of an uninstalled bundle that
   * a full GC could not collect. The tree prints each loader as a line naming its class (with "(+ N
   * more)" when several loaders of one class have the same parent and no classes are shown); with
   * show-classes each loader is printed alone, followed by the classes it defined, indented.
   */
  static int[] countLoaders(String tree) {
    int loaders = 0;
    int stale = 0;
    boolean inBundleLoader = false;
    boolean counted = false;
    Pattern more = Pattern.compile("\\(\\+ (\\d+) more\\)");
    for (String line : tree.lines().toList()) {
      if (line.contains("+-- ")) {
        inBundleLoader = line.contains(BCL);
        counted = false;
        if (inBundleLoader) {
          Matcher mm = more.matcher(line);
          loaders += 1 + (mm.find() ? Integer.parseInt(mm.group(1)) : 0);
        }
      } else if (inBundleLoader && !counted && (line.contains("io.dockevos.soak.plugin.") || line.contains("io.dockevos.soak.feature."))) {
        stale++;
        counted = true;
      }
    }
    return new int[] {loaders, stale};
  }

  static String jcmd(long pid, String... args) throws Exception {
    String java = System.getProperty("java.home");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(java, "bin", "jcmd").toString());
    cmd.add(Long.toString(pid));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed:\n" + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  // ================================================================ the report

  static String report(List<Sample> s, int cycles, int every, long totalMs, long slowestMs) {
    StringBuilder b = new StringBuilder();
    String cpu = "";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
    } catch (IOException | UncheckedIOException e) {
      // no model name: leave it out
    }
    b.append(String.format(Locale.ROOT, "dockevOS soak, %s: %d cycles (a sample every %d), %d cores (%s), Java %s; %s in all, %.1f ms a cycle"
        + " on average (slowest %d ms)%n%n", Instant.now().toString().substring(0, 16) + "Z", cycles, every,
        Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("java.version"), human(totalMs),
        (double) totalMs / Math.max(1, cycles), slowestMs));
    b.append("| cycle | heap after GC (MiB) | threads | open fds | bundle class loaders | loaders of uninstalled bundles"
        + " | Bundle objects of uninstalled bundles |\n");
    b.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Sample x : s) {
      b.append(String.format(Locale.ROOT, "| %d | %.1f | %d | %d | %d | %d | %d |%n", x.cycle(), x.heapKiB() / 1024.0, x.threads(),
          x.fds(), x.bundleLoaders(), x.staleLoaders(), x.staleBundles()));
    }
    // Flat: growth over the last 5,000 cycles (or the last half of a shorter run) of 1% or less.
    Sample last = s.get(s.size() - 1);
    int window = Math.min(5000, last.cycle() / 2 / every * every);
    if (window == 0) {
      window = last.cycle();
    }
    int from = last.cycle() - window;
    Sample base = s.stream().filter(x -> x.cycle() >= from).findFirst().orElse(s.get(0));
    b.append(String.format(Locale.ROOT, "%nVerdict over the last %d cycles (cycle %d → %d); flat means a growth of 1%% or less"
        + " (a count that is 0 at both ends is flat):%n%n", last.cycle() - base.cycle(), base.cycle(), last.cycle()));
    b.append(verdict("heap after GC", base.heapKiB(), last.heapKiB(), "MiB", 1024.0));
    b.append(verdict("threads", base.threads(), last.threads(), "", 1));
    b.append(verdict("open fds", base.fds(), last.fds(), "", 1));
    b.append(verdict("bundle class loaders", base.bundleLoaders(), last.bundleLoaders(), "", 1));
    b.append(verdict("loaders of uninstalled bundles", base.staleLoaders(), last.staleLoaders(), "", 1));
    b.append(verdict("Bundle objects of uninstalled bundles", base.staleBundles(), last.staleBundles(), "", 1));
    // What grew in the heap over the window: the class histogram's largest differences in bytes.
    List<String> names = new ArrayList<>(last.histogram().keySet());
    java.util.function.ToLongFunction<String> grew = n -> last.histogram().get(n)[1] - base.histogram().getOrDefault(n, new long[2])[1];
    names.sort(java.util.Comparator.comparingLong(grew).reversed());
    b.append(String.format(Locale.ROOT, "%nThe class histogram's largest growths over the same cycles (after a full GC):%n%n"));
    b.append("| class | instances | bytes |\n|---|---:|---:|\n");
    for (String n : names.subList(0, Math.min(15, names.size()))) {
      long[] now = last.histogram().get(n);
      long[] then = base.histogram().getOrDefault(n, new long[2]);
      b.append(String.format(Locale.ROOT, "| `%s` | %+d | %+d |%n", n, now[0] - then[0], now[1] - then[1]));
    }
    return b.toString();
  }

  static String verdict(String what, long from, long to, String unit, double scale) {
    double growth = from == 0 ? (to == 0 ? 0 : Double.POSITIVE_INFINITY) : 100.0 * (to - from) / from;
    String v = growth <= 1.0 ? "flat" : "GROWS";
    String fmt = scale == 1 ? "%.0f" : "%.1f";
    return String.format(Locale.ROOT, "- %s: " + fmt + " → " + fmt + "%s (%s): **%s**%n", what, from / scale, to / scale,
        unit.isEmpty() ? "" : " " + unit, Double.isInfinite(growth) ? "from 0" : String.format(Locale.ROOT, "%+.2f%%", growth), v);
  }

  static String human(long ms) {
    Duration d = Duration.ofMillis(ms);
    return d.toHours() > 0 ? String.format(Locale.ROOT, "%dh%02dm%02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
        : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }
}
