package io.dockevos.assist.internal;

import io.dockevos.assist.Assistant;
import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.ErrorEvents;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy: with {@code autoApply = SAFE} in {@value AssistConfig#PID}, an incident that is
 * reported is analysed and its best SAFE fix applied, once per incident, by {@code policy}. It
 * exists only when the configuration does, so that a runtime without a policy does not even
 * subscribe. The work runs on a thread of its own, never on Event Admin's.
 */
@Component(service = EventHandler.class, configurationPid = AssistConfig.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE, property = EventConstants.EVENT_TOPIC + "=" + ErrorEvents.REPORTED)
public final class AutoApplyPolicy implements EventHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AutoApplyPolicy.class);
  private final Assistant assistant;
  /** Optional, so that the bundle resolves (effective:=active) where no error handler is installed. */
  @org.osgi.service.component.annotations.Reference(cardinality =
      org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL, policy =
      org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
  volatile ErrorHandler errors;
  private volatile boolean safe;
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "dockevos-assist-policy");
    t.setDaemon(true);
    return t;
  });

  @Activate
  public AutoApplyPolicy(@Reference Assistant assistant, AssistConfig config) {
    this.assistant = assistant;
    modified(config);
  }

  /** A changed policy is taken at once, without a restart that would miss the events meanwhile. */
  @org.osgi.service.component.annotations.Modified
  void modified(AssistConfig config) {
    safe = "SAFE".equals(config.autoApply() == null ? null : config.autoApply().trim());
  }

  @Deactivate
  void close() {
    worker.shutdownNow();
  }

  @Override
  public void handleEvent(Event event) {
    Object id = event.getProperty(ErrorEvents.INCIDENT_ID);
    if (!safe || id == null || !handled.add(id.toString())) {
      return;
    }
    worker.execute(() -> run(id.toString()));
  }

  private void run(String id) {
    try {
      ErrorHandler handler = errors;
      if (handler == null) {
        return;
      }
      Optional<Incident> incident = handler.incident(id);
      if (incident.isEmpty() || incident.get().status() == Incident.Status.FIXED
          || incident.get().status() == Incident.Status.IGNORED) {
        return;
      }
      for (Diagnosis d : assistant.analyze(incident.get())) {
        for (Fix f : d.fixes()) {
          if (f.risk() == Risk.SAFE) {
            assistant.apply(incident.get(), f, Assistant.BY_POLICY);
            return;
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("The policy could not handle incident {}: {}", id, e.toString(), e);
    }
  }
}
