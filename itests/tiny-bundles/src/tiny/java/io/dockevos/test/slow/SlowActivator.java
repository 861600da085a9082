package io.dockevos.test.slow;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Takes 60 s to start (or until interrupted): long enough to kill the runtime in the middle of an install. */
public final class SlowActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) throws InterruptedException {
    System.out.println("io.dockevos.test.slow is starting slowly");
    Thread.sleep(60_000);
  }

  @Override
  public void stop(BundleContext context) {
    // nothing to undo
  }
}
