package io.dockevos.core.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.admin.LoggerAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the log levels of the {@value #PID} configuration ({@code etc/dockevos.log.cfg}): each
 * {@code level.NAME = LEVEL}, where NAME is a logger or a bundle symbolic name. For a bundle, the
 * level goes both to the Logback logger of its name and to its OSGi logger context, so that its
 * OSGi {@code Logger}s create entries down to that level. Without Logback (a program that embeds
 * dockevOS with its own SLF4J backend) only the OSGi logger contexts are set.
 */
@Component(service = LogLevels.class, immediate = true, configurationPid = LogLevels.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class LogLevels {
  static final String PID = "dockevos.log";
  static final String PREFIX = "level.";
  private static final Logger LOG = LoggerFactory.getLogger(LogLevels.class);

  private final BundleContext context;
  private final LoggerAdmin admin;
  private final Set<String> applied = new HashSet<>();

  @Activate
  public LogLevels(BundleContext context, @Reference LoggerAdmin admin, Map<String, Object> config) {
    this.context = context;
    this.admin = admin;
    modified(config);
  }

  @Modified
  synchronized void modified(Map<String, Object> config) {
    Set<String> now = new HashSet<>();
    for (Map.Entry<String, Object> e : config.entrySet()) {
      if (!e.getKey().startsWith(PREFIX)) {
        continue;
      }
      String name = e.getKey().substring(PREFIX.length());
      String level;
      try {
        level = parse(String.valueOf(e.getValue()));
      } catch (IllegalArgumentException bad) {
        LOG.error("{}: {}: {}", PID, e.getKey(), bad.getMessage());
        continue;
      }
      set(name, level);
      now.add(name);
    }
    for (String gone : applied) {
      if (!now.contains(gone) && !gone.equals(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
        set(gone, null);
      }
    }
    applied.clear();
    applied.addAll(now);
  }

  /**
   * Sets the level of a logger, or of a bundle given by symbolic name or id; {@code null} returns
   * it to the inherited level.
   *
   * @return the logger name that was set
   */
  String set(String name, String level) {
    Bundle bundle = bundle(context, name);
    String logger = bundle == null ? name : bundle.getSymbolicName();
    if (LogbackLevels.available()) {
      LogbackLevels.set(logger, level);
    }
    if (bundle != null) {
      org.osgi.service.log.admin.LoggerContext osgi = admin.getLoggerContext(logger);
      if (level == null) {
        osgi.clear();
      } else {
        osgi.setLogLevels(Map.of(org.osgi.service.log.Logger.ROOT_LOGGER_NAME, osgiLevel(level)));
      }
    }
    return logger;
  }

  /**
   * @return the level of a name such as {@code debug}; {@code null} for DEFAULT or INHERIT
   * @throws IllegalArgumentException for an unknown name, saying which are valid
   */
  static String parse(String text) {
    String upper = text.trim().toUpperCase(Locale.ROOT);
    if (upper.equals("DEFAULT") || upper.equals("INHERIT")) {
      return null;
    }
    if (!java.util.List.of("ALL", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(upper)) {
      throw new IllegalArgumentException("unknown level " + text.trim()
          + "; use TRACE, DEBUG, INFO, WARN, ERROR, OFF or DEFAULT");
    }
    return upper;
  }

  static LogLevel osgiLevel(String level) {
    return switch (level) {
      case "ERROR", "OFF" -> LogLevel.ERROR;
      case "WARN" -> LogLevel.WARN;
      case "INFO" -> LogLevel.INFO;
      case "DEBUG" -> LogLevel.DEBUG;
      default -> LogLevel.TRACE;
    };
  }

  /** The bundle of that symbolic name or id, or null. */
  static Bundle bundle(BundleContext context, String name) {
    for (Bundle b : context.getBundles()) {
      if (name.equals(b.getSymbolicName()) || name.equals(Long.toString(b.getBundleId()))) {
        return b;
      }
    }
    return null;
  }
}
