package io.dockevos.assist.internal;

import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/** A requirement as a namespace and a filter, and the installed bundles that provide it. */
final class Requirements {
  /** A namespace and its filter. */
  record Req(String namespace, String filter) {}

  private Requirements() {}

  /** @return the installed bundles that declare a capability matching the requirement */
  static List<Bundle> installedProviders(BundleContext context, Req r) {
    List<Bundle> result = new ArrayList<>();
    Filter filter;
    try {
      filter = FrameworkUtil.createFilter(r.filter());
    } catch (InvalidSyntaxException e) {
      return result;
    }
    for (Bundle b : context.getBundles()) {
      BundleRevision rev = b.adapt(BundleRevision.class);
      if (rev == null) {
        continue;
      }
      for (BundleCapability c : rev.getDeclaredCapabilities(r.namespace())) {
        if (filter.matches(c.getAttributes())) {
          result.add(b);
          break;
        }
      }
    }
    return result;
  }
}
