package io.dockevos.http.internal;

import io.dockevos.action.ActionInfo;
import io.dockevos.action.ActionService;
import io.dockevos.systemlog.CommandHistory;
import io.dockevos.systemlog.MetricsStore;
import io.dockevos.systemlog.Sample;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * {@code GET /api/v1/metrics}: the system log's figures (a sample taken now: heap, threads, CPU,
 * garbage collection, bundles, services) and every action's figures, in the Prometheus text
 * exposition format (version 0.0.4). It is under {@code /api}, so a scraper sends a token (a
 * {@code read} one is enough): {@code authorization: credentials_file:} in Prometheus.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/metrics",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + ApiContext.SELECT})
public final class MetricsResource extends ApiServlet {
  private static final long serialVersionUID = 1L;
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private final transient MetricsStore metrics;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private transient volatile ActionService actions;

  @Activate
  public MetricsResource(@Reference MetricsStore metrics) {
    this.metrics = metrics;
  }

  @Override
  CommandHistory history() {
    return null;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (path(req).length != 0) {
      throw notFound("No resource " + req.getRequestURI() + ": GET /api/v1/metrics");
    }
    byte[] bytes = exposition(metrics.sampleNow(), actions).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(200);
    resp.setContentType(CONTENT_TYPE);
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  /** @return the sample and the actions' figures as Prometheus text */
  static String exposition(Sample s, ActionService actions) {
    StringBuilder b = new StringBuilder();
    gauge(b, "dockevos_heap_used_bytes", "Java heap in use", s.heapUsed());
    gauge(b, "dockevos_heap_committed_bytes", "Java heap committed", s.heapCommitted());
    gauge(b, "dockevos_heap_max_bytes", "Java heap limit", s.heapMax());
    gauge(b, "dockevos_threads", "live threads", s.threads());
    gauge(b, "dockevos_process_cpu_load", "the process's CPU load, 0 to 1", s.processCpuLoad());
    gauge(b, "dockevos_system_cpu_load", "the machine's CPU load, 0 to 1", s.systemCpuLoad());
    gauge(b, "dockevos_bundles", "installed bundles", s.bundles());
    gauge(b, "dockevos_services", "registered services", s.services());
    head(b, "dockevos_gc_collections_total", "garbage collections", "counter");
    s.gc().forEach(g -> line(b, "dockevos_gc_collections_total", "{gc=\"" + esc(g.name()) + "\"}", g.count()));
    head(b, "dockevos_gc_seconds_total", "time spent in garbage collection", "counter");
    s.gc().forEach(g -> line(b, "dockevos_gc_seconds_total", "{gc=\"" + esc(g.name()) + "\"}", g.timeMillis() / 1000.0));
    if (actions != null) {
      var all = actions.actions();
      head(b, "dockevos_action_invocations_total", "action invocations, from any surface", "counter");
      all.forEach(a -> line(b, "dockevos_action_invocations_total", labels(a), a.stats().invocations()));
      head(b, "dockevos_action_failures_total", "action invocations that failed", "counter");
      all.forEach(a -> line(b, "dockevos_action_failures_total", labels(a), a.stats().failures()));
      head(b, "dockevos_action_mean_seconds", "an action's mean duration", "gauge");
      all.forEach(a -> line(b, "dockevos_action_mean_seconds", labels(a), a.stats().meanMillis() / 1000.0));
      head(b, "dockevos_action_max_seconds", "an action's longest duration", "gauge");
      all.forEach(a -> line(b, "dockevos_action_max_seconds", labels(a), a.stats().maxMillis() / 1000.0));
    }
    return b.toString();
  }

  private static String labels(ActionInfo a) {
    return "{plugin=\"" + esc(a.plugin()) + "\",action=\"" + esc(a.name()) + "\"}";
  }

  private static void gauge(StringBuilder b, String name, String help, double value) {
    head(b, name, help, "gauge");
    line(b, name, "", value);
  }

  private static void head(StringBuilder b, String name, String help, String type) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void line(StringBuilder b, String name, String labels, double value) {
    b.append(name).append(labels).append(' ');
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      b.append((long) value);
    } else if (Double.isNaN(value)) {
      b.append("NaN");
    } else {
      b.append(String.format(Locale.ROOT, "%s", value));
    }
    b.append('\n');
  }

  private static String esc(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
