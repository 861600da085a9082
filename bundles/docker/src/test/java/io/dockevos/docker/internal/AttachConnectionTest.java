package io.dockevos.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.docker.DockerException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attach's own connection against a small engine on a Unix socket that speaks the attach: the
 * upgrade, the multiplexed frames, the half-close at the end of stdin (the output goes on after it),
 * a refusal with the engine's message, and no answer.
 */
class AttachConnectionTest {
  @TempDir
  Path dir;
  private ServerSocketChannel server;

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** Serves one connection with {@code engine} on a thread; returns the options that point at it. */
  private DockerOptions engine(Consumer<SocketChannel> engine) throws IOException {
    return engine(engine, false);
  }

  private DockerOptions engine(Consumer<SocketChannel> engine, boolean tcp) throws IOException {
    Path sock = dir.resolve("engine.sock");
    if (tcp) {
      server = ServerSocketChannel.open();
      server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
    } else {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(sock));
    }
    Thread t = new Thread(() -> {
      try (SocketChannel c = server.accept()) {
        engine.accept(c);
      } catch (IOException e) {
        // the test ended
      }
    });
    t.setDaemon(true);
    t.start();
    return new DockerOptions(tcp ? "tcp://127.0.0.1:" + ((java.net.InetSocketAddress) server.getLocalAddress()).getPort()
        : "unix://" + sock, false, "");
  }

  private static String request(SocketChannel c) {
    StringBuilder b = new StringBuilder();
    ByteBuffer one = ByteBuffer.allocate(1);
    try {
      while (!b.toString().endsWith("\r\n\r\n")) {
        one.clear();
        if (c.read(one) < 0) {
          break;
        }
        b.append((char) one.get(0));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return b.toString();
  }

  private static void write(SocketChannel c, String text) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  private static String frame(int stream, String payload) {
    int n = payload.length();
    return new String(new byte[] {(byte) stream, 0, 0, 0, (byte) (n >> 24), (byte) (n >> 16), (byte) (n >> 8), (byte) n},
        StandardCharsets.ISO_8859_1) + payload;
  }

  @Test
  void theEndOfStdinReachesTheEngineAsAHalfCloseAndTheOutputGoesOn() throws Exception {
    halfClose(false);
  }

  @Test
  void overTcpToo() throws Exception {
    halfClose(true);
  }

  private void halfClose(boolean tcp) throws Exception {
    CompletableFuture<String> asked = new CompletableFuture<>();
    CompletableFuture<String> stdinSeen = new CompletableFuture<>();
    DockerOptions options = engine(c -> {
      try {
        asked.complete(request(c));
        write(c, "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n"
            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
        write(c, frame(1, "out-1\n") + frame(2, "err-1\n"));
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(256);
        while (c.read(b.clear()) >= 0) { // until the client's half-close
          in.write(b.array(), 0, b.position());
        }
        stdinSeen.complete(in.toString(StandardCharsets.UTF_8));
        write(c, frame(1, "after the end of stdin\n"));
      } catch (IOException e) {
        stdinSeen.completeExceptionally(e);
      }
    }, tcp);
    AttachConnection a = AttachConnection.open(options, "abc123", 5000);
    assertTrue(asked.get(5, TimeUnit.SECONDS).startsWith("POST /containers/abc123/attach?stream=1&stdin=1&stdout=1"
        + "&stderr=1&logs=1 HTTP/1.1\r\n"), asked::join);
    assertTrue(asked.join().contains("\r\nUpgrade: tcp\r\n"), asked::join);
    BytePipe stdin = new BytePipe();
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    a.pump("test-attach", stdin.input(), new AttachConnection.Frames() {
      @Override
      public void output(boolean stderr, byte[] bytes, int off, int len) {
        (stderr ? err : out).append(new String(bytes, off, len, StandardCharsets.UTF_8));
      }

      @Override
      public void ended(Throwable cause) {
        ended.complete(cause);
      }
    });
    stdin.output().write("hello\n".getBytes(StandardCharsets.UTF_8));
    stdin.close();
    assertEquals("hello\n", stdinSeen.get(5, TimeUnit.SECONDS), "the engine got stdin, then its end");
    assertEquals(null, ended.get(5, TimeUnit.SECONDS), "the output ended without a failure");
    // (written by the reader thread before it completed ended)
    assertEquals("out-1\nafter the end of stdin\n", out.toString(), "stdout, also after the end of stdin");
    assertEquals("err-1\n", err.toString());
    a.close();
  }

  @Test
  void aRefusalNamesTheContainerOrTheEnginesMessage() throws Exception {
    DockerOptions options = engine(c -> {
      request(c);
      try {
        String body = "{\"cause\":\"no such container\",\"message\":\"no container with name or ID \\\"gone\\\" found\"}";
        write(c, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
            + "\r\n\r\n" + body);
      } catch (IOException e) {
        // the test fails on its own
      }
    });
    DockerException e = assertThrows(DockerException.class, () -> AttachConnection.open(options, "gone", 5000));
    assertEquals("No such container: gone (docker:ps -a lists the containers)", e.getMessage());
  }

  @Test
  void anEngineThatDoesNotAnswerTimesOut() throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    DockerOptions options = engine(c -> {
      request(c);
      done.join(); // never answers
    });
    long begin = System.nanoTime();
    IOException e = assertThrows(IOException.class, () -> AttachConnection.open(options, "slow", 300));
    done.complete(null);
    long millis = (System.nanoTime() - begin) / 1_000_000;
    assertEquals("no answer to the attach within 300 ms", e.getMessage());
    assertTrue(millis < 3000, () -> "it waited " + millis + " ms");
  }

  @Test
  void aMissingSocketIsAnErrorOfTheConnection() {
    DockerOptions options = new DockerOptions("unix://" + dir.resolve("missing.sock"), false, "");
    IOException e = assertThrows(IOException.class, () -> AttachConnection.open(options, "x", 1000));
    assertTrue(Errors.unreachable(new java.io.UncheckedIOException(e)), e::toString);
  }
}
