package io.dockevos.launcher.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code bin/dockevos client} on a Unix domain socket that only the owner can open. No
 * TCP port is involved. The socket is bound inside a private directory, made owner-only, and then
 * renamed into place, so it is never reachable with wider permissions.
 *
 * <p>Bounded: at most {@link Limits#maxConnections} connections are served at once (one thread
 * each, and one more that notices the client leave while its command runs); a connection past
 * that is answered that the runtime is busy and closed. A client must send its command within
 * {@link Limits#readTimeout}, or its connection is closed.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

  /** Runs one command for a user, streaming to the two outputs. */
  @FunctionalInterface
  public interface Executor {
    Gogo.Outcome execute(String command, String user, OutputStream out, OutputStream err);
  }

  /**
   * Finds what serves a stream ({@code bin/dockevos mcp}): the connection's raw bytes both ways.
   */
  @FunctionalInterface
  public interface Streams {
    /** @return what serves the stream {@code name}, or {@code null} when nothing in the runtime does */
    Stream find(String name);
  }

  /** Serves one stream on a connection; returns when it ends (the client closed its side, or the runtime stops). */
  @FunctionalInterface
  public interface Stream {
    void serve(String user, java.io.InputStream in, OutputStream out) throws IOException;
  }

  /** What a client asks: a command, or a stream by its name. */
  private record Request(boolean stream, String text) {}

  /**
   * The bounds of the control socket.
   *
   * @param maxConnections how many connections are served at once
   * @param readTimeout how long a client may take to send its command once connected
   */
  public record Limits(int maxConnections, Duration readTimeout) {
    /** Framework property: {@link #maxConnections}. */
    public static final String MAX_CONNECTIONS = "dockevos.control.maxConnections";
    /** Framework property: {@link #readTimeout} in milliseconds. */
    public static final String READ_TIMEOUT = "dockevos.control.readTimeoutMillis";
    public static final Limits DEFAULT = new Limits(16, Duration.ofSeconds(10));

    public Limits {
      maxConnections = Math.max(1, maxConnections);
      readTimeout = readTimeout == null || readTimeout.isNegative() || readTimeout.isZero() ? DEFAULT.readTimeout : readTimeout;
    }

    /** From the framework properties, the defaults where they are not set; a value that is not a number is named. */
    public static Limits from(java.util.Map<String, String> properties) {
      return new Limits((int) number(properties, MAX_CONNECTIONS, DEFAULT.maxConnections),
          Duration.ofMillis(number(properties, READ_TIMEOUT, DEFAULT.readTimeout.toMillis())));
    }

    private static long number(java.util.Map<String, String> properties, String key, long fallback) {
      String v = properties.get(key);
      if (v == null || v.isBlank()) {
        return fallback;
      }
      try {
        return Long.parseLong(v.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " = '" + v + "' is not a whole number", e);
      }
    }
  }

  private final Path path;
  private final ServerSocketChannel server;
  private final ThreadPoolExecutor workers;
  private final Thread acceptor;
  private final Executor executor;
  private final Streams streams;
  private final Limits limits;
  /** Connections refused as busy since the last one that was served; logged once a burst. */
  private final AtomicInteger refused = new AtomicInteger();

  private ControlServer(Path path, ServerSocketChannel server, Executor executor, Streams streams, Limits limits) {
    this.path = path;
    this.server = server;
    this.executor = executor;
    this.streams = streams;
    this.limits = limits;
    AtomicInteger n = new AtomicInteger();
    // No queue: a connection is served at once by a thread of its own, or refused as busy.
    this.workers = new ThreadPoolExecutor(0, limits.maxConnections(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "dockevos-control-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::accept, "dockevos-control");
    acceptor.setDaemon(true);
  }

  public static ControlServer open(Path path, Executor executor) throws IOException {
    return open(path, executor, Limits.DEFAULT);
  }

  public static ControlServer open(Path path, Executor executor, Limits limits) throws IOException {
    return open(path, executor, null, limits);
  }

  /** @param streams what serves streams ({@code bin/dockevos mcp}), or null for none */
  public static ControlServer open(Path path, Executor executor, Streams streams, Limits limits) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Files.deleteIfExists(path);
    Path privateDir = Files.createTempDirectory(dir, ".control", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Path temp = privateDir.resolve("s");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(temp));
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot open the control socket " + path + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(temp);
      Files.deleteIfExists(privateDir);
    }
    ControlServer cs = new ControlServer(path, server, executor, streams, limits);
    cs.acceptor.start();
    return cs;
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel channel = server.accept();
        try {
          workers.execute(() -> serve(channel));
          int before = refused.getAndSet(0);
          if (before > 0) {
            LOG.info("control socket: serving again, after {} connection(s) refused as busy", before);
          }
        } catch (RejectedExecutionException full) {
          busy(channel);
        }
      } catch (IOException e) {
        if (server.isOpen()) {
          LOG.warn("control socket: {}", e.toString());
        }
      }
    }
  }

  /** Answers a connection past the limit that the runtime is busy, and closes it. */
  private void busy(SocketChannel channel) {
    if (refused.getAndIncrement() == 0) {
      LOG.warn("control socket: busy: {} connections are open already, the most at once ({}); refusing more until"
          + " one ends", limits.maxConnections(), Limits.MAX_CONNECTIONS);
    }
    try (channel) {
      // A fresh connection's buffer takes these few bytes without waiting; a client that reads nothing cannot hold the acceptor.
      channel.configureBlocking(false);
      DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(ControlProtocol.output(channel)));
      new ControlProtocol.FrameStream(out, ControlProtocol.ERR).write(("dockevOS is busy: " + limits.maxConnections()
          + " connections are open already, the most at once (" + Limits.MAX_CONNECTIONS + "); try again\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      ControlProtocol.writeExit(out, 1);
    } catch (IOException e) {
      LOG.debug("control socket: a refused client went away: {}", e.toString());
    }
  }

  /**
   * Reads the client's command within the read deadline: the channel is non-blocking until then,
   * read through a selector of its own, so that a client that sends nothing holds no thread past it.
   */
  private Request readCommand(SocketChannel channel) throws IOException {
    long end = System.nanoTime() + limits.readTimeout().toNanos();
    channel.configureBlocking(false);
    try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
      channel.register(selector, java.nio.channels.SelectionKey.OP_READ);
      java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(8);
      fill(channel, selector, header, end);
      header.flip();
      int magic = header.getInt();
      if (magic != ControlProtocol.MAGIC && magic != ControlProtocol.MAGIC_STREAM) {
        throw new IOException("not a dockevOS client");
      }
      int len = header.getInt();
      if (len < 0 || len > ControlProtocol.MAX_COMMAND) {
        throw new IOException("command too long: " + len + " bytes");
      }
      java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(len);
      fill(channel, selector, body, end);
      return new Request(magic == ControlProtocol.MAGIC_STREAM, new String(body.array(),
          java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      // the key is cancelled with its selector; back to blocking for the command's streams
      channel.configureBlocking(true);
    }
  }

  private void fill(SocketChannel channel, java.nio.channels.Selector selector, java.nio.ByteBuffer buffer, long end)
      throws IOException {
    while (buffer.hasRemaining()) {
      long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (left <= 0) {
        throw new IOException("no command within " + limits.readTimeout().toMillis() + " ms (" + Limits.READ_TIMEOUT
            + "): the connection is closed");
      }
      selector.select(left);
      selector.selectedKeys().clear();
      if (channel.read(buffer) < 0) {
        throw new java.io.EOFException("the client went away before its command");
      }
    }
  }

  private void serve(SocketChannel channel) {
    try (channel) {
      Request request = readCommand(channel);
      if (request.stream()) {
        serveStream(channel, request.text());
        return;
      }
      String command = request.text();
      DataInputStream in = new DataInputStream(ControlProtocol.input(channel));
      DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(ControlProtocol.output(channel)));
      String user = peerUser(channel);
      Thread worker = Thread.currentThread();
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      // The client half-closes nothing; when it goes away (Ctrl-C), reading hits the end and the
      // command is interrupted.
      Thread watcher = new Thread(() -> {
        try {
          while (in.read() >= 0) {
            // ignore anything else the client sends
          }
        } catch (IOException ignored) {
          // closed
        }
        if (!done.get()) {
          worker.interrupt();
        }
      }, "dockevos-control-watch");
      watcher.setDaemon(true);
      watcher.start();
      Gogo.Outcome outcome = executor.execute(command, user,
          new ControlProtocol.FrameStream(out, ControlProtocol.OUT), new ControlProtocol.FrameStream(out, ControlProtocol.ERR));
      done.set(true);
      Thread.interrupted();
      ControlProtocol.writeExit(out, outcome.error() == null ? 0 : 1);
    } catch (IOException e) {
      LOG.debug("control client went away: {}", e.toString());
    }
  }

  /**
   * Serves a stream: {@link ControlProtocol#OPEN}, then the raw bytes both ways until it ends; or an
   * error and exit status 1 when nothing serves it.
   */
  private void serveStream(SocketChannel channel, String name) throws IOException {
    DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(ControlProtocol.output(channel)));
    Stream stream = name.matches("[a-z][a-z0-9-]{0,31}") && streams != null ? streams.find(name) : null;
    if (stream == null) {
      new ControlProtocol.FrameStream(out, ControlProtocol.ERR).write(("Nothing in this dockevOS serves '" + name
          + "': is its feature installed?\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      ControlProtocol.writeExit(out, 1);
      return;
    }
    synchronized (out) {
      out.writeByte(ControlProtocol.OPEN);
      out.writeInt(0);
      out.flush();
    }
    String user = peerUser(channel);
    LOG.debug("control socket: stream {} of {}", name, user);
    stream.serve(user, ControlProtocol.input(channel), ControlProtocol.output(channel));
  }

  /**
   * The user of the client process, from the socket's peer credentials (SO_PEERCRED), which the
   * kernel fills in and the client cannot forge; the socket's owner-only mode means it is the
   * runtime's own user or root.
   */
  static String peerUser(SocketChannel channel) {
    try {
      return channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName();
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("control socket: no peer credentials: {}", e.toString());
      return System.getProperty("user.name", "?");
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    workers.shutdownNow();
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
