package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code plugin:install URL} and {@code external:install URL} of an external plugin's archive (issue
 * 14), with a real {@code bin/dockevos}, a real HTTP server on the loopback and the real example
 * {@code examples/hello-python}: the download the bundle plugins' URLs go through (its SHA-256
 * known, plain http: only with --insecure), then the plugin's tool called. Every bad download is
 * refused with an error naming the URL and the cause; nothing is installed and the runtime stays up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalPluginUrlsIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path HELLO = Path.of(System.getProperty("user.dir")).resolve("../../examples/hello-python")
      .normalize();
  /** What the server serves, by path. */
  private static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();
  private static HttpServer server;
  private static String base;

  @BeforeAll
  static void serveAndStart() throws Exception {
    Path work = Files.createDirectories(dist.root().resolve("served"));
    Path tgz = work.resolve("hello-python.tar.gz");
    Result tar = dist.exec(work, WAIT, Map.of(), List.of("tar", "-czf", tgz.toString(), "-C", HELLO.getParent()
        .toString(), "hello-python"));
    assertEquals(0, tar.exit(), tar::toString);
    FILES.put("/hello-python.tar.gz", Files.readAllBytes(tgz));
    // Its next version, 1.1.0.
    Path next = Files.createDirectories(work.resolve("next/hello-python"));
    Files.copy(HELLO.resolve("server.py"), next.resolve("server.py"));
    Files.writeString(next.resolve("plugin.yaml"), Files.readString(HELLO.resolve("plugin.yaml"))
        .replace("version: \"1.0.0\"", "version: \"1.1.0\""));
    Path nextTgz = work.resolve("hello-python-1.1.0.tar.gz");
    tar = dist.exec(work, WAIT, Map.of(), List.of("tar", "-czf", nextTgz.toString(), "-C", next.getParent().toString(),
        "hello-python"));
    assertEquals(0, tar.exit(), tar::toString);
    FILES.put("/hello-python-1.1.0.tar.gz", Files.readAllBytes(nextTgz));
    // A zip as Python's zipfile writes it: the execute bit of server.py is kept.
    Path zip = work.resolve("hello-python.zip");
    Result zipped = dist.exec(HELLO, WAIT, Map.of(), List.of("python3", "-m", "zipfile", "-c", zip.toString(),
        "plugin.yaml", "server.py"));
    assertEquals(0, zipped.exit(), zipped::toString);
    FILES.put("/hello-python.zip", Files.readAllBytes(zip));
    FILES.put("/page.zip", "<html><body>Please log in</body></html>\n".getBytes(StandardCharsets.UTF_8));
    FILES.put("/nothing.zip", zip(Map.of("README.txt", "no plugin here\n")));
    FILES.put("/slip.zip", zip(Map.of("plugin.yaml", "name: slip\nversion: \"1.0.0\"\ncommand: x\n",
        "../../../evil.txt", "owned")));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ExternalPluginUrlsIT::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    dist.start();
    Result r = dist.ok("feature:install dockevos-external");
    assertTrue(r.out().contains("Installed feature dockevos-external"), r::toString);
  }

  @AfterAll
  static void stop() {
    dist.ensureStopped();
    if (server != null) {
      server.stop(0);
    }
  }

  private static void handle(HttpExchange ex) throws IOException {
    byte[] body = FILES.get(ex.getRequestURI().getPath());
    try (ex) {
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] zip(Map<String, String> entries) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(entries).entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toByteArray();
  }

  private static String sha256(String path) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(FILES.get(path)));
  }

  private static String externalList() {
    return dist.ok("external:list").out();
  }

  @Test
  @Order(1)
  void pluginInstallOfAUrlDownloadsTheArchiveAndRunsThePlugin() throws Exception {
    String url = base + "/hello-python.tar.gz";
    // As for a bundle plugin's URL: a download is taken only when its SHA-256 is known, plain http: only when asked.
    Result unvouched = dist.fails("plugin:install --grant --insecure " + url);
    assertTrue(unvouched.err().contains("Cannot install " + url + ": a download is installed only when its SHA-256 is"
        + " known: give --sha256=HEX"), unvouched::toString);
    Result wrong = dist.fails("plugin:install --grant --insecure --sha256=" + "0".repeat(64) + " " + url);
    assertTrue(wrong.err().contains("Cannot install " + url + ": its SHA-256 is " + sha256("/hello-python.tar.gz")
        + ", not " + "0".repeat(64) + " as --sha256 says; the download was deleted"), wrong::toString);
    Result planned = dist.fails("plugin:install --dry-run --grant --insecure --sha256=" + sha256("/hello-python.tar.gz")
        + " " + url);
    assertTrue(planned.err().contains("plugin:install --dry-run plans bundle plugins only, and " + url + " is an external"
        + " plugin (it holds a plugin.yaml); install it without --dry-run"), planned::toString);
    assertFalse(externalList().contains("hello-python"), "nothing was installed");

    Result r = dist.ok("plugin:install --grant --insecure --sha256=" + sha256("/hello-python.tar.gz") + " " + url);
    assertTrue(r.out().startsWith("Installed external plugin hello-python 1.0.0 from " + url + ": ACTIVE (pid "),
        r::toString);
    assertEquals("Hello, Ada!", dist.ok("hello-python:greet name=Ada").out().strip());
    assertTrue(dist.ok("plugin:list").out().lines().anyMatch(l -> l.matches("hello-python +\\| 1\\.0\\.0 +\\| external"
        + " \\| ACTIVE .*")));
    try (var left = Files.list(dist.data().resolve("plugins/downloads"))) {
      assertEquals(List.of(), left.toList(), "the download is deleted once installed");
    }
    assertEquals("Uninstalled external plugin hello-python", dist.ok("plugin:uninstall hello-python").out().strip());
  }

  @Test
  @Order(2)
  void externalInstallOfAUrlPinnedByItsFragment() throws Exception {
    String url = base + "/hello-python.zip#sha256=" + sha256("/hello-python.zip");
    Result plain = dist.fails("external:install --grant " + url);
    assertTrue(plain.err().contains("Cannot install " + url + ": http: is not secure") && plain.err()
        .contains("give --insecure"), plain::toString);
    Result r = dist.ok("external:install --grant --insecure " + url);
    assertTrue(r.out().startsWith("Installed external plugin hello-python 1.0.0: ACTIVE (pid "), r::toString);
    assertEquals("Hello, Bob!", dist.ok("hello-python:greet name=Bob").out().strip());
    try (var left = Files.list(dist.data().resolve("external/.downloads"))) {
      assertEquals(List.of(), left.toList(), "the download is deleted once installed");
    }
    dist.ok("external:uninstall hello-python");
  }

  /** plugin:update and external:update take a URL too; a bad one leaves the running version as it is. */
  @Test
  @Order(3)
  void anUpdateFromAUrl() throws Exception {
    String v1 = base + "/hello-python.tar.gz";
    dist.ok("plugin:install --grant --insecure --sha256=" + sha256("/hello-python.tar.gz") + " " + v1);
    String v11 = base + "/hello-python-1.1.0.tar.gz";
    Result r = dist.ok("plugin:update --insecure --sha256=" + sha256("/hello-python-1.1.0.tar.gz") + " hello-python "
        + v11);
    assertTrue(r.out().startsWith("Updated external plugin hello-python to 1.1.0: ACTIVE (pid "), r::toString);
    assertEquals("Hello, Ada!", dist.ok("hello-python:greet name=Ada").out().strip());

    Result gone = dist.fails("external:update --insecure --sha256=" + "0".repeat(64) + " hello-python " + base
        + "/hello-python-2.0.0.tar.gz");
    assertTrue(gone.err().contains("Cannot install " + base + "/hello-python-2.0.0.tar.gz: the server answered HTTP 404"),
        gone::toString);
    Result back = dist.ok("external:update --insecure hello-python " + v1 + "#sha256=" + sha256("/hello-python.tar.gz"));
    assertTrue(back.out().startsWith("Updated external plugin hello-python to 1.0.0: ACTIVE (pid "), back::toString);
    assertTrue(dist.ok("external:info hello-python").out().contains("Version:     1.0.0"));
    dist.ok("external:uninstall hello-python");
  }

  /** Each bad URL: an error naming it and the cause, nothing installed, the runtime up. */
  @Test
  @Order(4)
  void aBadDownloadIsRefusedNamingTheUrlAndTheCause() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String any = " --sha256=" + "0".repeat(64) + " ";
    for (String command : List.of("plugin:install", "external:install")) {
      String unreachable = "http://127.0.0.1:" + closed + "/hello-python.zip";
      Result r = dist.fails(command + " --grant --insecure" + any + unreachable);
      assertTrue(r.err().contains("Cannot install " + unreachable + ": the connection was refused"), r::toString);

      r = dist.fails(command + " --grant --insecure" + any + base + "/gone.zip");
      assertTrue(r.err().contains("Cannot install " + base + "/gone.zip: the server answered HTTP 404"), r::toString);

      r = dist.fails(command + " --grant --insecure --sha256=" + sha256("/page.zip") + " " + base + "/page.zip");
      System.out.println(command + " of a page that is no archive: " + r.err().strip());
      assertTrue(r.err().contains(base + "/page.zip") && r.err().contains(".zip or .tar.gz"), r::toString);

      r = dist.fails(command + " --grant --insecure --sha256=" + sha256("/nothing.zip") + " " + base + "/nothing.zip");
      System.out.println(command + " of an archive without plugin.yaml: " + r.err().strip());
      assertTrue(r.err().contains(base + "/nothing.zip") && r.err().contains("no plugin.yaml"), r::toString);

      r = dist.fails(command + " --grant --insecure --sha256=" + sha256("/slip.zip") + " " + base + "/slip.zip");
      assertTrue(r.err().contains("Cannot install " + base + "/slip.zip: its entry '../../../evil.txt' would be"
          + " written outside the folder it unpacks into (a zip slip); the archive is refused"), r::toString);
    }
    assertTrue(Distribution.tree(dist.root()).stream().noneMatch(p -> p.getFileName().toString().equals("evil.txt")),
        "nothing was written outside");
    assertFalse(externalList().contains("slip"), "nothing was installed");
    assertEquals(List.of(), Files.list(dist.data().resolve("external/.downloads")).toList(), "no download is left");
    assertTrue(dist.running(), "the runtime stays up");
  }
}
