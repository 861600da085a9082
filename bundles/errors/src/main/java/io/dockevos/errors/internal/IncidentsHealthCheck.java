package io.dockevos.errors.internal;

import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import java.util.List;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * A Felix Health Check over the open incidents: CRITICAL while an ERROR or CRITICAL incident is
 * open, WARN while only warnings are, OK otherwise. {@code hc:exec} and any other Health Check
 * consumer sees it as {@value #NAME}.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = HealthCheck.class, property = {HealthCheck.NAME + "=" + IncidentsHealthCheck.NAME,
    HealthCheck.TAGS + "=dockevos", HealthCheck.TAGS + "=incidents"})
public final class IncidentsHealthCheck implements HealthCheck {
  static final String NAME = "dockevos.incidents";
  private final ErrorHandler errors;

  @Activate
  public IncidentsHealthCheck(@Reference ErrorHandler errors) {
    this.errors = errors;
  }

  @Override
  public Result execute() {
    FormattingResultLog log = new FormattingResultLog();
    List<Incident> open = errors.incidents(false);
    if (open.isEmpty()) {
      log.info("No open incidents");
    }
    for (Incident i : open) {
      String line = i.id() + " " + i.severity() + " x" + i.count() + " " + i.summary();
      if (i.severity() == Incident.Severity.WARNING) {
        log.warn("{}", line);
      } else {
        log.critical("{}", line);
      }
    }
    return new Result(log);
  }
}
