package io.dockevos.http.internal;

import io.dockevos.common.internal.DiagnosisJson;
import io.dockevos.common.internal.PluginJson;
import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import io.dockevos.systemlog.CommandHistory;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.BundleContext;
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
 *   <li>{@code GET /api/v1/plugins/ID/diag}: its diagnosis, as {@code plugin:diag --json} shows it
 *   <li>{@code POST /api/v1/plugins} with {@code {"source": "..."}}, or a jar as {@code multipart/form-data}
 *       ({@link Uploads}): installs through the install pipeline
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
  private final transient Diagnostics diagnostics;
  private final transient Uploads uploads;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private transient volatile CommandHistory history;

  @Activate
  public PluginsResource(@Reference PluginManager plugins, @Reference Diagnostics diagnostics, BundleContext context) {
    this.plugins = plugins;
    this.diagnostics = diagnostics;
    this.uploads = new Uploads(Path.of(context.getProperty("dockevos.data")).resolve("http/uploads"));
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
    } else if (path.length == 2 && path[1].equals("diag")) {
      Plugin p = plugin(path[0]);
      BundleDiagnosis d = diagnostics.diagnose(p.id(), Diagnostics.Depth.CANDIDATES)
          .orElseThrow(() -> notFound("No plugin " + path[0] + ": it was uninstalled meanwhile"));
      Problems.json(resp, 200, DiagnosisJson.of(p, d));
    } else {
      throw notFound("No resource " + req.getRequestURI() + ": GET /api/v1/plugins/ID is one plugin, GET"
          + " /api/v1/plugins/ID/diag its diagnosis");
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String[] path = path(req);
    if (path.length == 0 && Uploads.isMultipart(req)) {
      change(req, resp, () -> {
        Path jar = uploads.save(req);
        try {
          return PluginJson.of(plugins.install(jar.toString()));
        } catch (Exception e) {
          uploads.discard(jar);
          throw e;
        }
      }, 409, "Conflict");
      return;
    }
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
      Map<String, Object> gone = new java.util.LinkedHashMap<>();
      gone.put("uninstalled", p.symbolicName());
      gone.put("version", p.version());
      gone.put("keptData", keepData);
      return gone;
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
