package io.dockevos.core.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the log levels of the {@value #PID} configuration ({@code etc/dockevos.log.cfg}): each
 * {@code level.NAME = LEVEL}, where NAME is a logger or a bundle symbolic name.
 */
@Component(service = LogLevels.class, immediate = true, configurationPid = LogLevels.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class LogLevels {
  static final String PID = "dockevos.log";
  static final String PREFIX = "level.";
  /** Felix Logback logs OSGi Log Service entries of a bundle under this prefix and its symbolic name. */
  static final String LOG_SERVICE_PREFIX = "LogService.";
  private static final Logger LOG = LoggerFactory.getLogger(LogLevels.class);

  private final BundleContext context;
  private final Set<String> applied = new HashSet<>();

  @Activate
  public LogLevels(BundleContext context, Map<String, Object> config) {
    this.context = context;
    modified(config);
  }

  @Modified
  synchronized void modified(Map<String, Object> config) {
    LoggerContext logback = logback();
    Set<String> now = new HashSet<>();
    for (Map.Entry<String, Object> e : config.entrySet()) {
      if (!e.getKey().startsWith(PREFIX)) {
        continue;
      }
      String name = e.getKey().substring(PREFIX.length());
      String text = String.valueOf(e.getValue()).trim().toUpperCase(Locale.ROOT);
      Level level = Level.toLevel(text, null);
      if (level == null) {
        LOG.error("{}: {} has an unknown level '{}'; use TRACE, DEBUG, INFO, WARN, ERROR or OFF", PID, e.getKey(), text);
        continue;
      }
      for (String logger : loggerNames(context, name)) {
        logback.getLogger(logger).setLevel(level);
        now.add(logger);
      }
    }
    for (String gone : applied) {
      if (!now.contains(gone) && !gone.equals(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
        logback.getLogger(gone).setLevel(null);
      }
    }
    applied.clear();
    applied.addAll(now);
  }

  @Deactivate
  void deactivate() {
    // Levels stay as they are: the log goes on after this bundle.
  }

  static LoggerContext logback() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }

  /** A bundle's OSGi Log Service entries and its SLF4J loggers, which are named after its packages. */
  static List<String> loggerNames(BundleContext context, String name) {
    for (Bundle b : context.getBundles()) {
      if (name.equals(b.getSymbolicName()) || name.equals(Long.toString(b.getBundleId()))) {
        return List.of(LOG_SERVICE_PREFIX + b.getSymbolicName(), b.getSymbolicName());
      }
    }
    return List.of(name);
  }
}
