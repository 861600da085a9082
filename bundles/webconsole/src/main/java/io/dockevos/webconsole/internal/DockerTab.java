package io.dockevos.webconsole.internal;

import io.dockevos.docker.ContainerInfo;
import io.dockevos.docker.DockerEngine;
import io.dockevos.docker.EngineStatus;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The tab Docker: the container engine (UP or DOWN, and why), the containers, and the last lines of one
 * container's log ({@code ?logs=ID}), from the {@code DockerEngine} service of the feature {@code
 * dockevos-docker}; without it, the tab says how to install it. It only reads.
 */
@Component(service = Servlet.class, property = {
    ServletConstants.PLUGIN_LABEL + "=" + DockerTab.LABEL,
    ServletConstants.PLUGIN_TITLE + "=dockevOS Docker",
    ServletConstants.PLUGIN_CATEGORY + "=" + Tab.CATEGORY})
public final class DockerTab extends Tab {
  private static final long serialVersionUID = 1L;
  static final String LABEL = "dockevos-docker";
  static final int LOG_LINES = 200;

  private final transient Audit audit;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private transient volatile DockerEngine engine;

  @Activate
  public DockerTab(@Reference Audit audit) {
    this.audit = audit;
  }

  @Override
  String label() {
    return LABEL;
  }

  @Override
  Audit audit() {
    return audit;
  }

  @Override
  void render(HttpServletRequest req, PrintWriter out, Forms forms) {
    DockerEngine e = engine;
    if (e == null) {
      out.println("<p id=\"not-installed\">The Docker manager is not installed: <code>feature:install dockevos-docker</code>"
          + " adds it (the engine, containers, images and services kept running).</p>");
      return;
    }
    EngineStatus st = e.status();
    out.println("<h2>Engine</h2>");
    out.println("<p id=\"engine\">" + h(st.state()) + " at " + h(st.endpoint())
        + (st.up() ? ", version " + h(st.version()) + " (API " + h(st.apiVersion()) + ")" : ": " + h(st.reason()))
        + (st.since() == null ? "" : ", since " + h(io.dockevos.common.internal.TimeFormat.of(st.since()))) + "</p>");
    if (!st.up()) {
      return;
    }
    List<ContainerInfo> containers;
    try {
      containers = e.containers(true, Map.of());
    } catch (RuntimeException ex) {
      out.println("<p class=\"ui-state-error\">The containers cannot be listed: " + h(ex.getMessage()) + "</p>");
      return;
    }
    out.println("<h2>Containers</h2>");
    if (containers.isEmpty()) {
      out.println("<p id=\"no-containers\">No containers.</p>");
    } else {
      String root = pluginRoot(req);
      out.println("<table class=\"nicetable\" id=\"containers\"><thead><tr><th>Id</th><th>Name</th><th>Image</th>"
          + "<th>State</th><th>Status</th><th>Ports</th><th></th></tr></thead><tbody>");
      for (ContainerInfo c : containers) {
        out.println("<tr><td>" + h(c.shortId()) + "</td><td>" + h(c.name()) + "</td><td>" + h(c.image()) + "</td><td>"
            + h(c.state()) + "</td><td>" + h(c.status()) + "</td><td>" + h(String.join(", ", c.ports())) + "</td><td>"
            + "<a href=\"" + a(root + "?logs=" + java.net.URLEncoder.encode(c.shortId(),
                java.nio.charset.StandardCharsets.UTF_8)) + "\">Logs</a></td></tr>");
      }
      out.println("</tbody></table>");
    }
    String logs = req.getParameter("logs");
    if (logs != null && !logs.isBlank()) {
      List<String> lines = new ArrayList<>();
      try {
        e.logs(logs, false, LOG_LINES, (line, error) -> {
          synchronized (lines) {
            lines.add((error ? "err| " : "") + line);
          }
        });
        out.println("<h2>The last " + LOG_LINES + " lines of " + h(logs) + "</h2><pre id=\"logs\">"
            + h(String.join("\n", lines)) + "</pre>");
      } catch (RuntimeException ex) {
        out.println("<p class=\"ui-state-error\">The log of " + h(logs) + " cannot be read: " + h(ex.getMessage())
            + "</p>");
      }
    }
  }

  @Override
  Outcome act(HttpServletRequest req, Sessions.Session s) {
    return Outcome.failed("The Docker tab only shows: docker: commands change containers");
  }
}
