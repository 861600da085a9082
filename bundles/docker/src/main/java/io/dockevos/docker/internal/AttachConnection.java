package io.dockevos.docker.internal;

import io.dockevos.docker.DockerException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An attach to a container on a connection of its own to the engine ({@code POST
 * /containers/ID/attach} upgraded to a raw stream), for a {@code unix://} or plain {@code tcp://}
 * endpoint. Unlike docker-java's transports it half-closes the connection when the container's
 * standard input ends (the engine then closes the container's stdin: its process reads the end of
 * its input), and goes on reading its output. docker-java's zerodep and Apache transports only stop
 * writing, so the container never sees the end (docker-java issues 1448 and 1684).
 *
 * <p>Its output is the engine's multiplexed stream (no TTY): frames of an 8-byte header (the stream,
 * 1 stdout or 2 stderr, then the payload's length, big-endian) and the payload.
 */
final class AttachConnection implements Closeable {
  /** A frame's payload is handed on in pieces of at most this many bytes. */
  private static final int CHUNK = 64 * 1024;
  /** The answer's header may not be longer. */
  private static final int MAX_HEAD = 64 * 1024;

  /** Receives the output of an attach. */
  interface Frames {
    /** A piece of output: {@code stderr} or stdout. */
    void output(boolean stderr, byte[] bytes, int off, int len);

    /** The output ended: the container exited, or the connection was closed. */
    void ended(Throwable cause);
  }

  private final SocketChannel channel;
  private final InputStream in;
  private volatile boolean closed;

  private AttachConnection(SocketChannel channel) {
    this.channel = channel;
    this.in = new BufferedInputStream(new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
      }
    }, CHUNK);
  }

  /** Whether this attach serves the endpoint: {@code unix://} and {@code tcp://} without TLS. */
  static boolean serves(DockerOptions options) {
    return !options.tlsVerify();
  }

  /**
   * Connects, asks to attach to the container's stdin, stdout and stderr (and what it wrote so
   * far), and waits for the engine to accept, at most {@code timeoutMillis}.
   *
   * @throws DockerException with the engine's message when it refuses
   * @throws IOException when the engine cannot be reached or does not answer in time
   */
  static AttachConnection open(DockerOptions options, String id, long timeoutMillis) throws IOException {
    URI uri = URI.create(options.host());
    SocketChannel ch;
    String host;
    String prefix = "";
    if (options.unix()) {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(options.socket()));
      host = "docker";
    } else {
      ch = SocketChannel.open();
      int port = uri.getPort() < 0 ? 2375 : uri.getPort();
      try {
        ch.socket().connect(new InetSocketAddress(uri.getHost(), port), (int) timeoutMillis);
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      host = uri.getHost() + ":" + port;
      prefix = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    }
    AttachConnection c = new AttachConnection(ch);
    // No answer in time: the connection is closed, which ends the wait below.
    CompletableFuture<Void> answered = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(timeoutMillis, TimeUnit.MILLISECONDS).execute(() -> {
      if (!answered.isDone()) {
        c.close();
      }
    });
    try {
      String request = "POST " + prefix + "/containers/" + id + "/attach?stream=1&stdin=1&stdout=1&stderr=1&logs=1"
          + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: dockevOS\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n"
          + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
      c.write(request.getBytes(StandardCharsets.US_ASCII));
      c.answer(id);
      answered.complete(null);
      return c;
    } catch (IOException | RuntimeException e) {
      boolean timedOut = c.closed && !answered.isDone();
      answered.complete(null);
      c.close();
      if (timedOut) {
        throw new java.net.SocketTimeoutException("no answer to the attach within " + timeoutMillis + " ms");
      }
      throw e;
    }
  }

  /** Reads the answer's head: 101 (or 200) starts the raw stream; anything else is the engine's refusal. */
  private void answer(String id) throws IOException {
    String status = line();
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer to the attach: " + status);
    }
    int code = Integer.parseInt(parts[1]);
    long length = -1;
    int headLength = status.length();
    for (String h = line(); !h.isEmpty(); h = line()) {
      headLength += h.length();
      if (headLength > MAX_HEAD) {
        throw new IOException("the answer to the attach has a header longer than " + MAX_HEAD + " bytes");
      }
      if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(h.substring(15).trim());
      }
    }
    if (code == 101 || code == 200) {
      return;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; body.size() < MAX_HEAD && (length < 0 || body.size() < length) && (n = in.read(buf)) > 0; ) {
      body.write(buf, 0, n);
    }
    String m = Errors.engineMessage(new RuntimeException(body.toString(StandardCharsets.UTF_8)));
    if (code == 404) {
      throw new DockerException("No such container: " + id + " (docker:ps -a lists the containers)");
    }
    throw new DockerException("Cannot attach to " + id + ": " + (m.isBlank() ? "status " + code : m));
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the engine closed the attach before it answered");
      }
      if (b.length() > MAX_HEAD) {
        throw new IOException("the answer to the attach has a line longer than " + MAX_HEAD + " bytes");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private void write(byte[] bytes) throws IOException {
    write(bytes, bytes.length);
  }

  private void write(byte[] bytes, int len) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, len);
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  /**
   * Starts the two threads of the attach: one copies {@code stdin} to the container until it ends,
   * then half-closes the connection; one reads the output frames until the end.
   */
  void pump(String name, InputStream stdin, Frames frames) {
    Thread writer = new Thread(() -> copyIn(stdin), name + "-stdin");
    Thread reader = new Thread(() -> readFrames(frames), name + "-output");
    writer.setDaemon(true);
    reader.setDaemon(true);
    writer.start();
    reader.start();
  }

  private void copyIn(InputStream stdin) {
    byte[] buf = new byte[CHUNK];
    try (stdin) {
      for (int n; (n = stdin.read(buf)) >= 0; ) {
        write(buf, n);
      }
      channel.shutdownOutput(); // the end of the container's stdin
    } catch (ClosedChannelException detached) {
      // closed
    } catch (IOException e) {
      // the container or the engine went away: its output says so
    }
  }

  private void readFrames(Frames frames) {
    DataInputStream data = new DataInputStream(in);
    byte[] head = new byte[8];
    byte[] buf = new byte[CHUNK];
    Throwable cause = null;
    try {
      while (true) {
        try {
          data.readFully(head);
        } catch (EOFException end) {
          break;
        }
        boolean stderr = head[0] == 2;
        long left = ((head[4] & 0xffL) << 24) | ((head[5] & 0xff) << 16) | ((head[6] & 0xff) << 8) | (head[7] & 0xff);
        while (left > 0) {
          int n = data.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new EOFException("the attach ended within a frame");
          }
          frames.output(stderr, buf, 0, n);
          left -= n;
        }
      }
    } catch (IOException | RuntimeException e) {
      cause = closed ? null : e;
    } finally {
      frames.ended(cause);
    }
  }

  /** Detaches: both ways end (the container's stdin is closed too). */
  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // closed
    }
  }
}
