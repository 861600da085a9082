package io.dockevos.launcher.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the framework's own messages, resolver included, to the dockevOS log instead of standard
 * output. Felix builds its debug messages (one per wire) only when the log wants them.
 *
 * <p>The command line sets the log up while the framework starts, and until then SLF4J cannot say
 * which levels are on: the framework starts at INFO, and {@link #matchLog()} follows the log's level
 * once it is up.
 */
public final class FelixLogger extends org.apache.felix.framework.Logger {
  private static final Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

  public FelixLogger() {
    setLogLevel(LOG_INFO);
  }

  /** Takes the level of the log's {@code org.apache.felix.framework} logger, once the log is up. */
  public void matchLog() {
    if (LoggerFactory.getILoggerFactory() instanceof org.slf4j.helpers.SubstituteLoggerFactory) {
      return; // still starting on another thread; it says every level is on
    }
    setLogLevel(LOG.isDebugEnabled() ? LOG_DEBUG : LOG.isInfoEnabled() ? LOG_INFO : LOG_WARNING);
  }

  @Override
  protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
    emit(level, bundle == null ? msg : bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]: " + msg, throwable);
  }

  @Override
  protected void doLog(int level, String msg, Throwable throwable) {
    emit(level, msg, throwable);
  }

  private static void emit(int level, String text, Throwable throwable) {
    switch (level) {
      case LOG_ERROR -> LOG.error(text, throwable);
      case LOG_WARNING -> LOG.warn(text, throwable);
      case LOG_INFO -> LOG.info(text, throwable);
      default -> LOG.debug(text, throwable);
    }
  }
}
