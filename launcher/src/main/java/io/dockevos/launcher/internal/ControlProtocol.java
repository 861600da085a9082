package io.dockevos.launcher.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The wire format on the control socket. The client sends {@code MAGIC}, the length of the
 * command and the command in UTF-8. The server answers with frames: a type byte, a length and
 * the bytes; {@link #OUT} and {@link #ERR} carry output as the command prints it, and
 * {@link #EXIT} carries the exit status (4 bytes) and ends the answer.
 *
 * <p>A stream ({@code bin/dockevos mcp}) starts with {@link #MAGIC_STREAM} and the stream's name
 * instead. The server answers {@link #OPEN} (an empty frame), and from then on the connection carries
 * the raw bytes of the stream both ways until one end closes; or, when nothing serves that stream, an
 * {@link #ERR} frame saying so and {@link #EXIT}.
 */
public final class ControlProtocol {
  public static final int MAGIC = 0x444b5631; // "DKV1"
  public static final int MAGIC_STREAM = 0x444b5331; // "DKS1"
  public static final byte OPEN = 'k';
  public static final byte OUT = 'o';
  public static final byte ERR = 'e';
  public static final byte EXIT = 'x';
  public static final int MAX_COMMAND = 1 << 20;

  private ControlProtocol() {}

  /** An output stream that sends each write as one frame of the given type. */
  public static final class FrameStream extends OutputStream {
    private final DataOutputStream out;
    private final byte type;

    public FrameStream(DataOutputStream out, byte type) {
      this.out = out;
      this.type = type;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return;
      }
      synchronized (out) {
        out.writeByte(type);
        out.writeInt(len);
        out.write(b, off, len);
        out.flush();
      }
    }
  }

  /**
   * Streams over a socket channel. {@code Channels.newInputStream} and {@code newOutputStream}
   * share the channel's blocking lock, so a thread blocked reading would stall every write; these
   * call {@code read} and {@code write} directly, which may run at the same time.
   */
  public static java.io.InputStream input(java.nio.channels.SocketChannel channel) {
    return new java.io.InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : channel.read(java.nio.ByteBuffer.wrap(b, off, len));
      }
    };
  }

  public static OutputStream output(java.nio.channels.SocketChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
      }
    };
  }

  public static void writeExit(DataOutputStream out, int status) throws IOException {
    synchronized (out) {
      out.writeByte(EXIT);
      out.writeInt(4);
      out.writeInt(status);
      out.flush();
    }
  }

  public static String readCommand(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a dockevOS client");
    }
    int len = in.readInt();
    if (len < 0 || len > MAX_COMMAND) {
      throw new IOException("command too long: " + len + " bytes");
    }
    return new String(in.readNBytes(len), java.nio.charset.StandardCharsets.UTF_8);
  }
}
