package io.dockevos.test.prints;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Prints {@value #LINES} lines of 100 characters to standard output and {@value #LINES} to
 * standard error as it starts, from a thread of its own (no shell session's): in the background
 * they go to the runtime's data/log/console.log.
 */
public final class PrintsActivator implements BundleActivator {
  static final int LINES = 2_000;

  @Override
  public void start(BundleContext context) throws InterruptedException {
    Thread t = new Thread(() -> {
      String pad = "x".repeat(80);
      for (int i = 0; i < LINES; i++) {
        System.out.println(String.format("prints out %6d %s", i, pad));
        System.err.println(String.format("prints err %6d %s", i, pad));
      }
      System.out.println("prints: done");
    }, "io.dockevos.test.prints");
    t.start();
    t.join();
  }

  @Override
  public void stop(BundleContext context) {
    // nothing to undo
  }
}
