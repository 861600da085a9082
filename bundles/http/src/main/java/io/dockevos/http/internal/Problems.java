package io.dockevos.http.internal;

import io.dockevos.common.internal.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Answers: JSON, and errors as RFC 9457 {@code application/problem+json} with the shell's words. */
final class Problems {
  private Problems() {}

  static void json(HttpServletResponse resp, int status, Object body) throws IOException {
    write(resp, status, "application/json", Json.pretty(body));
  }

  /** @param detail what went wrong, as the shell says it */
  static void problem(HttpServletResponse resp, int status, String title, String detail) throws IOException {
    write(resp, status, "application/problem+json", Json.pretty(io.dockevos.common.internal.BearerAuth.problem(status,
        title, detail)));
  }

  private static void write(HttpServletResponse resp, int status, String type, String text) throws IOException {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType(type);
    resp.setCharacterEncoding("UTF-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  /** The most of an unread body read away after a refusal; beyond, the connection ends instead. */
  static final long DRAIN_LIMIT = 4L << 20;
  /** How long an unread body is read away at most. */
  static final long DRAIN_NANOS = 5_000_000_000L;

  /**
   * A request refused with its body perhaps unread: a body up to {@link #DRAIN_LIMIT} is read away,
   * so that the client, still sending, gets the answer and can go on with the connection; a larger
   * one (or one that cannot be read) ends the connection with the answer.
   */
  static void closeIfBodyUnread(jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp, int status) {
    long length = req.getContentLengthLong();
    boolean chunked = req.getHeader("Transfer-Encoding") != null;
    if (resp.isCommitted() || !chunked && length <= 0) {
      return;
    }
    // A body that came too slowly (408) is not waited for again; another is, for a few seconds at most.
    if (!chunked && length <= DRAIN_LIMIT && status != HttpServletResponse.SC_REQUEST_TIMEOUT) {
      try {
        java.io.InputStream in = req.getInputStream();
        byte[] buffer = new byte[8192];
        long left = length;
        long until = System.nanoTime() + DRAIN_NANOS;
        int n;
        while (left > 0 && System.nanoTime() < until
            && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
          left -= n;
        }
        if (left == 0) {
          return;
        }
      } catch (IOException | IllegalStateException e) {
        // read already another way, or broken: end the connection instead
      }
    }
    resp.setHeader("Connection", "close");
  }
}
