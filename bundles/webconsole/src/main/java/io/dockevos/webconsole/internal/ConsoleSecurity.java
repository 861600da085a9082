package io.dockevos.webconsole.internal;

import io.dockevos.http.HttpEvents;
import io.dockevos.http.Token;
import io.dockevos.http.TokenScope;
import io.dockevos.http.Tokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.owasp.encoder.Encode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the Web Console: the user {@value PasswordStore#USER} with the generated password (a login
 * form, then a session cookie), or a request with an admin bearer token of the HTTP surface. It replaces
 * the console's own admin/admin: the console waits for it ({@code felix.webconsole.security.providers=dockevos},
 * a framework property of every dockevOS) and it outranks the console's basic provider.
 *
 * <p>A POST of a logged-in browser whose {@code Origin} (or else {@code Referer}) is another site is
 * refused (403) on every page of the console, Felix's own too; dockevOS's forms also check their CSRF
 * token ({@link Tab}).
 */
@Component(service = SecurityProvider.class, property = {
    SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurity.ID,
    Constants.SERVICE_RANKING + ":Integer=1000"})
public final class ConsoleSecurity implements SecurityProvider {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurity.class);
  /** The id the console waits for ({@code felix.webconsole.security.providers}). */
  static final String ID = "dockevos";
  static final String LOGIN = "/dockevos-login";
  static final String LOGOUT = "/dockevos-logout";
  static final String DEFAULT_ROOT = "/system/console";

  /** Who is logged in: the user, or {@code token NAME}; the session is null for a token. */
  record ConsoleUser(String name, Sessions.Session session) {}

  private final PasswordStore passwords;
  private final Sessions sessions;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile Tokens tokens;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile EventAdmin events;

  @Activate
  public ConsoleSecurity(@Reference PasswordStore passwords, @Reference Sessions sessions) {
    this.passwords = passwords;
    this.sessions = sessions;
  }

  @Override
  public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
    try {
      return check(request, response);
    } catch (IOException e) {
      LOG.debug("The answer to {} could not be written: {}", request.getRequestURI(), e.toString());
      return null;
    }
  }

  private Object check(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String root = root(request);
    String path = request.getRequestURI().substring(Math.min(request.getRequestURI().length(), root.length()));
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return bearer(request, response, header.substring(7).trim());
    }
    boolean post = "POST".equals(request.getMethod());
    if (post && !sameOrigin(request)) {
      refuse(request, response, 403, "This form was sent from another site (" + Optional.ofNullable(
          request.getHeader("Origin")).orElse(request.getHeader("Referer")) + "): refused, as a cross-site request");
      return null;
    }
    if (LOGIN.equals(path) && post) {
      login(request, response, root);
      return null;
    }
    if (LOGOUT.equals(path)) {
      sessions.close(request, response);
      redirect(response, root + "/");
      return null;
    }
    Optional<Sessions.Session> s = sessions.find(request, passwords.generation());
    if (s.isPresent()) {
      return new ConsoleUser(s.get().user, s.get());
    }
    loginPage(request, response, root, null);
    return null;
  }

  private Object bearer(HttpServletRequest request, HttpServletResponse response, String secret) throws IOException {
    Tokens t = tokens;
    Optional<Token> token = t == null ? Optional.empty() : t.authenticate(secret);
    if (token.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"dockevos\"");
      refuse(request, response, 401, t == null ? "Bearer tokens need the feature dockevos-http"
          : "The token is not known (revoked, or mistyped): token:list shows the tokens there are");
      return null;
    }
    if (token.get().scope() != TokenScope.ADMIN) {
      refuse(request, response, 403, "The token " + token.get().name() + " has the scope read: the Web Console needs"
          + " an admin token (token:create --scope admin)");
      return null;
    }
    return new ConsoleUser("token " + token.get().name(), null);
  }

  private void login(HttpServletRequest request, HttpServletResponse response, String root) throws IOException {
    String user = request.getParameter("username");
    String password = request.getParameter("password");
    if (!passwords.check(user, password)) {
      LOG.warn("A Web Console login as {} from {} failed: wrong user name or password", user, request.getRemoteAddr());
      publish(request, 401);
      loginPage(request, response, root, "Wrong user name or password.");
      return;
    }
    sessions.open(PasswordStore.USER, passwords.generation(), request, response);
    String next = request.getParameter("next");
    // Only a page of the console: never a redirect elsewhere.
    boolean local = next != null && next.startsWith(root + "/") && !next.startsWith("//") && !next.contains("\\")
        && !next.contains("..") && next.chars().noneMatch(c -> c < 0x21);
    redirect(response, local && !next.endsWith(LOGIN) ? next : root + "/");
  }

  @Override
  public boolean authorize(Object user, String role) {
    return user instanceof ConsoleUser;
  }

  @Override
  public void logout(HttpServletRequest request, HttpServletResponse response) {
    sessions.close(request, response);
  }

  /** @return whether a POST comes from a page of this server, by its Origin, else its Referer; true when neither is sent */
  static boolean sameOrigin(HttpServletRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null) {
      String referer = request.getHeader("Referer");
      if (referer == null) {
        return true;
      }
      origin = referer;
    }
    try {
      URI u = URI.create(origin.trim());
      String host = request.getServerName();
      int port = u.getPort() == -1 ? ("https".equalsIgnoreCase(u.getScheme()) ? 443 : 80) : u.getPort();
      return u.getScheme() != null && u.getScheme().equalsIgnoreCase(request.getScheme()) && u.getHost() != null
          && u.getHost().equalsIgnoreCase(host) && port == request.getServerPort();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** @return the console's root, {@code /system/console}: the request's context path, as the console's wrapper hands it */
  static String root(HttpServletRequest request) {
    // The console wraps the request before it asks: its servlet path is the context's path.
    String sp = request.getServletPath();
    if (sp != null && !sp.isEmpty() && request.getRequestURI().startsWith(sp)) {
      return sp.endsWith("/") ? sp.substring(0, sp.length() - 1) : sp;
    }
    String ctx = request.getContextPath();
    return ctx != null && !ctx.isEmpty() ? ctx : DEFAULT_ROOT;
  }

  private void loginPage(HttpServletRequest request, HttpServletResponse response, String root, String error)
      throws IOException {
    String next = "GET".equals(request.getMethod()) ? request.getRequestURI()
        + (request.getQueryString() == null ? "" : "?" + request.getQueryString()) : root + "/";
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>dockevOS Web Console: log in</title>")
        .append("<style>body{font-family:sans-serif;margin:3em}label{display:block;margin:.5em 0}"
            + ".error{color:#a00}</style></head><body>\n<h1>dockevOS Web Console</h1>\n");
    if (error != null) {
      h.append("<p class=\"error\" id=\"login-error\">").append(Encode.forHtml(error)).append("</p>\n");
    }
    h.append("<form method=\"post\" action=\"").append(Encode.forHtmlAttribute(root + LOGIN)).append("\">\n")
        .append("<input type=\"hidden\" name=\"next\" value=\"").append(Encode.forHtmlAttribute(next)).append("\">\n")
        .append("<label>User <input type=\"text\" name=\"username\" id=\"username\" value=\"admin\"></label>\n")
        .append("<label>Password <input type=\"password\" name=\"password\" id=\"password\" autofocus></label>\n")
        .append("<button type=\"submit\" id=\"login\">Log in</button>\n</form>\n")
        .append("<p>The password was generated at the first start and shown once in the log;"
            + " <code>bin/dockevos webconsole-password</code> makes a new one.</p>\n</body></html>\n");
    byte[] bytes = h.toString().getBytes(StandardCharsets.UTF_8);
    response.setStatus(401);
    response.setContentType("text/html");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    response.flushBuffer();
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String text)
      throws IOException {
    publish(request, status);
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("text/plain");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    response.flushBuffer();
  }

  private static void redirect(HttpServletResponse response, String location) throws IOException {
    response.setStatus(303);
    response.setHeader("Location", location);
    response.setContentLength(0);
    response.flushBuffer();
  }

  private void publish(HttpServletRequest request, int status) {
    EventAdmin ea = events;
    if (ea != null) {
      ea.postEvent(new Event(HttpEvents.REFUSED, Map.of(HttpEvents.REQUEST, request.getMethod() + " "
          + request.getRequestURI(), HttpEvents.STATUS, status)));
    }
  }
}
