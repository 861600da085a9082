package io.dockevos.test.throwing;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** A bundle whose activator fails, as a broken plugin would. */
public final class RefusingActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) {
    throw new IllegalStateException("tiny bundle refuses to start");
  }

  @Override
  public void stop(BundleContext context) {}
}
