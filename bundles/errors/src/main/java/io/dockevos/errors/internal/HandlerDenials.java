package io.dockevos.errors.internal;

import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.LogEntry;

/**
 * A plugin's event handler that Event Admin denied: it took longer than Event Admin's timeout
 * ({@code org.apache.felix.eventadmin.Timeout}) for one event, so Event Admin delivers nothing more
 * to it. Felix Event Admin 1.6 gives one signal of it, an ERROR entry of its own bundle in the Log
 * Service, {@code EventAdmin: Denying event handler from ServiceReference [[...] | Bundle(BSN [ID])
 * | Handler(CLASS)] due to timeout!}, and no service or event: its text is read here, once, and
 * checked against the framework (the bundle of that id must be installed, under that name).
 */
final class HandlerDenials {
  static final String EVENT_ADMIN = "org.apache.felix.eventadmin";
  static final String TIMEOUT = "org.apache.felix.eventadmin.Timeout";
  /** The incident property with the class of the denied handler. */
  static final String HANDLER = "handler.class";
  private static final Pattern DENIED = Pattern.compile(
      "Denying event handler from ServiceReference \\[.*\\| Bundle\\((?:(\\S+) )?\\[(\\d+)\\]\\)"
      + "(?: \\| Handler\\(([^)]+)\\))?\\] due to timeout");

  /** What Event Admin said, checked. */
  record Denied(String bundle, long bundleId, String handler) {}

  private HandlerDenials() {}

  /** The denial that a log entry of Event Admin reports, if it reports one, and its bundle is the one named. */
  static Optional<Denied> of(LogEntry entry, BundleContext context) {
    Bundle from = entry.getBundle();
    if (from == null || !EVENT_ADMIN.equals(from.getSymbolicName()) || entry.getMessage() == null) {
      return Optional.empty();
    }
    Optional<Denied> said = parse(entry.getMessage());
    if (said.isEmpty()) {
      return said;
    }
    Denied d = said.get();
    Bundle b = context.getBundle(d.bundleId());
    if (b != null && d.bundle() != null && !d.bundle().equals(b.getSymbolicName())) {
      return Optional.empty(); // not the bundle named: the id was reused since
    }
    return Optional.of(new Denied(d.bundle() != null ? d.bundle() : b != null ? b.getSymbolicName()
        : "bundle " + d.bundleId(), d.bundleId(), d.handler()));
  }

  /** What Event Admin's message says, unchecked: the bundle's name ({@code null} when it has none), its id, the handler's class. */
  static Optional<Denied> parse(String message) {
    Matcher m = DENIED.matcher(message);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new Denied(m.group(1), Long.parseLong(m.group(2)), m.group(3) != null ? m.group(3) : "?"));
  }

  static Failure failure(Denied d, String message, BundleContext context) {
    String timeout = context.getProperty(TIMEOUT);
    String limit = timeout == null ? "its timeout" : timeout + " ms";
    Map<String, String> p = new LinkedHashMap<>();
    p.put(IncidentProperties.BUNDLE, d.bundle());
    p.put(IncidentProperties.BUNDLE_ID, String.valueOf(d.bundleId()));
    p.put(HANDLER, d.handler());
    p.put(IncidentProperties.MESSAGE, message);
    p.put(IncidentProperties.SUBJECT_KIND, "handler");
    p.put(IncidentProperties.SUBJECT, d.bundle() + "/" + d.handler());
    String summary = "Event Admin stopped delivering events to the event handler " + d.handler() + " of " + d.bundle()
        + ": one event took it longer than " + limit + " (" + TIMEOUT + ")";
    String detail = summary + ".\n\nEvent Admin denies a handler that takes longer than its timeout for one event, so that"
        + " it cannot stall every publisher that sends events synchronously (the publisher that waited went on once the"
        + " handler returned). The handler gets events again once its plugin starts anew (plugin:stop, plugin:start)."
        + "\n\nEvent Admin logged: " + message;
    return new Failure("eventadmin", d.bundleId() == 0 ? null : d.bundle(), Incident.Severity.ERROR,
        Failure.oneLine(summary), detail, "eventadmin|denied|" + d.bundle() + "|" + d.handler(), p);
  }
}
