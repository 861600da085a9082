package io.dockevos.webconsole.internal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.apache.felix.webconsole.servlet.User;
import org.owasp.encoder.Encode;

/**
 * A dockevOS tab of the Web Console: a Jakarta servlet with {@code felix.webconsole.label}. A GET renders
 * the tab inside the console's page; a POST is one action: its CSRF token is checked first (a browser's
 * session must send the one its forms carry, else 403 and nothing happens), then it runs, and the browser
 * is sent back to the tab (303), which shows what it did. A request with a bearer token (no cookie, so no
 * cross-site risk) gets the outcome as plain text instead.
 *
 * <p>Every text that is not the tab's own goes through the OWASP encoder ({@link #h}, {@link #a}).
 */
abstract class Tab extends AbstractServlet {
  private static final long serialVersionUID = 1L;
  static final String CATEGORY = "dockevOS";

  /** What a POST did, in plain words, for the page after it. */
  record Outcome(String message, boolean failed) {
    static Outcome ok(String message) {
      return new Outcome(message, false);
    }

    static Outcome failed(String message) {
      return new Outcome(message, true);
    }
  }

  /** @return the tab's label, as in its URL */
  abstract String label();

  /** @return where each action is recorded */
  abstract Audit audit();

  /** Writes the tab's content. */
  abstract void render(HttpServletRequest req, PrintWriter out, Forms forms) throws IOException;

  /**
   * Runs the POST's action; the CSRF token was checked.
   *
   * @param session the browser's session, or null for a bearer token
   */
  abstract Outcome act(HttpServletRequest req, Sessions.Session session) throws Exception;

  @Override
  public void renderContent(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
    PrintWriter out = resp.getWriter();
    Sessions.Session s = session(req);
    Forms forms = new Forms(pluginRoot(req), s == null ? "" : s.csrf);
    out.println("<div class=\"dockevos\" style=\"padding:0.5em\">");
    if (s != null) {
      boolean failed = s.failed;
      String m = s.takeMessage();
      if (m != null) {
        out.println("<p id=\"message\" class=\"" + (failed ? "ui-state-error" : "ui-state-highlight") + "\""
            + " style=\"padding:0.5em;white-space:pre-wrap\">" + h(m) + "</p>");
      }
    }
    render(req, out, forms);
    out.println("</div>");
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Sessions.Session s = session(req);
    if (s != null && !Sessions.csrfMatches(s, field(req, Sessions.CSRF_FIELD))
        && !Sessions.csrfMatches(s, req.getHeader(Sessions.CSRF_HEADER))) {
      text(resp, 403, "The form's CSRF token is missing or does not match this session: nothing was done. Reload the"
          + " page and send the form again.");
      return;
    }
    Outcome o;
    long start = System.nanoTime();
    String op = field(req, "op");
    String target = field(req, "target");
    try {
      o = act(req, s);
    } catch (Exception e) {
      o = Outcome.failed(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    audit().record(user(req), "webconsole " + label() + " " + op + (target == null ? "" : " " + target), start,
        o.failed() ? o.message() : null);
    if (s == null) {
      text(resp, o.failed() ? 409 : 200, o.message());
      return;
    }
    s.tell(o.message(), o.failed());
    resp.setStatus(303);
    resp.setHeader("Location", pluginRoot(req));
    resp.setContentLength(0);
  }

  /** @return the browser's session of this request; null for a bearer token */
  static Sessions.Session session(HttpServletRequest req) {
    Object u = req.getAttribute(User.USER_ATTRIBUTE);
    if (u instanceof User user && user.getUserObject() instanceof ConsoleSecurity.ConsoleUser cu) {
      return cu.session();
    }
    return null;
  }

  /** @return who acts, for the audit of what a plan grants: {@code admin (webconsole)} */
  static String who(HttpServletRequest req) {
    return user(req) + " (" + Audit.ORIGIN + ")";
  }

  /** @return the user: {@code admin}, or {@code token NAME} */
  static String user(HttpServletRequest req) {
    Object u = req.getAttribute(User.USER_ATTRIBUTE);
    return u instanceof User user && user.getUserObject() instanceof ConsoleSecurity.ConsoleUser cu ? cu.name() : "?";
  }

  static String pluginRoot(HttpServletRequest req) {
    Object root = req.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
    return root instanceof String s ? s : ConsoleSecurity.DEFAULT_ROOT;
  }

  /** @return a form field, from a urlencoded body or a multipart one; null when there is none */
  static String field(HttpServletRequest req, String name) throws IOException {
    String v = req.getParameter(name);
    if (v != null || !isMultipart(req)) {
      return v;
    }
    try {
      Part p = req.getPart(name);
      if (p == null || p.getSize() > 4096) {
        return null;
      }
      try (InputStream in = p.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (ServletException | IllegalStateException e) {
      return null;
    }
  }

  static boolean isMultipart(HttpServletRequest req) {
    String type = req.getContentType();
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
  }

  static void text(HttpServletResponse resp, int status, String text) throws IOException {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("text/plain");
    resp.setCharacterEncoding("UTF-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  /** @return the text, escaped for HTML content */
  static String h(Object text) {
    return Encode.forHtml(text == null ? "" : String.valueOf(text));
  }

  /** @return the text, escaped for an HTML attribute */
  static String a(Object text) {
    return Encode.forHtmlAttribute(text == null ? "" : String.valueOf(text));
  }

  /** Writes a table: a header row, then the rows, each cell escaped; {@code ids} names each row (or null). */
  static void table(PrintWriter out, String id, List<String> header, List<List<String>> rows) {
    out.println("<table class=\"nicetable\" id=\"" + a(id) + "\"><thead><tr>");
    for (String c : header) {
      out.print("<th>" + h(c) + "</th>");
    }
    out.println("</tr></thead><tbody>");
    for (List<String> r : rows) {
      out.print("<tr>");
      for (String c : r) {
        out.print("<td>" + h(c) + "</td>");
      }
      out.println("</tr>");
    }
    out.println("</tbody></table>");
  }

  /** The forms of one page: each posts to the tab and carries the session's CSRF token. */
  static final class Forms {
    private final String action;
    private final String csrf;

    Forms(String action, String csrf) {
      this.action = action;
      this.csrf = csrf;
    }

    /** @return a form with one button that posts {@code op} and the fields given as name, value pairs */
    String button(String op, String label, String id, String... fields) {
      StringBuilder s = new StringBuilder("<form method=\"post\" action=\"").append(a(action))
          .append("\" style=\"display:inline\">").append(hidden());
      s.append("<input type=\"hidden\" name=\"op\" value=\"").append(a(op)).append("\">");
      for (int i = 0; i + 1 < fields.length; i += 2) {
        s.append("<input type=\"hidden\" name=\"").append(a(fields[i])).append("\" value=\"").append(a(fields[i + 1]))
            .append("\">");
      }
      s.append("<button type=\"submit\" id=\"").append(a(id)).append("\">").append(h(label)).append("</button></form>");
      return s.toString();
    }

    /** @return the start of a form that posts {@code op}; the caller adds its fields and closes it */
    String open(String op, boolean multipart, String id) {
      return "<form method=\"post\" action=\"" + a(action) + "\" id=\"" + a(id) + "\""
          + (multipart ? " enctype=\"multipart/form-data\"" : "") + ">" + hidden()
          + "<input type=\"hidden\" name=\"op\" value=\"" + a(op) + "\">";
    }

    private String hidden() {
      return "<input type=\"hidden\" name=\"" + Sessions.CSRF_FIELD + "\" value=\"" + a(csrf) + "\">";
    }
  }
}
