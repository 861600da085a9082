package io.dockevos.http.internal;

import io.dockevos.common.internal.IncidentJson;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.systemlog.CommandHistory;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * The incidents of the error handler, as {@code error:list --json} shows them: {@code GET
 * /api/v1/incidents} (the open ones; {@code ?all=true} also the fixed and ignored), {@code GET
 * /api/v1/incidents/ID}, and {@code POST /api/v1/incidents/ID/ignore}.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/incidents",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/incidents/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + ApiContext.SELECT})
public final class IncidentsResource extends ApiServlet {
  private static final long serialVersionUID = 1L;
  private final transient ErrorHandler errors;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private transient volatile CommandHistory history;

  @Activate
  public IncidentsResource(@Reference ErrorHandler errors) {
    this.errors = errors;
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
      Problems.json(resp, 200, errors.incidents(all).stream().map(IncidentJson::of).toList());
    } else if (path.length == 1) {
      Problems.json(resp, 200, IncidentJson.of(incident(path[0])));
    } else {
      throw notFound("No resource " + req.getRequestURI() + ": GET /api/v1/incidents/ID is one incident");
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String[] path = path(req);
    if (path.length != 2 || !path[1].equals("ignore")) {
      throw notFound("No resource " + req.getRequestURI() + ": POST /api/v1/incidents/ID/ignore");
    }
    String id = incident(path[0]).id();
    change(req, resp, () -> IncidentJson.of(errors.setStatus(id, Incident.Status.IGNORED)), 409, "Conflict");
  }

  private Incident incident(String id) {
    return errors.incident(id).orElseThrow(() -> notFound("No incident " + id + ": GET /api/v1/incidents lists the"
        + " open ones"));
  }
}
