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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code bin/dockevos client} on a Unix domain socket that only the owner can open. No
 * TCP port is involved. The socket is bound inside a private directory, made owner-only, and then
 * renamed into place, so it is never reachable with wider permissions.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

  /** Runs one command for a user, streaming to the two outputs. */
  @FunctionalInterface
  public interface Executor {
    Gogo.Outcome execute(String command, String user, OutputStream out, OutputStream err);
  }

  private final Path path;
  private final ServerSocketChannel server;
  private final ExecutorService workers;
  private final Thread acceptor;
  private final Executor executor;

  private ControlServer(Path path, ServerSocketChannel server, Executor executor) {
    this.path = path;
    this.server = server;
    this.executor = executor;
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "dockevos-control-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::accept, "dockevos-control");
    acceptor.setDaemon(true);
  }

  public static ControlServer open(Path path, Executor executor) throws IOException {
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
    ControlServer cs = new ControlServer(path, server, executor);
    cs.acceptor.start();
    return cs;
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel channel = server.accept();
        workers.execute(() -> serve(channel));
      } catch (IOException e) {
        if (server.isOpen()) {
          LOG.warn("control socket: {}", e.toString());
        }
      }
    }
  }

  private void serve(SocketChannel channel) {
    try (channel) {
      DataInputStream in = new DataInputStream(ControlProtocol.input(channel));
      DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(ControlProtocol.output(channel)));
      String command = ControlProtocol.readCommand(in);
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
