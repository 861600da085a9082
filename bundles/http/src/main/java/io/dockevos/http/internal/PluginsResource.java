package io.dockevos.http.internal;

import io.dockevos.common.internal.PluginJson;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * {@code GET /api/v1/plugins}: the plugins, as {@code plugin:list --json} shows them ({@code ?all=true}
 * adds the runtime's own); {@code GET /api/v1/plugins/ID}: one, by id or symbolic name, else 404.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/plugins",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/plugins/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + ApiContext.SELECT})
public final class PluginsResource extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient PluginManager plugins;

  @Activate
  public PluginsResource(@Reference PluginManager plugins) {
    this.plugins = plugins;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo();
    if (path == null || path.equals("/")) {
      boolean all = "true".equals(req.getParameter("all"));
      Problems.json(resp, 200, plugins.list().stream().filter(p -> all || !p.boot()).map(PluginJson::of).toList());
      return;
    }
    String ref = path.substring(1);
    Optional<Plugin> p = plugins.find(ref);
    if (p.isEmpty()) {
      Problems.problem(resp, 404, "Not Found", "No plugin " + ref + ": GET /api/v1/plugins lists them");
      return;
    }
    Problems.json(resp, 200, PluginJson.of(p.get()));
  }
}
