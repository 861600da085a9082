package io.dockevos.external.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Reads a process's output as lines, none held longer than {@code max} bytes: a longer line is
 * skipped as it comes (never buffered whole) and only its length is reported. A plugin that writes
 * a 100 MB line costs {@code max} bytes of heap, not 100 MB.
 */
final class BoundedLines {
  private BoundedLines() {}

  /**
   * Reads until the end of the stream.
   *
   * @param lines receives each line up to {@code max} bytes, without its line end
   * @param tooLong receives the length in bytes of each line that was longer, skipped
   */
  static void read(InputStream in, int max, Consumer<String> lines, LongConsumer tooLong) throws IOException {
    byte[] line = new byte[Math.min(max, 8192)];
    int len = 0;
    long skipped = -1; // >= 0 while a line too long is being skipped
    byte[] buf = new byte[8192];
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      for (int i = 0; i < n; i++) {
        byte b = buf[i];
        if (b == '\n') {
          if (skipped >= 0) {
            tooLong.accept(skipped);
            skipped = -1;
          } else {
            int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
            lines.accept(new String(line, 0, end, StandardCharsets.UTF_8));
          }
          len = 0;
        } else if (skipped >= 0) {
          skipped++;
        } else if (len == max) {
          skipped = len + 1L;
          len = 0;
        } else {
          if (len == line.length) {
            line = java.util.Arrays.copyOf(line, Math.min(max, line.length * 2));
          }
          line[len++] = b;
        }
      }
    }
    if (skipped >= 0) {
      tooLong.accept(skipped);
    } else if (len > 0) {
      lines.accept(new String(line, 0, len, StandardCharsets.UTF_8));
    }
  }
}
