package io.dockevos.launcher;

import io.dockevos.launcher.internal.ControlProtocol;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bin/dockevos client 'CMD'}: runs one command in the running instance through its control
 * socket. Kept to java.* types so that it starts in a fraction of a second.
 *
 * <p>Exit status: the command's (0 or 1), 2 for a usage error, 3 when no instance is running.
 *
 * @since 0.1
 */
public final class Client {
  private Client() {}

  public static void main(String[] args) {
    System.exit(run(socket(), args, System.out, System.err));
  }

  static Path socket() {
    String home = System.getProperty("dockevos.home", System.getenv().getOrDefault("DOCKEVOS_HOME", "."));
    return Path.of(home, "data", "dockevos.sock");
  }

  /** Runs the command given by {@code args} (joined by spaces) and returns the exit status. */
  public static int run(Path socket, String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: dockevos client 'COMMAND'");
      return 2;
    }
    String command = String.join(" ", args);
    if (command.isBlank()) {
      err.println("usage: dockevos client 'COMMAND': the command is empty; for example dockevos client 'lb'");
      return 2;
    }
    int size = command.getBytes(StandardCharsets.UTF_8).length;
    if (size > ControlProtocol.MAX_COMMAND) {
      err.println("The command is " + size + " bytes long, over the " + ControlProtocol.MAX_COMMAND + " bytes (1 MiB) that"
          + " dockevOS takes through its control socket; nothing was sent. Shorten it, or split it into several commands.");
      return 2;
    }
    if (!Files.exists(socket)) {
      err.println("dockevOS is not running: no control socket at " + socket + " (start it with: bin/dockevos start)");
      return 3;
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      DataOutputStream request = new DataOutputStream(ControlProtocol.output(channel));
      byte[] bytes = command.getBytes(StandardCharsets.UTF_8);
      request.writeInt(ControlProtocol.MAGIC);
      request.writeInt(bytes.length);
      request.write(bytes);
      request.flush();
      DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(ControlProtocol.input(channel)));
      while (true) {
        byte type = in.readByte();
        byte[] payload = in.readNBytes(in.readInt());
        switch (type) {
          case ControlProtocol.OUT -> {
            out.write(payload);
            out.flush();
          }
          case ControlProtocol.ERR -> {
            err.write(payload);
            err.flush();
          }
          case ControlProtocol.EXIT -> {
            return java.nio.ByteBuffer.wrap(payload).getInt();
          }
          default -> throw new IOException("unexpected frame " + type);
        }
      }
    } catch (EOFException e) {
      err.println("dockevOS closed the connection before the command finished (it may be stopping)");
      return 3;
    } catch (IOException e) {
      err.println("cannot reach dockevOS at " + socket + ": " + e.getMessage());
      return 3;
    }
  }
}
