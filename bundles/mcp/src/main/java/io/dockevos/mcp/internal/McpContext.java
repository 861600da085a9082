package io.dockevos.mcp.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.http.HttpEvents;
import io.dockevos.http.Token;
import io.dockevos.http.Tokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
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
 * The servlet context {@code /mcp}: every request carries a bearer token of the HTTP surface ({@code
 * Authorization: Bearer dkv_...}), else 401 as problem+json. Every MCP request is a POST, so the
 * scope is not checked here: a {@code read} token may call the tools that change nothing, and {@link
 * McpTools} refuses it the others.
 */
@Component(service = ServletContextHelper.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + McpContext.NAME,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_PATH + "=" + McpContext.PATH})
public final class McpContext extends ServletContextHelper {
  static final String NAME = "dockevos.mcp";
  static final String PATH = "/mcp";
  static final String SELECT = "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + NAME + ")";
  /** The request attribute with the token's name. */
  static final String USER = "dockevos.user";
  /** The request attribute with the token's scope, {@code read} or {@code admin}. */
  static final String SCOPE = "dockevos.scope";

  private final Tokens tokens;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile EventAdmin events;

  @Activate
  public McpContext(@Reference Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String secret = io.dockevos.common.internal.BearerAuth.secret(request.getHeader("Authorization"));
    Optional<Token> token = tokens.authenticate(secret);
    if (token.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"dockevos\"");
      Map<String, Object> problem = io.dockevos.common.internal.BearerAuth.problem(401, "Unauthorized",
          io.dockevos.common.internal.BearerAuth.unauthorized(secret, "The MCP endpoint"));
      response.setStatus(401);
      // Every MCP request is a POST with a body, unread here: the connection ends with this answer.
      response.setHeader("Connection", "close");
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      response.getOutputStream().write(Json.pretty(problem).getBytes(StandardCharsets.UTF_8));
      EventAdmin ea = events;
      if (ea != null) {
        ea.postEvent(new Event(HttpEvents.REFUSED, Map.of(HttpEvents.REQUEST, request.getMethod() + " "
            + request.getRequestURI(), HttpEvents.STATUS, 401)));
      }
      return false;
    }
    request.setAttribute(USER, token.get().name());
    request.setAttribute(SCOPE, token.get().scope().word());
    return true;
  }
}
