package io.dockevos.http.internal;

import io.dockevos.http.HttpEvents;
import io.dockevos.http.Token;
import io.dockevos.http.TokenScope;
import io.dockevos.http.Tokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * The servlet context {@code /api}: every request carries a bearer token ({@code Authorization:
 * Bearer dkv_...}), else 401 (all but liveness, {@code /api/v1/health/live}); a {@code read} token may only read (GET, HEAD), else 403. The token's
 * name is the request's user ({@link #USER}).
 */
@Component(service = ServletContextHelper.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + ApiContext.NAME,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_PATH + "=/api"})
public final class ApiContext extends ServletContextHelper {
  static final String NAME = "dockevos.api";
  static final String SELECT = "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + NAME + ")";
  /** The request attribute that holds the token's name. */
  static final String USER = "dockevos.user";
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
  /** Liveness, the one thing asked without a token (the Felix Health Checks servlet, tag systemalive). */
  private static final Set<String> OPEN = Set.of("/api/v1/health/live", "/api/v1/health/live.json",
      "/api/v1/health/live.txt");

  private final Tokens tokens;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile EventAdmin events;

  @Activate
  public ApiContext(@Reference Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (OPEN.contains(request.getRequestURI()) && READS.contains(request.getMethod())) {
      request.setAttribute(USER, "-");
      return true;
    }
    String secret = io.dockevos.common.internal.BearerAuth.secret(request.getHeader("Authorization"));
    Optional<Token> token = tokens.authenticate(secret);
    if (token.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"dockevos\"");
      refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
          io.dockevos.common.internal.BearerAuth.unauthorized(secret, "This request"));
      return false;
    }
    if (token.get().scope() == TokenScope.READ && !READS.contains(request.getMethod())) {
      refuse(request, response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", "The token " + token.get().name()
          + " has the scope read: it cannot " + request.getMethod() + " (make an admin token with token:create"
          + " --scope admin)");
      return false;
    }
    request.setAttribute(USER, token.get().name());
    return true;
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String title,
      String detail) throws IOException {
    Problems.closeIfBodyUnread(request, response, status);
    Problems.problem(response, status, title, detail);
    EventAdmin ea = events;
    if (ea != null) {
      ea.postEvent(new Event(HttpEvents.REFUSED, Map.of(HttpEvents.REQUEST, request.getMethod() + " "
          + request.getRequestURI(), HttpEvents.STATUS, status)));
    }
  }
}
