package io.dockevos.test.provideswanted;

import io.dockevos.test.wanted.Wanted;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Registers the Wanted service that satisfies unsatisfied.jar's component. */
public final class WantedActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) {
    context.registerService(Wanted.class, () -> "tiny", null);
  }

  @Override
  public void stop(BundleContext context) {}
}
