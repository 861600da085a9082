package io.dockevos.common.internal;

import org.osgi.framework.Bundle;

/**
 * The runtime's own bundles: the framework and the bundles of the boot features, which the launcher
 * installs from {@code system/} by reference or, when embedded, from the class path. The plugin
 * manager does not let a user stop or update them, and permissions never restrict them.
 */
public final class BootBundles {
  /** The location prefix of a boot bundle installed from {@code system/} (the launcher's). */
  public static final String SYSTEM_LOCATION_PREFIX = "reference:";
  /** The location prefix of a boot bundle installed from an embedding program's class path. */
  public static final String CLASSPATH_LOCATION_PREFIX = "dockevos:classpath:";

  private BootBundles() {}

  /** @return whether the bundle is the framework or one of the boot features' */
  public static boolean isBoot(Bundle b) {
    String l = b.getLocation();
    return b.getBundleId() == 0 || l.startsWith(SYSTEM_LOCATION_PREFIX) || l.startsWith(CLASSPATH_LOCATION_PREFIX);
  }
}
