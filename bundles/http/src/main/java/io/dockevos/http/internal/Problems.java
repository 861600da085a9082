package io.dockevos.http.internal;

import io.dockevos.common.internal.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Answers: JSON, and errors as RFC 9457 {@code application/problem+json} with the shell's words. */
final class Problems {
  private Problems() {}

  static void json(HttpServletResponse resp, int status, Object body) throws IOException {
    write(resp, status, "application/json", Json.pretty(body));
  }

  /** @param detail what went wrong, as the shell says it */
  static void problem(HttpServletResponse resp, int status, String title, String detail) throws IOException {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "about:blank");
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    write(resp, status, "application/problem+json", Json.pretty(p));
  }

  private static void write(HttpServletResponse resp, int status, String type, String text) throws IOException {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType(type);
    resp.setCharacterEncoding("UTF-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  /**
   * A request refused with its body perhaps unread: the connection ends with the answer, so that the
   * client does not send its next request on a connection the server no longer reads.
   */
  static void closeIfBodyUnread(jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp) {
    if (!resp.isCommitted() && (req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null)) {
      resp.setHeader("Connection", "close");
    }
  }
}
