package io.dockevos.test.logserror;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LoggerFactory;

/** Logs one ERROR entry, with an exception, through the OSGi Log Service as it starts. */
public final class LogsErrorActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) {
    ServiceReference<LoggerFactory> ref = context.getServiceReference(LoggerFactory.class);
    if (ref != null) {
      LoggerFactory f = context.getService(ref);
      f.getLogger("io.dockevos.test.logserror").error("tiny bundle logs an error",
          new IllegalArgumentException("tiny failure"));
      context.ungetService(ref);
    }
  }

  @Override
  public void stop(BundleContext context) {}
}
