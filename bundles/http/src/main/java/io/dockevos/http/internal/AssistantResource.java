package io.dockevos.http.internal;

import io.dockevos.assist.AppliedFix;
import io.dockevos.assist.Assistant;
import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.common.internal.FixChoice;
import io.dockevos.common.internal.IncidentJson;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.systemlog.CommandHistory;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * The assistant, as {@code assist:analyze} and {@code assist:fix} use it.
 *
 * <ul>
 *   <li>{@code GET /api/v1/assistant/ID}: the incident's ranked diagnoses, each with its fixes, numbered
 *       as {@code assist:analyze} numbers them, with what each would change
 *   <li>{@code POST /api/v1/assistant/ID/fix} with {@code {"fix": N, "confirm": true}}: applies fix N and
 *       checks that it worked; without {@code "confirm": true} nothing is applied (400, with what would change)
 * </ul>
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/assistant/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + ApiContext.SELECT})
public final class AssistantResource extends ApiServlet {
  private static final long serialVersionUID = 1L;
  private final transient Assistant assistant;
  private final transient ErrorHandler errors;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private transient volatile CommandHistory history;

  @Activate
  public AssistantResource(@Reference Assistant assistant, @Reference ErrorHandler errors) {
    this.assistant = assistant;
    this.errors = errors;
  }

  @Override
  CommandHistory history() {
    return history;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String[] path = path(req);
    if (path.length != 1) {
      throw notFound("No resource " + req.getRequestURI() + ": GET /api/v1/assistant/ID analyzes an incident");
    }
    Incident i = incident(path[0]);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("incident", IncidentJson.of(i));
    m.put("diagnoses", FixChoice.json(assistant.analyze(i)));
    Problems.json(resp, 200, m);
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String[] path = path(req);
    if (path.length != 2 || !path[1].equals("fix")) {
      throw notFound("No resource " + req.getRequestURI() + ": POST /api/v1/assistant/ID/fix with {\"fix\": N,"
          + " \"confirm\": true} applies a fix");
    }
    Map<String, Object> body = body(req);
    Incident i = incident(path[0]);
    change(req, resp, () -> {
      Object number = body.getOrDefault("fix", 1);
      if (!(number instanceof Number num) || num.doubleValue() != num.intValue()) {
        throw new Refusal(400, "Bad Request", "\"fix\" is the fix's number in GET /api/v1/assistant/" + i.id()
            + ", not " + number);
      }
      int n = num.intValue();
      Fix fix;
      try {
        fix = FixChoice.pick(i, assistant.analyze(i), n, "GET /api/v1/assistant/" + i.id());
      } catch (FixChoice.NoSuchFix e) {
        throw e.noneKnown() ? new Refusal(409, "Conflict", e.getMessage()) : new Refusal(400, "Bad Request", e.getMessage());
      }
      if (fix.risk() == Risk.MANUAL) {
        throw new Refusal(409, "Conflict", "Fix " + n + " for " + i.id() + " is a manual procedure: nothing is"
            + " applied. Follow the steps, then analyze " + i.id() + " again:\n" + fix.dryRun());
      }
      if (!Boolean.TRUE.equals(body.get("confirm"))) {
        throw new Refusal(400, "Bad Request", "Not applied: the request must confirm it with \"confirm\": true."
            + " Fix " + n + " for " + i.id() + " [" + fix.risk() + "]: " + fix.description() + ". What will change:\n"
            + fix.dryRun());
      }
      AppliedFix applied = assistant.apply(i, fix, Assistant.BY_USER);
      if (!applied.worked()) {
        throw new Refusal(409, "Conflict", "The fix did not work: " + applied.result()
            + (applied.rolledBack() ? " (rolled back)" : ""));
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("incident", i.id());
      m.put("fix", applied.fix());
      m.put("risk", applied.risk().name());
      m.put("worked", applied.worked());
      m.put("result", applied.result());
      m.put("status", errors.incident(i.id()).map(x -> x.status().name()).orElse(null));
      return m;
    }, 500, "Internal Server Error");
  }

  private Incident incident(String id) {
    return errors.incident(id).orElseThrow(() -> notFound("No incident " + id + ": GET /api/v1/incidents lists the"
        + " open ones"));
  }
}
