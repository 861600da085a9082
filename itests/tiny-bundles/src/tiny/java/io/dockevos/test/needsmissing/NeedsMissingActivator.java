package io.dockevos.test.needsmissing;

import io.dockevos.test.missing.Missing;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Uses the package that only provides-missing.jar exports, so the import is real. */
public final class NeedsMissingActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) {
    if (!"found".equals(Missing.found())) {
      throw new IllegalStateException("io.dockevos.test.missing answered wrongly");
    }
  }

  @Override
  public void stop(BundleContext context) {}
}
