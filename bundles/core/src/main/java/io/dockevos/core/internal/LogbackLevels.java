package io.dockevos.core.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The levels of Logback's loggers: the one class of this bundle that touches Logback, which the
 * distribution has on its class path and a program that embeds dockevOS may not (its own SLF4J
 * backend then keeps its own levels). Used only when {@link #available()}.
 */
final class LogbackLevels {
  private LogbackLevels() {}

  /** @return whether SLF4J's backend is Logback, as in the distribution */
  static boolean available() {
    try {
      return LoggerFactory.getILoggerFactory() instanceof LoggerContext;
    } catch (LinkageError e) {
      return false; // Logback is not there at all
    }
  }

  /** Sets a logger's level ({@code null}: the inherited one). */
  static void set(String logger, String level) {
    context().getLogger(logger).setLevel(level == null ? null : Level.toLevel(level));
  }

  /** @return a logger's effective level */
  static String effective(String logger) {
    return context().getLogger(logger).getEffectiveLevel().toString();
  }

  /** @return the loggers whose level is set, with it */
  static Map<String, String> levels() {
    Map<String, String> result = new LinkedHashMap<>();
    for (ch.qos.logback.classic.Logger logger : context().getLoggerList()) {
      if (logger.getLevel() != null) {
        result.put(logger.getName(), logger.getLevel().toString());
      }
    }
    return result;
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }
}
