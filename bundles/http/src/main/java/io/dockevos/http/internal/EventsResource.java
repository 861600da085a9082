package io.dockevos.http.internal;

import io.dockevos.common.internal.Json;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * {@code GET /api/v1/events}: the runtime's {@code dockevos/*} events as Server-Sent Events, as they
 * happen ({@code ?topic=dockevos/plugin} keeps those under one topic). Each connection has its own
 * event handler and a queue of {@value #QUEUE} events: Event Admin only ever offers to the queue, so
 * a client that does not read cannot hold it up; when the queue is full the client is dropped (an
 * {@code event: dropped}, then the end of the stream). A comment every {@value #KEEPALIVE_SECONDS} s
 * finds clients that went away. At most {@value #MAX_STREAMS} streams at once (503 beyond).
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/events",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + ApiContext.SELECT})
public final class EventsResource extends ApiServlet {
  private static final long serialVersionUID = 1L;
  static final int QUEUE = 1024;
  static final int MAX_STREAMS = 16;
  static final int KEEPALIVE_SECONDS = 15;
  private final transient BundleContext context;
  private final AtomicInteger streams = new AtomicInteger();
  private volatile boolean closed;

  @Activate
  public EventsResource(BundleContext context) {
    this.context = context;
  }

  @Deactivate
  void deactivate() {
    closed = true;
  }

  @Override
  io.dockevos.systemlog.CommandHistory history() {
    return null;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String topic = req.getParameter("topic");
    if (topic != null && !topic.equals("dockevos") && !topic.matches("dockevos(/[A-Za-z0-9_.-]+)+")) {
      throw new Refusal(400, "Bad Request", "topic is a topic under dockevos/, such as dockevos/plugin, not '"
          + topic + "'");
    }
    if (streams.incrementAndGet() > MAX_STREAMS) {
      streams.decrementAndGet();
      throw new Refusal(503, "Service Unavailable", "There are " + MAX_STREAMS + " event streams already, the most"
          + " there may be: close one");
    }
    EventQueue queue = new EventQueue(QUEUE);
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(EventConstants.EVENT_TOPIC, topic == null || topic.equals("dockevos") ? "dockevos/*" : new String[] {
        topic, topic + "/*"});
    ServiceRegistration<EventHandler> reg = context.registerService(EventHandler.class, queue, props);
    try {
      resp.setStatus(200);
      resp.setContentType("text/event-stream");
      resp.setCharacterEncoding("UTF-8");
      resp.setHeader("Cache-Control", "no-cache");
      PrintWriter out = resp.getWriter();
      out.write(": dockevos events" + (topic == null ? "" : " under " + topic) + "\n\n");
      out.flush();
      while (!closed && !out.checkError()) {
        Event e = queue.next(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        if (queue.dropped()) {
          out.write("event: dropped\ndata: {\"detail\": \"This client read too slowly: more than " + QUEUE
              + " events waited for it. Connect again.\"}\n\n");
          out.flush();
          return;
        }
        if (e == null) {
          out.write(": keepalive\n\n");
        } else {
          out.write("event: " + e.getTopic() + "\ndata: " + Json.value(toMap(e)) + "\n\n");
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      reg.unregister();
      streams.decrementAndGet();
    }
  }

  static Map<String, Object> toMap(Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("topic", e.getTopic());
    Map<String, Object> props = new java.util.TreeMap<>(); // by name, the same on every run
    for (String name : e.getPropertyNames()) {
      if (!name.equals(EventConstants.EVENT_TOPIC)) {
        props.put(name, e.getProperty(name));
      }
    }
    m.put("properties", props);
    return m;
  }
}
