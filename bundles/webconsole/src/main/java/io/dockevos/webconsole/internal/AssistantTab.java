package io.dockevos.webconsole.internal;

import io.dockevos.assist.AppliedFix;
import io.dockevos.assist.Assistant;
import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.PrintWriter;
import java.util.List;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The tab Incidents &amp; Assistant: the open incidents of the error handler; Analyze asks the assistant
 * (as {@code assist:analyze}: the ranked diagnoses, each fix with its risk and what it will change); a
 * fix's button applies it (as {@code assist:fix --yes}: it is checked, and rolled back when it did not
 * work). A manual fix shows its steps and has no button. The fixes applied so far are listed below.
 */
@Component(service = Servlet.class, property = {
    ServletConstants.PLUGIN_LABEL + "=" + AssistantTab.LABEL,
    ServletConstants.PLUGIN_TITLE + "=dockevOS Incidents & Assistant",
    ServletConstants.PLUGIN_CATEGORY + "=" + Tab.CATEGORY})
public final class AssistantTab extends Tab {
  private static final long serialVersionUID = 1L;
  static final String LABEL = "dockevos-assistant";
  /** The incident last analyzed in this session, and its diagnoses. */
  private static final String ANALYSIS = "assist.analysis";

  record Analysis(Incident incident, List<Diagnosis> diagnoses) {}

  private final transient ErrorHandler errors;
  private final transient Assistant assistant;
  private final transient Audit audit;

  @Activate
  public AssistantTab(@Reference ErrorHandler errors, @Reference Assistant assistant, @Reference Audit audit) {
    this.errors = errors;
    this.assistant = assistant;
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
    Sessions.Session s = session(req);
    Analysis analysis = s == null ? null : (Analysis) s.data.get(ANALYSIS);
    List<Incident> open = errors.incidents(false).stream()
        .filter(i -> i.status() == Incident.Status.OPEN || i.status() == Incident.Status.ANALYSED).toList();
    out.println("<h2>Open incidents</h2>");
    if (open.isEmpty()) {
      out.println("<p id=\"no-incidents\">No open incidents.</p>");
    } else {
      out.println("<table class=\"nicetable\" id=\"incidents\"><thead><tr><th>Id</th><th>Severity</th><th>Source</th>"
          + "<th>Plugin</th><th>What happened</th><th>Seen</th><th>Status</th><th></th></tr></thead><tbody>");
      for (Incident i : open) {
        out.println("<tr id=\"incident-" + a(i.id()) + "\"><td>" + h(i.id()) + "</td><td>" + h(i.severity()) + "</td><td>"
            + h(i.source()) + "</td><td>" + h(i.pluginId()) + "</td><td>" + h(i.summary()) + "</td><td>" + i.count()
            + "x</td><td class=\"status\">" + h(i.status()) + "</td><td>"
            + forms.button("analyze", "Analyze", "analyze-" + i.id(), "target", i.id()) + "</td></tr>");
      }
      out.println("</tbody></table>");
    }
    if (analysis != null) {
      renderAnalysis(out, forms, analysis);
    }
    List<AppliedFix> history = assistant.history();
    if (!history.isEmpty()) {
      out.println("<h2>Fixes applied</h2>");
      out.println("<table class=\"nicetable\" id=\"fixes\"><thead><tr><th>When</th><th>Incident</th><th>Fix</th>"
          + "<th>Risk</th><th>By</th><th>Worked</th><th>What it did</th></tr></thead><tbody>");
      List<AppliedFix> last = new java.util.ArrayList<>(history.subList(Math.max(0, history.size() - 20), history.size()));
      java.util.Collections.reverse(last);
      for (AppliedFix f : last) {
        out.println("<tr><td>" + h(io.dockevos.common.internal.TimeFormat.of(f.at())) + "</td><td>" + h(f.incidentId())
            + "</td><td>" + h(f.fix()) + "</td><td>" + h(f.risk()) + "</td><td>" + h(f.by()) + "</td><td>"
            + (f.worked() ? "yes" : f.rolledBack() ? "no, rolled back" : "no") + "</td><td>" + h(f.result())
            + "</td></tr>");
      }
      out.println("</tbody></table>");
    }
  }

  private static void renderAnalysis(PrintWriter out, Forms forms, Analysis analysis) {
    Incident i = analysis.incident();
    out.println("<div id=\"analysis\" class=\"ui-widget-content\" style=\"padding:0.5em;margin:1em 0\">");
    out.println("<h2>" + h(i.id()) + ": " + h(i.summary()) + "</h2>");
    if (analysis.diagnoses().isEmpty()) {
      out.println("<p>No analyzer recognises it.</p></div>");
      return;
    }
    out.println("<ol>");
    int n = 0;
    for (Diagnosis d : analysis.diagnoses()) {
      out.println("<li><p>" + h(d.cause()) + " (" + Math.round(d.confidence() * 100) + "% sure, " + h(d.analyzer())
          + ")</p>");
      for (Fix f : d.fixes()) {
        n++;
        out.println("<div class=\"fix\" id=\"fix-" + n + "\"><p><b>Fix " + n + " [" + h(f.risk()) + "]</b>: "
            + h(f.description()) + "</p><p>What will change:</p><pre>" + h(f.dryRun()) + "</pre>");
        if (f.risk() == Risk.MANUAL) {
          out.println("<p>A manual procedure: nothing is applied. Follow the steps, then analyze again.</p>");
        } else {
          out.println(forms.button("fix", "Apply fix " + n, "apply-" + n, "target", i.id(), "fix", String.valueOf(n)));
        }
        out.println("</div>");
      }
      out.println("</li>");
    }
    out.println("</ol></div>");
  }

  @Override
  Outcome act(HttpServletRequest req, Sessions.Session s) throws Exception {
    String op = field(req, "op");
    String id = field(req, "target");
    Incident incident = errors.incident(id == null ? "" : id)
        .orElseThrow(() -> new IllegalArgumentException("No incident " + id + ": the list shows the open ones"));
    switch (op == null ? "" : op) {
      case "analyze": {
        List<Diagnosis> diagnoses = assistant.analyze(incident);
        if (incident.status() == Incident.Status.OPEN) {
          errors.setStatus(incident.id(), Incident.Status.ANALYSED);
        }
        if (s != null) {
          s.data.put(ANALYSIS, new Analysis(incident, diagnoses));
        }
        long fixes = diagnoses.stream().mapToLong(d -> d.fixes().size()).sum();
        return Outcome.ok(incident.id() + ": " + diagnoses.size() + " diagnos" + (diagnoses.size() == 1 ? "is" : "es")
            + ", " + fixes + " fix" + (fixes == 1 ? "" : "es") + (diagnoses.isEmpty() ? "" : "; the most likely cause: "
            + diagnoses.get(0).cause()));
      }
      case "fix": {
        int n;
        try {
          n = Integer.parseInt(String.valueOf(field(req, "fix")));
        } catch (NumberFormatException e) {
          return Outcome.failed("The fix number must be a number, it is '" + field(req, "fix") + "'");
        }
        // Analyzed again, as assist:fix does: the fix applies to the runtime as it is now.
        List<Fix> fixes = assistant.analyze(incident).stream().flatMap(d -> d.fixes().stream()).toList();
        if (n < 1 || n > fixes.size()) {
          return Outcome.failed(incident.id() + " has " + fixes.size() + " fix" + (fixes.size() == 1 ? "" : "es")
              + ", there is no fix " + n + ": analyze it again");
        }
        Fix fix = fixes.get(n - 1);
        if (fix.risk() == Risk.MANUAL) {
          return Outcome.failed("Fix " + n + " is a manual procedure: nothing is applied. " + fix.dryRun());
        }
        AppliedFix applied = assistant.apply(incident, fix, Assistant.BY_USER);
        if (s != null) {
          s.data.remove(ANALYSIS);
        }
        return applied.worked() ? Outcome.ok("Applied fix " + n + " for " + incident.id() + ": " + applied.result()
            + "\n" + incident.id() + " is FIXED.") : Outcome.failed("The fix did not work"
            + (applied.rolledBack() ? " and was rolled back" : "") + ": " + applied.result());
      }
      default:
        return Outcome.failed("No action '" + op + "' on the Assistant tab: analyze or fix");
    }
  }
}
