package io.dockevos.test.patient;

import java.io.File;
import java.io.IOException;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * At its first start, waits until its thread is interrupted (at most 60 s), then finishes its start
 * and sets the interrupt flag again, as an activator that must not be left half started does. A
 * client that goes away in the middle of {@code plugin:install} interrupts the installing thread:
 * the install then goes on with that flag set. Later starts (after a restart) are immediate.
 */
public final class PatientActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) throws IOException {
    File startedOnce = context.getDataFile("started-once");
    if (startedOnce == null || !startedOnce.createNewFile()) {
      return;
    }
    System.out.println("io.dockevos.test.patient is starting; it waits for an interrupt");
    try {
      Thread.sleep(60_000);
    } catch (InterruptedException e) {
      System.out.println("io.dockevos.test.patient was interrupted; it finishes its start");
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop(BundleContext context) {
    // nothing to undo
  }
}
