package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What bounds a running instance against input that does not end: the control socket's connections
 * and read deadline, the size of a manifest in deploy/, console.log, a handler that blocks Event
 * Admin. Each test sets what it needs in etc/ and starts the instance anew.
 */
class LimitsIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Starts afresh with these lines added to etc/config.properties. */
  private static long restartWith(String... properties) throws IOException {
    dist.ensureStopped();
    Path config = dist.home().resolve("etc/config.properties");
    Files.writeString(config, "\n" + String.join("\n", properties) + "\n", StandardOpenOption.APPEND);
    return dist.start();
  }

  /** The file's text, or "" while it is not there. */
  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException notYet) {
      return "";
    }
  }

  private static int threads(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring("Threads:".length()).strip());
      }
    }
    throw new AssertionError("no Threads: line for " + pid);
  }

  @Test
  void idleConnectionsToTheControlSocketAreBoundedAnsweredBusyAndClosedAtTheirDeadline() throws Exception {
    long pid = restartWith("dockevos.control.readTimeoutMillis=3000");
    dist.ok("lb"); // the client's own connection has come and gone
    int before = threads(pid);
    Path socket = dist.data().resolve("dockevos.sock");
    List<SocketChannel> idle = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < 500; i++) {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ, new StringBuilder());
        idle.add(c); // sends nothing: not even the start of a command
      }
      // Every connection is answered (busy) or closed (its deadline passed); count what each got.
      Map<String, Integer> answers = new HashMap<>();
      int maxThreads = threads(pid);
      long end = System.nanoTime() + WAIT.toNanos();
      ByteBuffer buffer = ByteBuffer.allocate(4096);
      while (!selector.keys().isEmpty() && System.nanoTime() < end) {
        selector.select(200);
        maxThreads = Math.max(maxThreads, threads(pid));
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel c = (SocketChannel) key.channel();
          StringBuilder got = (StringBuilder) key.attachment();
          buffer.clear();
          int n;
          try {
            n = c.read(buffer);
          } catch (IOException reset) {
            n = -1;
          }
          if (n > 0) {
            got.append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
          } else if (n < 0) {
            key.cancel();
            c.close();
            answers.merge(got.toString().contains("busy") ? "busy" : got.length() == 0 ? "closed" : got.toString(), 1,
                Integer::sum);
          }
        }
        selector.selectedKeys().clear();
      }
      assertTrue(selector.keys().isEmpty(), "every idle connection was answered or closed within " + WAIT.toSeconds()
          + " s: " + answers + ", " + selector.keys().size() + " still open");
      assertEquals(16, answers.getOrDefault("closed", 0), "16 connections at once (the default), closed at their"
          + " read deadline: " + answers);
      assertEquals(484, answers.getOrDefault("busy", 0), "the others are told the runtime is busy: " + answers);
      assertTrue(maxThreads <= before + 16 + 4, "at most one thread a connection, 16 connections: " + before + " threads"
          + " before, " + maxThreads + " at most with 500 idle connections");
    } finally {
      for (SocketChannel c : idle) {
        c.close();
      }
    }
    // The instance still answers.
    Result lb = dist.ok("lb");
    assertTrue(lb.out().contains("System Bundle"), lb::toString);
    assertTrue(dist.logText().contains("control socket: busy"), "the log says so");
  }

  /** A bundle whose manifest is {@code bytes} long: a real header block, then padding headers. */
  private static Path hugeManifestJar(Path dir, long bytes) throws IOException {
    Path jar = dir.resolve("huge-manifest.jar");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("META-INF/MANIFEST.MF"));
      StringBuilder m = new StringBuilder("Manifest-Version: 1.0\r\nBundle-ManifestVersion: 2\r\n"
          + "Bundle-SymbolicName: io.dockevos.test.hugemanifest\r\nBundle-Version: 1.0.0\r\n");
      long written = 0;
      for (int i = 0; written < bytes; i++) {
        m.append("X-Padding-").append(i).append(": ").append("p".repeat(50)).append("\r\n");
        if (m.length() > 1 << 20) {
          byte[] b = m.toString().getBytes(StandardCharsets.UTF_8);
          zip.write(b);
          written += b.length;
          m.setLength(0);
        }
      }
      zip.write(m.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return jar;
  }

  @Test
  void aManifestOverItsLimitIsRefusedNamingTheFileAndTheFolderIsStillWatched() throws Exception {
    dist.ensureStopped();
    // A small heap, as on a small machine: a 47 MB manifest read whole ran it out of memory.
    dist.start(Map.of("JAVA_OPTS", "-Xmx128m"));
    Path tmp = Files.createDirectories(dist.root().resolve("huge"));
    Path jar = hugeManifestJar(tmp, 47L << 20);
    Files.move(jar, dist.deploy().resolve("huge-manifest.jar"));
    Path marker = dist.deploy().resolve("huge-manifest.jar.failed");
    String reason = Await.until("deploy/huge-manifest.jar.failed", WAIT, () -> read(marker), r -> !r.isEmpty());
    assertTrue(reason.contains("huge-manifest.jar"), reason);
    assertTrue(reason.matches("(?s).*has a manifest \\(META-INF/MANIFEST.MF\\) of 4\\d{7} bytes, over the limit of 2097152"
        + " bytes \\(maxManifestBytes of the configuration dockevos.deploy\\).*"), reason);
    // The folder is still watched and scanned: the next bundle is installed and started.
    Files.copy(io.dockevos.test.tiny.TinyBundles.copyTo(io.dockevos.test.tiny.TinyBundles.GOOD_1, tmp),
        dist.deploy().resolve("good.jar"));
    Await.until("the good bundle is ACTIVE", WAIT, () -> dist.bundles(),
        rows -> rows.stream().anyMatch(b -> b.symbolicName().equals("io.dockevos.test.good") && b.active()));
    assertTrue(dist.bundles().stream().noneMatch(b -> b.symbolicName().equals("io.dockevos.test.hugemanifest")));
    assertTrue(!dist.logText().contains("OutOfMemoryError"), "no OutOfMemoryError in the log");
    dist.assertBootBundlesActive();
  }

  @Test
  void consoleLogIsRotatedWhenItPassesItsLimit() throws Exception {
    dist.ensureStopped();
    Path console = dist.data().resolve("log/console.log");
    Path old = dist.data().resolve("log/console.log.1");
    Files.deleteIfExists(old);
    dist.start(Map.of("JAVA_OPTS", "-Ddockevos.console.maxBytes=65536"));
    Path tmp = Files.createDirectories(dist.root().resolve("prints"));
    // Prints 400 KB to standard output and error, from a thread of its own: into console.log.
    Files.copy(io.dockevos.test.tiny.TinyBundles.copyTo(io.dockevos.test.tiny.TinyBundles.PRINTS, tmp),
        dist.deploy().resolve("prints.jar"));
    Await.until("the bundle has printed", WAIT, () -> read(console).contains("prints: done")
        || read(old).contains("prints: done"));
    assertTrue(Files.exists(old), "console.log was rotated into console.log.1");
    assertTrue(Files.size(console) <= 65536 + 200, "console.log is within its limit: " + Files.size(console));
    assertTrue(Files.size(old) <= 65536 + 200, "and so is console.log.1: " + Files.size(old));
    String both = read(old) + read(console);
    assertTrue(both.contains("prints out   1999") && both.contains("prints err   1999"), "the newest lines are kept");
    assertEquals(0, dist.client("lb").exit(), "the runtime runs on");
  }

  @Test
  void aBlockingEventHandlerOfAPluginIsDeniedAndBecomesAnIncident() throws Exception {
    dist.ensureStarted();
    Path tmp = Files.createDirectories(dist.root().resolve("slow"));
    Result installed = dist.ok("plugin:install " + io.dockevos.test.tiny.TinyBundles.copyTo(
        io.dockevos.test.tiny.TinyBundles.SLOW_HANDLER, tmp));
    assertTrue(installed.out().contains("io.dockevos.test.slowhandler"), installed::toString);
    // The handler blocks on its second event (8 s): Event Admin times it (5 s by default) and denies
    // it; that send waits for the handler to return, the next ones no longer deliver to it.
    Result sent = dist.ok("slow:send 4");
    assertEquals("2", dist.ok("slow:count").out().strip(), "the handler got two events, not four: " + sent);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("sent 4 in ms: \\[(\\d+), (\\d+), (\\d+), (\\d+)\\]")
        .matcher(sent.out());
    assertTrue(m.find(), sent::toString);
    assertTrue(Long.parseLong(m.group(3)) < 1000 && Long.parseLong(m.group(4)) < 1000,
        "after the denial a send no longer waits for the handler: " + sent.out());
    Result incidents = Await.until("an incident for the slow handler", WAIT, () -> dist.ok("error:list"),
        r -> r.out().lines().anyMatch(l -> l.contains("io.dockevos.test.slowhandler") && l.contains("event handler")));
    String line = incidents.out().lines().filter(l -> l.contains("io.dockevos.test.slowhandler")).findFirst().orElseThrow();
    assertTrue(line.contains("io.dockevos.test.slowhandler.SlowHandlerActivator$SlowHandler"), line);
    assertTrue(line.contains("longer than 5000 ms"), line);
    // The runtime's own handlers are not timed: the error handler keeps getting events.
    dist.ok("error:report --plugin io.dockevos.test.limits 'reported after the denial'");
    Await.until("the runtime still records incidents", WAIT, () -> dist.ok("error:list").out().contains("reported after the denial"));
  }
}
