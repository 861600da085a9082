package io.dockevos.errors.internal;

import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error handler's source that is the Log Service: every ERROR entry, live as it is logged, and
 * the history that was logged before the error handler listened, replayed.
 */
final class LogSource implements LogListener {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlerImpl.class);
  private final ErrorHandlerImpl errors;
  private final BundleContext context;
  /** The sequence of the first live log entry per reader: older ones are replayed. */
  private final Map<LogReaderService, Long> firstLive = new java.util.concurrent.ConcurrentHashMap<>();

  LogSource(ErrorHandlerImpl errors, BundleContext context) {
    this.errors = errors;
    this.context = context;
  }

  void removed(LogReaderService reader) {
    firstLive.remove(reader);
  }

  /** What the Log Service logged before the error handler listened: its history, oldest first. */
  void replay(LogReaderService reader) {
    List<LogEntry> history = Collections.list(reader.getLog());
    Collections.reverse(history);
    long before = firstLive.getOrDefault(reader, Long.MAX_VALUE);
    for (LogEntry e : history) {
      if (e.getSequence() < before && e.getSequence() < liveFloor) {
        logEntry(e, true);
      }
    }
  }

  /** The smallest sequence seen live: history entries from it on were handled as they came. */
  private volatile long liveFloor = Long.MAX_VALUE;

  @Override
  public void logged(LogEntry entry) {
    if (liveFloor == Long.MAX_VALUE) {
      liveFloor = entry.getSequence();
    }
    logEntry(entry, false);
  }

  private void logEntry(LogEntry e, boolean replayed) {
    if (e.getLogLevel() != LogLevel.ERROR) {
      return;
    }
    String logger = Objects.requireNonNullElse(e.getLoggerName(), "");
    // Framework events come through the framework listener, once it listens.
    if (!replayed && logger.startsWith("Events.")) {
      return;
    }
    try {
      Bundle b = e.getBundle();
      String bsn = b == null || b.getSymbolicName() == null ? "unknown" : b.getSymbolicName();
      if (b != null && b.getBundleId() == context.getBundle().getBundleId()) {
        return; // never counts its own failures, so that a failing store cannot loop
      }
      java.util.Optional<HandlerDenials.Denied> denied = HandlerDenials.of(e, context);
      if (denied.isPresent()) {
        // A plugin's handler that Event Admin denied: an incident against that plugin, not against Event Admin.
        Failure f = HandlerDenials.failure(denied.get(), e.getMessage(), context);
        Incident seen = replayed ? errors.byFingerprint(f.fingerprint()) : null;
        if (seen == null || seen.lastSeen().isBefore(Instant.ofEpochMilli(e.getTime()))) {
          errors.record(f);
        }
        return;
      }
      Throwable t = e.getException();
      Map<String, String> p = new LinkedHashMap<>(Failure.describe(t));
      p.put(IncidentProperties.BUNDLE, bsn);
      p.put(IncidentProperties.LOGGER, logger);
      p.put(IncidentProperties.MESSAGE, Objects.requireNonNullElse(e.getMessage(), ""));
      p.put("log.sequence", String.valueOf(e.getSequence()));
      p.put("log.time", Instant.ofEpochMilli(e.getTime()).toString());
      String summary = bsn + ": " + e.getMessage() + (t != null ? " (" + t + ")" : "");
      String key = "log|" + bsn + "|"
          + (t != null ? Failure.signature(t) : logger + "|" + Failure.normalized(e.getMessage()));
      if (replayed) {
        // Replayed again (the error handler restarted in the same JVM): counted already.
        Incident seen = errors.byFingerprint(Failure.hash(key));
        if (seen != null && !seen.lastSeen().isBefore(Instant.ofEpochMilli(e.getTime()))) {
          return;
        }
      }
      errors.record(new Failure("log", b == null || b.getBundleId() == 0 ? null : bsn, Incident.Severity.ERROR,
          Failure.oneLine(summary), summary + (t != null ? "\n\n" + Failure.stack(t) : ""), key, p));
    } catch (RuntimeException x) {
      LOG.warn("Cannot record a log entry: {}", x.toString());
    }
  }

}
