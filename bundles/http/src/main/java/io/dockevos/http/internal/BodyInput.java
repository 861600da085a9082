package io.dockevos.http.internal;

import io.dockevos.http.internal.ApiServlet.Refusal;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request's body as it arrives, within a size and a pace: more than {@code limit} bytes is 413;
 * a body that arrives slower than a client on the loopback interface ever sends one (after a
 * grace of {@value #GRACE_SECONDS} s, at least {@value #MIN_RATE} bytes a second on average) is
 * 408, and a client that stops sending is cut off by the server's idle timeout. So a client that
 * trickles its body holds a thread for seconds, not for ever.
 */
final class BodyInput extends InputStream {
  static final int GRACE_SECONDS = 15;
  /** The slowest pace taken after the grace, in bytes a second (256 KiB). */
  static final long MIN_RATE = 256 * 1024;
  private final InputStream in;
  private final long limit;
  private final String tooLarge;
  private final long start = System.nanoTime();
  private long count;

  /** @param tooLarge what a 413 says, before " (N bytes came)" */
  BodyInput(InputStream in, long limit, String tooLarge) {
    this.in = in;
    this.limit = limit;
    this.tooLarge = tooLarge;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      throw new Refusal(408, "Request Timeout", "The body did not arrive (" + count + " bytes came): " + e.getMessage());
    }
    if (n > 0) {
      count += n;
      if (count > limit) {
        throw new Refusal(413, "Content Too Large", tooLarge + " (more came)");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (seconds > GRACE_SECONDS + (double) count / MIN_RATE) {
        throw new Refusal(408, "Request Timeout", String.format(java.util.Locale.ROOT, "The body arrives too slowly:"
            + " %d bytes in %.0f s (it may take %d s, then must come at %d KiB/s at least): send it at once", count,
            seconds, GRACE_SECONDS, MIN_RATE / 1024));
      }
    }
    return n;
  }

  /** @return the bytes read so far */
  long count() {
    return count;
  }
}
