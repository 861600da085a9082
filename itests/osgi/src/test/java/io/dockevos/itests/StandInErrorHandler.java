package io.dockevos.itests;

import io.dockevos.error.ErrorEvents;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * A stand-in for the error handler (bundles/errors, not in this branch): it holds the incidents a
 * test gives it, and as the real one does, setStatus(FIXED) publishes dockevos/error/RESOLVED and
 * adding an incident publishes dockevos/error/REPORTED.
 */
final class StandInErrorHandler implements ErrorHandler {
  private final Map<String, Incident> incidents = new ConcurrentHashMap<>();
  final List<String> statuses = new CopyOnWriteArrayList<>();
  private final EventAdmin events;

  StandInErrorHandler(EventAdmin events) {
    this.events = events;
  }

  Incident add(String id, String source, String pluginId, String summary, Map<String, String> props) {
    Instant now = Instant.now();
    Incident i = new Incident(id, "fp-" + id, source, summary, summary, pluginId, Incident.Severity.ERROR,
        Incident.Status.OPEN, now, now, 1, props);
    incidents.put(id, i);
    events.sendEvent(new Event(ErrorEvents.REPORTED, Map.of(ErrorEvents.INCIDENT_ID, id)));
    return i;
  }

  @Override
  public List<Incident> incidents(boolean all) {
    return new ArrayList<>(incidents.values().stream().filter(i -> all || i.status() == Incident.Status.OPEN
        || i.status() == Incident.Status.ANALYSED).toList());
  }

  @Override
  public Optional<Incident> incident(String id) {
    return Optional.ofNullable(incidents.get(id));
  }

  @Override
  public Incident report(String source, String pluginId, Incident.Severity severity, String summary, Throwable error,
      Map<String, String> properties) {
    throw new UnsupportedOperationException("not needed by these tests");
  }

  @Override
  public Incident setStatus(String id, Incident.Status status) {
    Incident i = incidents.get(id);
    Incident changed = new Incident(i.id(), i.fingerprint(), i.source(), i.summary(), i.detail(), i.pluginId(),
        i.severity(), status, i.firstSeen(), i.lastSeen(), i.count(), i.properties());
    incidents.put(id, changed);
    statuses.add(id + " " + status);
    if (status == Incident.Status.FIXED) {
      events.postEvent(new Event(ErrorEvents.RESOLVED, Map.of(ErrorEvents.INCIDENT_ID, id)));
    }
    return changed;
  }

  @Override
  public int clear(String id) {
    return incidents.remove(id) == null ? 0 : 1;
  }

  @Override
  public Health health(String pluginId) {
    return Health.HEALTHY;
  }

  /** A stand-in cannot tell whether a cause is still there. */
  @Override
  public Optional<Boolean> recheck(String id) {
    return Optional.empty();
  }

  @Override
  public Hold holdResolution(String id) {
    return () -> {};
  }
}
