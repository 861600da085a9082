package io.dockevos.http.internal;

import io.dockevos.systemlog.CommandHistory;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * {@code GET /api/v1/openapi.json}: the API described in OpenAPI 3.1 (the bundle's {@code openapi.json};
 * RestApiIT checks every answer its tests get against it).
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/openapi.json",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + ApiContext.SELECT})
public final class OpenApiResource extends ApiServlet {
  private static final long serialVersionUID = 1L;
  private static final byte[] DOCUMENT = load();

  private static byte[] load() {
    try (InputStream in = OpenApiResource.class.getResourceAsStream("/openapi.json")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  CommandHistory history() {
    return null;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setStatus(200);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.setContentLength(DOCUMENT.length);
    resp.getOutputStream().write(DOCUMENT);
  }
}
