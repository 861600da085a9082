package io.dockevos.test.good.internal;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** A well-behaved activator: it starts and stops and leaves no trace. */
public final class GoodActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) {}

  @Override
  public void stop(BundleContext context) {}
}
