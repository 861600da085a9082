package io.dockevos.launcher.internal;

import org.osgi.framework.Bundle;

/** Bundle state names as users read them. */
final class State {
  private State() {}

  static String name(int state) {
    return switch (state) {
      case Bundle.INSTALLED -> "INSTALLED";
      case Bundle.RESOLVED -> "RESOLVED";
      case Bundle.STARTING -> "STARTING";
      case Bundle.STOPPING -> "STOPPING";
      case Bundle.ACTIVE -> "ACTIVE";
      case Bundle.UNINSTALLED -> "UNINSTALLED";
      default -> "UNKNOWN(" + state + ")";
    };
  }
}
