package io.dockevos.plugin.maven.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.dockevos.plugin.PluginException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Maven Resolver against a local repository in a temporary folder and a real HTTP server
 * on the loopback interface.
 */
class MavenArtifactResolverTest {
  private static final byte[] JAR = "the bytes of a jar".getBytes(StandardCharsets.UTF_8);
  private static MavenArtifactResolver resolver;

  @TempDir Path local;
  private HttpServer server;
  /** What the server serves, by path below /repo/. */
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  /** Every path asked for. */
  private final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
  private String url;

  @BeforeAll
  static void setUp() {
    resolver = new MavenArtifactResolver();
  }

  @AfterAll
  static void tearDown() {
    resolver.close();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/repo/", exchange -> {
      String path = exchange.getRequestURI().getPath().substring("/repo/".length());
      asked.add(exchange.getRequestMethod() + " " + path);
      byte[] body = served.get(path);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          if (!exchange.getRequestMethod().equals("HEAD")) {
            out.write(body);
          }
        }
      }
      exchange.close();
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/repo/";
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void serve(String path, byte[] body) {
    served.put(path, body);
    served.put(path + ".sha1", sha1(body).getBytes(StandardCharsets.US_ASCII));
  }

  private static String sha1(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private MavenSettings settings(boolean offline, String... repositories) {
    // The test servers speak plain http: on the loopback interface, which the ids test and down accept.
    return MavenSettings.of(local.toString(), repositories, new String[] {"test", "down"}, offline,
        System::getProperty, local);
  }

  private Path resolve(String source, MavenSettings settings) throws PluginException {
    return resolver.resolve(source, MavenCoordinates.parse(source), settings);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aJarInTheLocalRepositoryIsUsedWithoutAskingAnyRemote() throws Exception {
    Path jar = local.resolve("io/dockevos/test/good/1.0.0/good-1.0.0.jar");
    Files.createDirectories(jar.getParent());
    Files.write(jar, JAR);
    Path resolved = resolve("mvn:io.dockevos.test/good/1.0.0", settings(false, "test=" + url));
    assertEquals(jar, resolved);
    assertEquals(List.of(), asked, "the local repository comes first");
  }

  @Test
  void aClassifierAndATypeNameTheFile() throws Exception {
    Path zip = local.resolve("org/example/dist/2.0/dist-2.0-bin.zip");
    Files.createDirectories(zip.getParent());
    Files.write(zip, JAR);
    assertEquals(zip, resolve("mvn:org.example/dist/2.0/zip/bin", settings(true)));
  }

  @Test
  void aRemoteArtifactIsDownloadedIntoTheLocalRepositoryAndServedFromThereNextTime() throws Exception {
    serve("io/dockevos/test/good/2.0.0/good-2.0.0.jar", JAR);
    serve("io/dockevos/test/good/2.0.0/good-2.0.0.pom", "<project/>".getBytes(StandardCharsets.UTF_8));
    Path resolved = resolve("mvn:io.dockevos.test/good/2.0.0", settings(false, "test=" + url));
    assertEquals(local.resolve("io/dockevos/test/good/2.0.0/good-2.0.0.jar"), resolved);
    assertArrayEquals(JAR, Files.readAllBytes(resolved));
    assertTrue(asked.contains("GET io/dockevos/test/good/2.0.0/good-2.0.0.jar"), asked::toString);

    server.stop(0);
    assertEquals(resolved, resolve("mvn:io.dockevos.test/good/2.0.0", settings(false, "test=" + url)),
        "the second time, the local copy is used");
  }

  @Test
  void aMissingArtifactNamesTheCoordinatesAndEveryRepositoryWithItsAnswer() throws Exception {
    int closed = closedPort();
    String down = "http://127.0.0.1:" + closed + "/maven/";
    long begin = System.nanoTime();
    PluginException e = assertThrows(PluginException.class,
        () -> resolve("mvn:io.dockevos.test/absent/1.0.0", settings(false, "test=" + url + ",down=" + down)));
    long millis = (System.nanoTime() - begin) / 1_000_000;
    assertEquals("Cannot resolve mvn:io.dockevos.test/absent/1.0.0: io.dockevos.test:absent:jar:1.0.0 is in none of "
        + "the repositories tried:\n"
        + "  - local repository " + local + ": not there\n"
        + "  - remote test (" + url + "): not found\n"
        + "  - remote down (" + down + "): the connection was refused", e.getMessage());
    assertTrue(asked.contains("GET io/dockevos/test/absent/1.0.0/absent-1.0.0.jar"), asked::toString);
    assertTrue(millis < 10_000, "an unreachable repository fails fast, not after " + millis + " ms");
  }

  @Test
  void withoutRemotesTheMessageSaysWhereToConfigureThem() {
    PluginException e = assertThrows(PluginException.class,
        () -> resolve("mvn:io.dockevos.test/absent/1.0.0/jar/tests", settings(false)));
    assertEquals("Cannot resolve mvn:io.dockevos.test/absent/1.0.0/jar/tests: io.dockevos.test:absent:jar:tests:1.0.0 "
        + "is in none of the repositories tried:\n"
        + "  - local repository " + local + ": not there\n"
        + "  - no remote repository is configured (repositories in etc/dockevos.maven.cfg)", e.getMessage());
  }

  @Test
  void offlineNeverAsksARemote() throws Exception {
    serve("io/dockevos/test/good/2.0.0/good-2.0.0.jar", JAR);
    PluginException e = assertThrows(PluginException.class,
        () -> resolve("mvn:io.dockevos.test/good/2.0.0", settings(true, "test=" + url)));
    assertTrue(e.getMessage().endsWith("\n  - remote test (" + url + "): not tried, offline is set"), e::getMessage);
    assertEquals(List.of(), asked);
  }

  @Test
  void aServerErrorIsNamedWithItsStatus() throws Exception {
    server.removeContext("/repo/");
    server.createContext("/repo/", exchange -> {
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    PluginException e = assertThrows(PluginException.class,
        () -> resolve("mvn:io.dockevos.test/good/2.0.0", settings(false, "test=" + url)));
    assertTrue(e.getMessage().endsWith("\n  - remote test (" + url + "): the server answered HTTP 500"),
        e::getMessage);
  }

  @Test
  void anInvalidConfigurationFailsWithWhatIsWrong() {
    PluginException e = assertThrows(PluginException.class,
        () -> resolve("mvn:io.dockevos.test/good/2.0.0", settings(false, "just-a-url")));
    assertEquals("Cannot resolve mvn:io.dockevos.test/good/2.0.0: the configuration dockevos.maven "
        + "(etc/dockevos.maven.cfg) is not valid: the repositories entry 'just-a-url' is not id=url "
        + "(for example releases=https://maven.example.org/releases)", e.getMessage());
  }

  @Test
  void aWrongChecksumFailsTheResolutionAndKeepsNothing() {
    served.put("io/dockevos/test/good/2.0.0/good-2.0.0.jar", JAR);
    served.put("io/dockevos/test/good/2.0.0/good-2.0.0.jar.sha1", sha1("other bytes".getBytes(StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.US_ASCII));
    PluginException e = assertThrows(PluginException.class,
        () -> resolve("mvn:io.dockevos.test/good/2.0.0", settings(false, "test=" + url)));
    assertTrue(e.getMessage().contains("remote test (" + url + "): ") && e.getMessage().toLowerCase().contains("checksum"),
        e::getMessage);
    assertTrue(!Files.exists(local.resolve("io/dockevos/test/good/2.0.0/good-2.0.0.jar")),
        "the jar whose checksum is wrong is not kept in the local repository");
  }

  @Test
  void aMissingChecksumFailsTheResolutionToo() {
    served.put("io/dockevos/test/good/2.0.0/good-2.0.0.jar", JAR);
    PluginException e = assertThrows(PluginException.class,
        () -> resolve("mvn:io.dockevos.test/good/2.0.0", settings(false, "test=" + url)));
    assertTrue(e.getMessage().endsWith("\n  - remote test (" + url + "): Checksum validation failed, no checksums"
        + " available"), e::getMessage);
    assertTrue(!Files.exists(local.resolve("io/dockevos/test/good/2.0.0/good-2.0.0.jar")));
  }

  @Test
  void aPlainHttpRemoteIsRefusedUnlessItsIdIsListedAsInsecure() {
    MavenSettings s = MavenSettings.of(local.toString(), new String[] {"test=" + url}, new String[0], false,
        System::getProperty, local);
    PluginException e = assertThrows(PluginException.class, () -> resolve("mvn:io.dockevos.test/good/2.0.0", s));
    assertTrue(e.getMessage().contains("the URL of repository test, '" + url + "', is http: and http: is not secure")
        && e.getMessage().contains("insecure = test"), e::getMessage);
    assertEquals(List.of(), asked, "nothing is asked of it");
  }
}
