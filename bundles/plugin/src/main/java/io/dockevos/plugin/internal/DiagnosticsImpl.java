package io.dockevos.plugin.internal;

import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.PluginManager;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The diagnostics service: {@link BundleDiagnoses} over the framework, the Service Component
 * Runtime (which runs this component, so it is always there) and the plugin manager (a bundle's
 * state, its last failure, and the providers of what it lacks).
 */
@Component(service = Diagnostics.class)
public final class DiagnosticsImpl implements Diagnostics {
  private final BundleDiagnoses diagnoses;

  @Activate
  public DiagnosticsImpl(BundleContext context, @Reference PluginManager plugins,
      @Reference ServiceComponentRuntime scr) {
    this.diagnoses = new BundleDiagnoses(context, context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION)
        .adapt(FrameworkWiring.class), () -> scr, b -> plugins.find(String.valueOf(b.getBundleId())).orElse(null),
        plugins::providers);
  }

  @Override
  public Optional<BundleDiagnosis> diagnose(long bundleId, Depth depth) {
    return diagnoses.diagnose(bundleId, depth);
  }

  @Override
  public List<BundleDiagnosis> unhealthy(Depth depth) {
    return diagnoses.unhealthy(depth);
  }
}
