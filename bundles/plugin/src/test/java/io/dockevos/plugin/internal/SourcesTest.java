package io.dockevos.plugin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.dockevos.common.internal.Downloads;
import io.dockevos.plugin.PluginException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a source may come from, what it must be, and the checks of its jar; downloads from a loopback server. */
class SourcesTest {
  @TempDir Path home;
  private Path downloads;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private byte[] jar;
  private String base;
  /** What the fake repository offers, by URL. */
  private Map<String, Sources.Offered> offers = Map.of();
  private Sources sources;

  @BeforeEach
  void setUp() throws IOException {
    downloads = home.resolve("data/plugins/downloads");
    jar = Files.readAllBytes(bundle(home.resolve("good.jar"), "com.example.good"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/good.jar", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, jar.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(jar);
      }
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    sources = new Sources(home, downloads, scheme -> null, url -> offers.get(url), () -> Downloads.Limits.DEFAULT);
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static Path bundle(Path file, String symbolicName) throws IOException {
    Manifest mf = new Manifest();
    Attributes main = mf.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", symbolicName + ";singleton:=true");
    main.putValue("Bundle-Version", "1.0.0");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), mf)) {
      out.flush();
    }
    return file;
  }

  private String sha256() throws IOException {
    return Downloads.sha256(home.resolve("good.jar"));
  }

  private PluginException fails(String source, Map<String, Sources.Vouch> vouches) {
    try (Sources.Scope scope = sources.vouch(vouches)) {
      return assertThrows(PluginException.class, () -> sources.fetch(source).discard());
    }
  }

  private List<Path> leftInDownloads() throws IOException {
    if (!Files.isDirectory(downloads)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(downloads)) {
      return files.toList();
    }
  }

  // ---- the jar's symbolic name ------------------------------------------------------------------

  @Test
  void aSymbolicNameOutsideTheOsgiGrammarIsRefusedNamingTheSourceAndTheHeader() throws Exception {
    Path escaping = bundle(home.resolve("escaping.jar"), "../../x/victim");
    PluginException e = assertThrows(PluginException.class, () -> Sources.check(escaping, "escaping.jar"));
    assertEquals("Cannot install escaping.jar: its manifest's Bundle-SymbolicName '../../x/victim' is not a valid"
        + " symbolic name (words of letters, digits, '_' and '-' joined by single dots, such as com.example.plugin)",
        e.getMessage());
    assertEquals("com.example.good", Sources.check(home.resolve("good.jar"), "good.jar").symbolicName());
  }

  // ---- local files (issue 17, rows 6-8) -----------------------------------------------------------

  @Test
  void aLocalSourceThatIsNotARegularFileIsNamedForWhatItIs() throws IOException {
    Path dir = Files.createDirectories(home.resolve("folder.jar"));
    assertEquals("Cannot install folder.jar: " + dir + " is a directory, not a regular file",
        fails("folder.jar", Map.of()).getMessage());
    assertEquals("Cannot install /dev/null: /dev/null is a character device, not a regular file",
        fails("/dev/null", Map.of()).getMessage());
    assertEquals("Cannot install file:///dev/zero: /dev/zero is a character device, not a regular file",
        fails("file:///dev/zero", Map.of()).getMessage());
    assertTrue(fails("missing.jar", Map.of()).getMessage().startsWith("Cannot install missing.jar: there is no file "
        + home.resolve("missing.jar") + " (a relative path is read from the dockevOS home"));
  }

  @Test
  void aFileUrlWithAHostIsRefusedNamingTheInput() {
    assertEquals("Cannot install file://127.0.0.1/x.jar: a file: URL names a file on this machine and takes no host"
        + " ('127.0.0.1'); write file:///PATH, for example file:///x.jar, or the path itself",
        fails("file://127.0.0.1/x.jar", Map.of()).getMessage());
  }

  @Test
  void aSha256GivenForAFileIsCheckedToo() throws IOException {
    PluginException e = fails("good.jar", Map.of("good.jar", new Sources.Vouch("00".repeat(32), false)));
    assertTrue(e.getMessage().contains("its SHA-256 is " + sha256() + ", not " + "00".repeat(32) + " as --sha256 says"),
        e.getMessage());
    try (Sources.Scope scope = sources.vouch(Map.of("good.jar", new Sources.Vouch(sha256().toUpperCase(), false)))) {
      assertEquals(home.resolve("good.jar"), sources.fetch("good.jar").file());
    } catch (PluginException x) {
      throw new AssertionError(x);
    }
    assertTrue(Files.exists(home.resolve("good.jar")), "a file that fails its check is not deleted: it is the user's");
  }

  // ---- URLs (issue 12) ----------------------------------------------------------------------------

  @Test
  void plainHttpNeedsInsecureAndAUrlNeedsItsSha256() throws Exception {
    String url = base + "good.jar";
    PluginException insecure = fails(url, Map.of(url, new Sources.Vouch(sha256(), false)));
    assertEquals("Cannot install " + url + ": http: is not secure: anyone on the way can read and change what the"
        + " server sends; use https:, or give --insecure to install it over http: anyway", insecure.getMessage());
    PluginException unknown = fails(url, Map.of(url, new Sources.Vouch(null, true)));
    assertTrue(unknown.getMessage().startsWith("Cannot install " + url + ": a download is installed only when its"
        + " SHA-256 is known: give --sha256=HEX"), unknown.getMessage());
    assertEquals(0, requests.get(), "refused before anything is asked of the server");

    try (Sources.Scope scope = sources.vouch(Map.of(url, new Sources.Vouch(sha256(), true)))) {
      Sources.Fetched f = sources.fetch(url);
      assertEquals(sha256(), Downloads.sha256(f.file()));
      f.discard();
    }
    assertEquals(List.of(), leftInDownloads());
    // The vouch ends with its scope.
    assertTrue(fails(url, Map.of()).getMessage().contains("http: is not secure"));
  }

  @Test
  void aWrongSha256IsRefusedAndTheDownloadDeleted() throws IOException {
    String url = base + "good.jar";
    String wrong = "ab".repeat(32);
    PluginException e = fails(url, Map.of(url, new Sources.Vouch(wrong, true)));
    assertEquals("Cannot install " + url + ": its SHA-256 is " + sha256() + ", not " + wrong + " as --sha256 says;"
        + " the download was deleted. Nothing was installed.", e.getMessage());
    assertEquals(List.of(), leftInDownloads());
  }

  @Test
  void aUrlARegisteredIndexOffersNeedsNoVouchAndIsCheckedAgainstItsDigest() throws Exception {
    String url = base + "good.jar";
    offers = Map.of(url, new Sources.Offered("'trusted'", sha256(), false));
    Sources.Fetched f = sources.fetch(url);
    f.discard();
    String wrong = "cd".repeat(32);
    offers = Map.of(url, new Sources.Offered("'lying'", wrong, false));
    PluginException e = fails(url, Map.of());
    assertEquals("Cannot install " + url + ": its SHA-256 is " + sha256() + ", not " + wrong + " as the index 'lying'"
        + " says; the download was deleted. Nothing was installed.", e.getMessage());
    // An index registered over https: or from a file, without a digest, does not make plain http: safe.
    offers = Map.of(url, new Sources.Offered("'nodigest'", null, false));
    assertTrue(fails(url, Map.of()).getMessage().contains("http: is not secure"));
    assertEquals(List.of(), leftInDownloads());
  }

  @Test
  void aProgramPinsTheSha256AsTheUrlsFragment() throws Exception {
    String url = base + "good.jar";
    try (Sources.Scope scope = sources.vouch(Map.of(url + "#sha256=" + sha256(), new Sources.Vouch(null, true)))) {
      sources.fetch(url + "#sha256=" + sha256()).discard();
    }
    String wrong = "ef".repeat(32);
    String pinnedWrong = url + "#sha256=" + wrong;
    PluginException e = fails(pinnedWrong, Map.of(pinnedWrong, new Sources.Vouch(null, true)));
    assertEquals("Cannot install " + pinnedWrong + ": its SHA-256 is " + sha256() + ", not " + wrong + " as the URL's"
        + " #sha256= says; the download was deleted. Nothing was installed.", e.getMessage());
    String odd = url + "#top";
    assertTrue(fails(odd, Map.of(odd, new Sources.Vouch(null, true))).getMessage().contains(
        "the URL's fragment '#top' is not #sha256=HEX"));
    // Plain http: still needs the user's --insecure.
    assertTrue(fails(url + "#sha256=" + sha256(), Map.of()).getMessage().contains("http: is not secure"));
    assertEquals(List.of(), leftInDownloads());
  }
}
