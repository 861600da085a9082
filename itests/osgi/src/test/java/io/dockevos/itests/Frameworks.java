package io.dockevos.itests;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;

/** Small views of the framework state that the assertions print. */
final class Frameworks {
  private static final Map<Integer, String> STATES = Map.of(
      Bundle.UNINSTALLED, "UNINSTALLED", Bundle.INSTALLED, "INSTALLED", Bundle.RESOLVED, "RESOLVED",
      Bundle.STARTING, "STARTING", Bundle.STOPPING, "STOPPING", Bundle.ACTIVE, "ACTIVE");

  private Frameworks() {}

  static String state(Bundle bundle) {
    return STATES.getOrDefault(bundle.getState(), Integer.toString(bundle.getState()));
  }

  static boolean isFragment(Bundle bundle) {
    BundleRevision revision = bundle.adapt(BundleRevision.class);
    return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }

  /** Every bundle that is not a fragment and not ACTIVE, as "bsn STATE", apart from the given ones. */
  static List<String> notActive(BundleContext context, Bundle... except) {
    List<Bundle> excepted = Arrays.asList(except);
    return Arrays.stream(context.getBundles())
        .filter(b -> !excepted.contains(b) && !isFragment(b) && b.getState() != Bundle.ACTIVE)
        .map(b -> b.getSymbolicName() + " " + state(b))
        .toList();
  }
}
