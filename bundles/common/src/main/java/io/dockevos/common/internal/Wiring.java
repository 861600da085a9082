package io.dockevos.common.internal;

import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;

/** What keeps a bundle from resolving, as the framework sees it. */
public final class Wiring {
  private Wiring() {}

  /**
   * @return each mandatory requirement of the bundle (not optional, not dynamic, effective at
   *     resolve time) that no installed bundle can satisfy
   */
  public static List<BundleRequirement> unsatisfied(Bundle bundle, FrameworkWiring wiring) {
    List<BundleRequirement> result = new ArrayList<>();
    BundleRevision revision = bundle.adapt(BundleRevision.class);
    if (revision == null) {
      return result;
    }
    for (BundleRequirement req : revision.getDeclaredRequirements(null)) {
      String resolution = req.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
      String effective = req.getDirectives().getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE,
          Namespace.EFFECTIVE_RESOLVE);
      if (Namespace.RESOLUTION_OPTIONAL.equals(resolution) || PackageNamespace.RESOLUTION_DYNAMIC.equals(resolution)
          || !Namespace.EFFECTIVE_RESOLVE.equals(effective)) {
        continue;
      }
      if (wiring.findProviders(req).isEmpty()) {
        result.add(req);
      }
    }
    return result;
  }
}
