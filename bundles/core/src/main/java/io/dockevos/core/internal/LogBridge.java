package io.dockevos.core.internal;

import java.util.Collections;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes OSGi Log Service entries into the dockevOS log, under a logger named after the bundle's
 * symbolic name (framework events under {@code Events.*}).
 *
 * <p>It replaces Felix Logback, whose latest release loses every entry with Logback 1.5 (a null
 * logger context in {@code LoggingEvent}). Entries logged before it started are replayed from
 * the Log Service's history.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = {}, immediate = true)
public final class LogBridge implements LogListener {
  private volatile long replayedUpTo;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addLogReader(LogReaderService reader) {
    List<LogEntry> history = Collections.list(reader.getLog());
    Collections.reverse(history); // oldest first
    reader.addLogListener(this);
    long last = 0;
    for (LogEntry e : history) {
      if (e.getSequence() > replayedUpTo) {
        logged(e);
      }
      last = Math.max(last, e.getSequence());
    }
    replayedUpTo = Math.max(replayedUpTo, last);
  }

  void removeLogReader(LogReaderService reader) {
    reader.removeLogListener(this);
  }

  @Override
  public void logged(LogEntry entry) {
    Bundle bundle = entry.getBundle();
    String bsn = bundle == null || bundle.getSymbolicName() == null ? "unknown" : bundle.getSymbolicName();
    String name = entry.getLoggerName();
    boolean event = name != null && name.startsWith("Events.");
    Logger log = LoggerFactory.getLogger(event ? name : bsn);
    String message = entry.getMessage();
    if (entry.getServiceReference() != null) {
      message = message + " (service " + entry.getServiceReference().getProperty("service.id") + ")";
    }
    Throwable t = entry.getException();
    switch (entry.getLogLevel()) {
      case AUDIT, ERROR -> log.error(message, t);
      case WARN -> log.warn(message, t);
      // The framework's own events (a bundle started, a service registered) are chatter at INFO: a
      // program that embeds dockevOS logs at INFO and sees none of them.
      case INFO -> {
        if (event) {
          log.debug(message, t);
        } else {
          log.info(message, t);
        }
      }
      case DEBUG -> log.debug(message, t);
      default -> log.trace(message, t);
    }
  }
}
