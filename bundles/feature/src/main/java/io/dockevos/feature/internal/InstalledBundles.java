package io.dockevos.feature.internal;

import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;

/** The framework's bundles as the feature manager looks at them: by symbolic name and version. */
final class InstalledBundles {
  private InstalledBundles() {}

  /** @return {@code name version}, as a plan names a bundle ({@code Plan.Step.identity()}) */
  static String key(String symbolicName, String version) {
    return symbolicName + " " + version;
  }

  static String key(Bundle b) {
    return key(b.getSymbolicName(), b.getVersion().toString());
  }

  /** @return the framework's bundles by {@link #key} */
  static Map<String, Bundle> byIdentity(BundleContext context) {
    Map<String, Bundle> result = new HashMap<>();
    for (Bundle b : context.getBundles()) {
      if (b.getSymbolicName() != null) {
        result.put(key(b), b);
      }
    }
    return result;
  }

  static boolean isFragment(Bundle b) {
    BundleRevision rev = b.adapt(BundleRevision.class);
    return rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }

  /** @return whether it is as a feature wants it: ACTIVE (or starting), or a resolved fragment */
  static boolean running(Bundle b) {
    return b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING || (isFragment(b)
        && b.getState() == Bundle.RESOLVED);
  }
}
