package io.dockevos.launcher.internal;

/**
 * The JVM's start time, for the ready line. Reading it sets up the platform MXBeans, about 10 ms
 * of class initialisation: the command line reads it early on its log set-up thread, beside the
 * boot, so that the boot itself finds it ready.
 */
public final class JvmStart {
  private static volatile long millis = -1;

  private JvmStart() {}

  /** @return the time the JVM started, in milliseconds since the epoch */
  public static long millis() {
    long m = millis;
    if (m < 0) {
      m = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
      millis = m;
    }
    return m;
  }
}
