package io.dockevos.http.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.JsonPositions;
import io.dockevos.systemlog.CommandHistory;
import io.dockevos.systemlog.CommandRecord;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What every resource of {@code /api/v1} shares: a request that cannot be served ({@link Refusal})
 * is answered as problem+json; a JSON body is read within a limit; a call that changes something is
 * kept in the command history, with the token's name as its user and {@code rest} as its origin.
 */
abstract class ApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  /** The largest JSON body read, in bytes. */
  static final int MAX_BODY = 1 << 20;
  static final String ORIGIN = "rest";

  /** A request that cannot be served: its status, and why in the shell's words. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String title;

    Refusal(int status, String title, String detail) {
      super(detail, null, false, false);
      this.status = status;
      this.title = title;
    }
  }

  /** What a change does, and what it answers. */
  @FunctionalInterface
  interface Change {
    Object apply() throws Exception;
  }

  /** @return the command history, or null while there is none */
  abstract CommandHistory history();

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
    try {
      super.service(req, resp);
    } catch (Refusal r) {
      Problems.closeIfBodyUnread(req, resp, r.status);
      Problems.problem(resp, r.status, r.title, r.getMessage());
    }
  }

  static Refusal notFound(String detail) {
    return new Refusal(404, "Not Found", detail);
  }

  /** @return the body, at most {@value #MAX_BODY} bytes, at the pace that {@link BodyInput} asks */
  static byte[] read(HttpServletRequest req) throws IOException {
    try (InputStream in = new BodyInput(req.getInputStream(), MAX_BODY, "The body is over " + MAX_BODY
        + " bytes, the most that is read")) {
      return in.readAllBytes();
    }
  }

  /** @return the request's JSON object; empty for no body */
  static Map<String, Object> body(HttpServletRequest req) throws IOException {
    if (req.getContentLengthLong() > MAX_BODY) {
      throw new Refusal(413, "Content Too Large", "The body is " + req.getContentLengthLong() + " bytes; at most "
          + MAX_BODY + " are read");
    }
    byte[] bytes = read(req);
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return Map.of();
    }
    JsonValue v;
    try (var r = Json.provider().createReader(new StringReader(text))) {
      v = r.readValue();
    } catch (JsonException e) {
      throw new Refusal(400, "Bad Request", "The body is not JSON: " + JsonPositions.explain(text, e));
    }
    if (v.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new Refusal(400, "Bad Request", "The body must be a JSON object, not " + v.getValueType()
          .name().toLowerCase(java.util.Locale.ROOT));
    }
    return Json.toJava(v);
  }

  /**
   * Makes a change, answers its result as JSON (200), and keeps it in the command history; a
   * refusal or a failure is kept too, as failed, and answered as problem+json ({@code failure}
   * gives the status of a failure that is not a refusal).
   */
  void change(HttpServletRequest req, HttpServletResponse resp, Change change, int failure, String failureTitle)
      throws IOException {
    long start = System.nanoTime();
    Instant at = Instant.now();
    String command = req.getMethod() + " " + req.getRequestURI() + (req.getQueryString() == null ? ""
        : "?" + req.getQueryString());
    Object result;
    try {
      result = change.apply();
    } catch (Refusal r) {
      keep(req, at, command, start, r.getMessage());
      throw r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      keep(req, at, command, start, "interrupted");
      throw new Refusal(503, "Service Unavailable", "The request was interrupted");
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      keep(req, at, command, start, why);
      throw new Refusal(failure, failureTitle, why);
    }
    keep(req, at, command, start, null);
    Problems.json(resp, 200, result);
  }

  void keep(HttpServletRequest req, Instant at, String command, long start, String error) {
    CommandHistory h = history();
    if (h != null) {
      Object user = req.getAttribute(ApiContext.USER);
      h.record(new CommandRecord(at, user == null ? "?" : user.toString(), ORIGIN, command,
          (System.nanoTime() - start) / 1_000_000, error == null ? CommandRecord.Status.OK
              : CommandRecord.Status.FAILED, error));
    }
  }

  /** @return the path below the servlet's pattern, split: {@code /ID/start} is {@code [ID, start]} */
  static String[] path(HttpServletRequest req) {
    String p = req.getPathInfo();
    return p == null || p.equals("/") ? new String[0] : p.substring(1).split("/", -1);
  }

  static <T> T orElse(T value, Supplier<Refusal> refusal) {
    if (value == null) {
      throw refusal.get();
    }
    return value;
  }
}
