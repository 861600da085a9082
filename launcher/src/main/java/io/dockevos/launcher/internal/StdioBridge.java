package io.dockevos.launcher.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/dockevos mcp}: connects its stdin and stdout to the MCP server of the running instance,
 * through the control socket (a stream, {@link ControlProtocol#MAGIC_STREAM}), so that a desktop MCP
 * client can launch it as a stdio server. It copies bytes both ways and adds nothing; when its stdin
 * closes it closes its side, and exits once the runtime has ended the session (at most {@link
 * #LINGER_SECONDS} later; the runtime ends it once the answers under way are out, at most 4 s). Kept to java.* types so that it starts in a fraction of a second.
 *
 * <p>Exit status: 0 when stdin closed, 1 when the runtime has no MCP server, 3 when no instance runs
 * or it went away.
 */
public final class StdioBridge {
  static final long LINGER_SECONDS = 5;

  private StdioBridge() {}

  public static void main(String[] args) {
    String home = System.getProperty("dockevos.home", System.getenv().getOrDefault("DOCKEVOS_HOME", "."));
    System.exit(run(Path.of(home, "data", "dockevos.sock"), "mcp", System.in, System.out, System.err));
  }

  /** Bridges {@code in} and {@code out} to the stream {@code name}; returns the exit status. */
  public static int run(Path socket, String name, InputStream in, OutputStream out, PrintStream err) {
    if (!Files.exists(socket)) {
      err.println("dockevOS is not running: no control socket at " + socket + " (start it with: bin/dockevos start)");
      return 3;
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      DataOutputStream request = new DataOutputStream(ControlProtocol.output(channel));
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      request.writeInt(ControlProtocol.MAGIC_STREAM);
      request.writeInt(bytes.length);
      request.write(bytes);
      request.flush();
      InputStream fromRuntime = ControlProtocol.input(channel);
      DataInputStream answer = new DataInputStream(fromRuntime);
      byte type = answer.readByte();
      byte[] payload = answer.readNBytes(answer.readInt());
      if (type != ControlProtocol.OPEN) {
        while (type == ControlProtocol.ERR || type == ControlProtocol.OUT) {
          err.write(payload);
          type = answer.readByte();
          payload = answer.readNBytes(answer.readInt());
        }
        err.println("The MCP server is part of the feature dockevos-mcp: bin/dockevos client 'feature:install"
            + " dockevos-mcp' installs it.");
        err.flush();
        return type == ControlProtocol.EXIT ? Math.max(1, java.nio.ByteBuffer.wrap(payload).getInt()) : 1;
      }
      CountDownLatch stdinClosed = new CountDownLatch(1);
      CountDownLatch runtimeClosed = new CountDownLatch(1);
      OutputStream toRuntime = ControlProtocol.output(channel);
      Thread up = new Thread(() -> {
        try {
          copy(in, toRuntime);
        } catch (IOException e) {
          // the runtime went away: the other side notices
        } finally {
          try {
            channel.shutdownOutput();
          } catch (IOException ignored) {
            // closed already
          }
          stdinClosed.countDown();
        }
      }, "dockevos-mcp-stdin");
      Thread down = new Thread(() -> {
        try {
          copy(fromRuntime, out);
        } catch (IOException e) {
          // stdout closed, or the connection
        } finally {
          runtimeClosed.countDown();
        }
      }, "dockevos-mcp-stdout");
      up.setDaemon(true);
      down.setDaemon(true);
      up.start();
      down.start();
      while (true) {
        if (runtimeClosed.await(100, TimeUnit.MILLISECONDS)) {
          if (stdinClosed.getCount() > 0) {
            err.println("dockevOS ended the MCP session (it may be stopping)");
            return 3;
          }
          return 0;
        }
        if (stdinClosed.getCount() == 0) {
          runtimeClosed.await(LINGER_SECONDS, TimeUnit.SECONDS);
          return 0;
        }
      }
    } catch (EOFException e) {
      err.println("dockevOS closed the connection before the MCP session began (it may be stopping)");
      return 3;
    } catch (IOException e) {
      err.println("cannot reach dockevOS at " + socket + ": " + e.getMessage());
      return 3;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 3;
    }
  }

  private static void copy(InputStream from, OutputStream to) throws IOException {
    byte[] buffer = new byte[8192];
    int n;
    while ((n = from.read(buffer)) >= 0) {
      to.write(buffer, 0, n);
      to.flush();
    }
  }
}
