package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real downloads from an HTTP server on the loopback interface, with small limits. */
class DownloadsTest {
  private static final byte[] BODY = "the bytes of a jar".getBytes(StandardCharsets.UTF_8);
  /** 1 MiB, 1 s without a byte, 3 s in all, 2 s to connect. */
  private static final Downloads.Limits SMALL = new Downloads.Limits(1 << 20, Duration.ofSeconds(3),
      Duration.ofSeconds(1), Duration.ofSeconds(2));
  /** What a server that never ends sends at most. */
  private static final long CAP = 16L << 20;

  @TempDir Path dir;
  private HttpServer server;
  private final CountDownLatch over = new CountDownLatch(1);

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      try (exchange; OutputStream out = exchange.getResponseBody()) {
        switch (path) {
          case "/jar" -> {
            exchange.sendResponseHeaders(200, BODY.length);
            out.write(BODY);
          }
          case "/silent" -> {
            exchange.sendResponseHeaders(200, 1000);
            out.flush();
            over.await(30, TimeUnit.SECONDS);
          }
          case "/drip" -> {
            exchange.sendResponseHeaders(200, 1000);
            for (int i = 0; i < 100 && over.getCount() > 0; i++) {
              out.write(0);
              out.flush();
              over.await(300, TimeUnit.MILLISECONDS);
            }
          }
          case "/endless", "/huge" -> {
            exchange.sendResponseHeaders(200, path.equals("/huge") ? Long.MAX_VALUE : 0);
            byte[] zeros = new byte[64 * 1024];
            for (long sent = 0; sent < CAP; sent += zeros.length) {
              out.write(zeros);
            }
          }
          default -> exchange.sendResponseHeaders(404, -1);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException clientLeft) {
        // the download stopped reading: what the tests want
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    over.countDown();
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private Downloads.Failure fails(String path, Path file) {
    Downloads.Failure f = assertThrows(Downloads.Failure.class, () -> Downloads.toFile(uri(path), file, SMALL));
    assertFalse(Files.exists(file), "what came is deleted: " + file);
    return f;
  }

  @Test
  void aDownloadHasItsSizeAndSha256() throws Exception {
    Path file = dir.resolve("a.jar");
    Downloads.Downloaded d = Downloads.toFile(uri("/jar"), file, SMALL);
    assertArrayEquals(BODY, Files.readAllBytes(file));
    assertEquals(BODY.length, d.size());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BODY)), d.sha256());
    assertEquals(d.sha256(), Downloads.sha256(file));
    assertArrayEquals(BODY, Downloads.toBytes(uri("/jar"), SMALL));
  }

  @Test
  void aServerThatSendsHeadersThenNothingIsCutOffAfterTheIdleLimit() {
    Downloads.Failure f = fails("/silent", dir.resolve("silent.jar"));
    assertEquals(Downloads.Reason.IDLE, f.reason());
    assertEquals("no data came for 1 s (the limit dockevos.download.idleSeconds); what came was deleted",
        f.getMessage());
  }

  @Test
  void aServerThatDripsIsCutOffAtTheDeadline() {
    Downloads.Failure f = fails("/drip", dir.resolve("drip.jar"));
    assertEquals(Downloads.Reason.DEADLINE, f.reason());
    assertTrue(f.getMessage().startsWith("not finished within 3 s (the limit dockevos.download.deadlineSeconds)"),
        f.getMessage());
  }

  @Test
  void anEndlessBodyIsStoppedAtTheSizeLimit() {
    Downloads.Failure f = fails("/endless", dir.resolve("endless.jar"));
    assertEquals(Downloads.Reason.TOO_BIG, f.reason());
    assertTrue(f.getMessage().startsWith("it is larger than 1 MiB (the limit dockevos.download.maxMiB)"),
        f.getMessage());
  }

  @Test
  void aContentLengthOverTheLimitIsRefusedBeforeAByteIsWritten() {
    Downloads.Failure f = fails("/huge", dir.resolve("huge.jar"));
    assertEquals(Downloads.Reason.TOO_BIG, f.reason());
    assertEquals("the server says it is " + Long.MAX_VALUE + " bytes, more than 1 MiB (the limit"
        + " dockevos.download.maxMiB); nothing was downloaded", f.getMessage());
  }

  @Test
  void theServersAnswerAndARefusedConnectionAreNamed() throws IOException {
    Downloads.Failure missing = fails("/missing", dir.resolve("missing.jar"));
    assertEquals(Downloads.Reason.STATUS, missing.reason());
    assertEquals("the server answered HTTP 404", missing.getMessage());

    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Downloads.Failure refused = assertThrows(Downloads.Failure.class,
        () -> Downloads.toBytes(URI.create("http://127.0.0.1:" + closed + "/x.jar"), SMALL));
    assertEquals(Downloads.Reason.UNREACHABLE, refused.reason());
    assertEquals("the connection was refused", refused.getMessage());
  }

  @Test
  void theLimitsAreFrameworkPropertiesAndABadValueKeepsTheDefault() {
    assertEquals(Downloads.Limits.DEFAULT, Downloads.Limits.of(k -> null));
    assertEquals(new Downloads.Limits(256L << 20, Duration.ofSeconds(120), Duration.ofSeconds(30),
        Duration.ofSeconds(5)), Downloads.Limits.DEFAULT);
    Map<String, String> set = Map.of(Downloads.MAX_MIB, "2", Downloads.DEADLINE_SECONDS, "9",
        Downloads.IDLE_SECONDS, "-1", Downloads.CONNECT_SECONDS, "soon");
    assertEquals(new Downloads.Limits(2L << 20, Duration.ofSeconds(9), Duration.ofSeconds(30), Duration.ofSeconds(5)),
        Downloads.Limits.of(set::get));
  }

  @Test
  void plainHttpIsTold() {
    assertTrue(Downloads.plainHttp(URI.create("http://example.org/x.jar")));
    assertTrue(Downloads.plainHttp(URI.create("HTTP://example.org/x.jar")));
    assertFalse(Downloads.plainHttp(URI.create("https://example.org/x.jar")));
  }
}
