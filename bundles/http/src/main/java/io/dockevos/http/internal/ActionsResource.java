package io.dockevos.http.internal;

import io.dockevos.action.ActionException;
import io.dockevos.action.ActionInfo;
import io.dockevos.action.ActionListener;
import io.dockevos.action.ActionService;
import io.dockevos.common.internal.Json;
import io.dockevos.systemlog.CommandHistory;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * The actions, through the one action model the shell uses ({@link ActionService}): the same
 * schema validation, timeouts, figures and events.
 *
 * <ul>
 *   <li>{@code GET /api/v1/actions}: every action with its JSON Schema and figures
 *   <li>{@code POST /api/v1/actions/PLUGIN/ACTION} with the input as a JSON object ({@code ?timeout=SECONDS}):
 *       {@code {"result": ..., "output": [lines]}}; with {@code Accept: text/event-stream}, Server-Sent
 *       Events as it runs ({@code output}, {@code progress}, then {@code result} or {@code error}), and a
 *       client that goes away cancels it
 * </ul>
 *
 * An action that does not exist is 404, input that breaks the schema 400 (with the field), a busy
 * runtime 503, a timeout 504, an action that throws 500; each in the shell's words.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/actions",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/actions/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + ApiContext.SELECT})
public final class ActionsResource extends ApiServlet {
  private static final long serialVersionUID = 1L;
  private final transient ActionService actions;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private transient volatile CommandHistory history;

  @Activate
  public ActionsResource(@Reference ActionService actions) {
    this.actions = actions;
  }

  @Override
  CommandHistory history() {
    return history;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (path(req).length != 0) {
      throw notFound("No resource " + req.getRequestURI() + ": GET /api/v1/actions lists them; POST"
          + " /api/v1/actions/PLUGIN/ACTION runs one");
    }
    Problems.json(resp, 200, actions.actions().stream().map(ActionsResource::toMap).toList());
  }

  static Map<String, Object> toMap(ActionInfo a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("plugin", a.plugin());
    m.put("name", a.name());
    m.put("description", a.description());
    m.put("command", a.command());
    m.put("timeoutSeconds", a.timeoutSeconds());
    m.put("schema", Json.provider().createReader(new StringReader(a.schema())).readValue());
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("invocations", a.stats().invocations());
    stats.put("failures", a.stats().failures());
    stats.put("meanMillis", a.stats().meanMillis());
    stats.put("maxMillis", a.stats().maxMillis());
    m.put("stats", stats);
    return m;
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String[] path = path(req);
    if (path.length != 2) {
      throw notFound("No resource " + req.getRequestURI() + ": POST /api/v1/actions/PLUGIN/ACTION runs one");
    }
    Map<String, Object> input = body(req);
    Duration timeout = timeout(req.getParameter("timeout"));
    String accept = req.getHeader("Accept");
    boolean stream = accept != null && accept.contains("text/event-stream");
    long start = System.nanoTime();
    Instant at = Instant.now();
    String command = "POST " + req.getRequestURI();
    if (stream) {
      streamed(req, resp, path, input, timeout, at, command, start);
      return;
    }
    List<String> output = new ArrayList<>();
    Object result;
    try {
      result = actions.invoke(path[0], path[1], input, timeout, new ActionListener() {
        @Override
        public void output(String chunk) {
          output.add(chunk);
        }
      });
    } catch (ActionException e) {
      keep(req, at, command, start, e.getMessage());
      throw refusal(e);
    }
    keep(req, at, command, start, null);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("result", result);
    answer.put("output", output);
    Problems.json(resp, 200, answer);
  }

  /** Server-Sent Events: each output chunk and progress as it comes, then the result or the error. */
  private void streamed(HttpServletRequest req, HttpServletResponse resp, String[] path, Map<String, Object> input,
      Duration timeout, Instant at, String command, long start) throws IOException {
    resp.setStatus(200);
    resp.setContentType("text/event-stream");
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "no-cache");
    PrintWriter out = resp.getWriter();
    Thread caller = Thread.currentThread();
    ActionListener listener = new ActionListener() {
      @Override
      public void output(String chunk) {
        send(out, "output", Json.value(chunk), caller);
      }

      @Override
      public void progress(int percent, String message) {
        Map<String, Object> p = new LinkedHashMap<>(); // in this order on every run (Map.of's order changes)
        p.put("percent", percent);
        p.put("message", message == null ? "" : message);
        send(out, "progress", Json.value(p), caller);
      }
    };
    try {
      Object result = actions.invoke(path[0], path[1], input, timeout, listener);
      keep(req, at, command, start, null);
      send(out, "result", Json.value(result), caller);
    } catch (ActionException e) {
      keep(req, at, command, start, e.getMessage());
      Refusal r = refusal(e);
      Map<String, Object> problem = new LinkedHashMap<>();
      problem.put("status", r.status);
      problem.put("title", r.title);
      problem.put("detail", r.getMessage());
      send(out, "error", Json.value(problem), caller);
    } finally {
      Thread.interrupted(); // a client that went away interrupted the invocation: the thread goes back clean
    }
  }

  /** Writes one event; a client that went away interrupts the invocation, which cancels it. */
  private static void send(PrintWriter out, String event, jakarta.json.JsonValue data, Thread caller) {
    out.write("event: " + event + "\ndata: " + data.toString() + "\n\n");
    out.flush();
    if (out.checkError()) {
      caller.interrupt();
    }
  }

  private static Duration timeout(String seconds) {
    if (seconds == null) {
      return null;
    }
    try {
      double s = Double.parseDouble(seconds);
      if (s > 0 && s <= 86_400) {
        return Duration.ofMillis((long) (s * 1000));
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    throw new Refusal(400, "Bad Request", "timeout takes seconds, more than 0 and at most 86400, not '" + seconds + "'");
  }

  static Refusal refusal(ActionException e) {
    return switch (e.kind()) {
      case NOT_FOUND -> new Refusal(404, "Not Found", e.getMessage());
      case INVALID_INPUT -> new Refusal(400, "Bad Request", e.getMessage());
      case BUSY -> new Refusal(503, "Service Unavailable", e.getMessage());
      case TIMEOUT -> new Refusal(504, "Gateway Timeout", e.getMessage());
      case CANCELLED -> new Refusal(503, "Service Unavailable", e.getMessage());
      case FAILED -> new Refusal(500, "Internal Server Error", e.getMessage());
    };
  }
}
