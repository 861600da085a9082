package io.dockevos.http.internal;

import io.dockevos.common.internal.PluginJson;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import io.dockevos.systemlog.CommandHistory;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * The plugins, as the plugin manager has them and {@code plugin:list --json} shows them.
 *
 * <ul>
 *   <li>{@code GET /api/v1/plugins} (the runtime's own too with {@code ?all=true}), {@code GET /api/v1/plugins/ID}
 *   <li>{@code POST /api/v1/plugins} with {@code {"source": "..."}}: installs through the install pipeline
 *   <li>{@code POST /api/v1/plugins/ID/start}, {@code stop}, {@code enable}, {@code disable}, {@code update}
 *       (with {@code {"source": "..."}} or none)
 *   <li>{@code DELETE /api/v1/plugins/ID} ({@code ?keepData=true} keeps its data)
 * </ul>
 *
 * A change answers the plugin as it is then, and is kept in the command history.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/plugins",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/plugins/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + ApiContext.SELECT})
public final class PluginsResource extends ApiServlet {
  private static final long serialVersionUID = 1L;
  private final transient PluginManager plugins;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private transient volatile CommandHistory history;

  @Activate
  public PluginsResource(@Reference PluginManager plugins) {
    this.plugins = plugins;
  }

  @Override
  CommandHistory history() {
    return history;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String[] path = path(req);
    if (path.length == 0) {
      boolean all = "true".equals(req.getParameter("all"));
      Problems.json(resp, 200, plugins.list().stream().filter(p -> all || !p.boot()).map(PluginJson::of).toList());
    } else if (path.length == 1) {
      Problems.json(resp, 200, PluginJson.of(plugin(path[0])));
    } else {
      throw notFound("No resource " + req.getRequestURI() + ": GET /api/v1/plugins/ID is one plugin");
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String[] path = path(req);
    Map<String, Object> body = body(req);
    if (path.length == 0) {
      String source = source(body, true);
      change(req, resp, () -> PluginJson.of(plugins.install(source)), 409, "Conflict");
      return;
    }
    if (path.length != 2) {
      throw notFound("No resource " + req.getRequestURI() + ": POST /api/v1/plugins/ID/start (stop, enable, disable,"
          + " update)");
    }
    String ref = String.valueOf(plugin(path[0]).id());
    switch (path[1]) {
      case "start" -> change(req, resp, () -> PluginJson.of(plugins.start(ref)), 409, "Conflict");
      case "stop" -> change(req, resp, () -> PluginJson.of(plugins.stop(ref)), 409, "Conflict");
      case "enable" -> change(req, resp, () -> PluginJson.of(plugins.enable(ref)), 409, "Conflict");
      case "disable" -> change(req, resp, () -> PluginJson.of(plugins.disable(ref)), 409, "Conflict");
      case "update" -> {
        String source = source(body, false);
        change(req, resp, () -> PluginJson.of(plugins.update(ref, source)), 409, "Conflict");
      }
      default -> throw notFound("No operation " + path[1] + " on a plugin: start, stop, enable, disable or update");
    }
  }

  @Override
  protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String[] path = path(req);
    if (path.length != 1) {
      throw notFound("No resource " + req.getRequestURI() + ": DELETE /api/v1/plugins/ID uninstalls one plugin");
    }
    Plugin p = plugin(path[0]);
    boolean keepData = "true".equals(req.getParameter("keepData"));
    change(req, resp, () -> {
      plugins.uninstall(String.valueOf(p.id()), keepData);
      return Map.of("uninstalled", p.symbolicName(), "version", p.version(), "keptData", keepData);
    }, 409, "Conflict");
  }

  private Plugin plugin(String ref) {
    return plugins.find(ref).orElseThrow(() -> notFound("No plugin " + ref + ": GET /api/v1/plugins lists them"));
  }

  private static String source(Map<String, Object> body, boolean required) {
    Object s = body.get("source");
    if (s == null && !required) {
      return null;
    }
    if (!(s instanceof String text) || text.isBlank()) {
      throw new Refusal(400, "Bad Request", "The body needs \"source\": a file, a URL or mvn: coordinates, as"
          + " plugin:install takes it");
    }
    return text;
  }
}
