package io.dockevos.plugin.internal;

import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.ComponentDiagnosis;
import io.dockevos.plugin.Diagnostics.Depth;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.Provider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Reads bundles' diagnoses from the framework's wiring and the Service Component Runtime: the one
 * place that scans them for unresolved bundles and unsatisfied components ({@link
 * DiagnosticsImpl}, {@code plugin:diag}, {@code plugin:info} and the health gate use it).
 */
final class BundleDiagnoses {
  private static final BiFunction<String, String, List<Provider>> NO_PROVIDERS = (namespace, filter) -> List.of();

  private final BundleContext context;
  private final FrameworkWiring wiring;
  private final Supplier<ServiceComponentRuntime> scr;
  private final Function<Bundle, Plugin> plugins;
  private final BiFunction<String, String, List<Provider>> providers;

  /**
   * @param plugins the plugin a bundle is (its state and last failure), or {@code null} when it is gone
   * @param providers the bundles that could be installed for a namespace and a filter
   */
  BundleDiagnoses(BundleContext context, FrameworkWiring wiring, Supplier<ServiceComponentRuntime> scr,
      Function<Bundle, Plugin> plugins, BiFunction<String, String, List<Provider>> providers) {
    this.context = context;
    this.wiring = wiring;
    this.scr = scr;
    this.plugins = plugins;
    this.providers = providers;
  }

  Optional<BundleDiagnosis> diagnose(long bundleId, Depth depth) {
    Bundle b = bundleId == 0 ? null : context.getBundle(bundleId);
    return b == null ? Optional.empty() : Optional.ofNullable(diagnose(b, depth));
  }

  /** @return the bundle's diagnosis, or {@code null} when it was uninstalled meanwhile */
  BundleDiagnosis diagnose(Bundle b, Depth depth) {
    Plugin p;
    try {
      p = plugins.apply(b);
    } catch (IllegalStateException uninstalled) {
      return null;
    }
    if (p == null || b.getState() == Bundle.UNINSTALLED) {
      return null;
    }
    List<MissingRequirement> missing = b.getState() == Bundle.INSTALLED
        ? Requirements.missing(b, wiring, depth == Depth.CANDIDATES ? providers : NO_PROVIDERS) : List.of();
    return new BundleDiagnosis(b.getBundleId(), String.valueOf(b.getSymbolicName()), b.getVersion().toString(),
        p.state(), Requirements.isFragment(b), missing, components(scr.get(), b), p.reason());
  }

  List<BundleDiagnosis> unhealthy(Depth depth) {
    List<BundleDiagnosis> result = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      if (b.getBundleId() != 0) {
        BundleDiagnosis d = diagnose(b, depth);
        if (d != null && !d.healthy()) {
          result.add(d);
        }
      }
    }
    return result;
  }

  /**
   * @return each Declarative Services component of the bundle, in the state of its worst
   *     configuration; none without a runtime, or when the bundle is not active
   */
  static List<ComponentDiagnosis> components(ServiceComponentRuntime runtime, Bundle b) {
    List<ComponentDiagnosis> result = new ArrayList<>();
    if (runtime == null || b.getState() == Bundle.UNINSTALLED) {
      return result;
    }
    for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(b)) {
      List<String> pids = d.configurationPid == null ? List.of() : Arrays.asList(d.configurationPid);
      if (!runtime.isComponentEnabled(d)) {
        result.add(new ComponentDiagnosis(d.name, d.implementationClass, ComponentDiagnosis.State.DISABLED, List.of(),
            null, pids));
        continue;
      }
      Collection<ComponentConfigurationDTO> configurations = runtime.getComponentConfigurationDTOs(d);
      ComponentConfigurationDTO worst = null;
      for (ComponentConfigurationDTO c : configurations) {
        if (worst == null || state(c.state).compareTo(state(worst.state)) < 0) {
          worst = c;
        }
      }
      if (worst == null) {
        // No configuration at all: one of policy REQUIRE waits for it; a factory component waits for its first use.
        result.add(new ComponentDiagnosis(d.name, d.implementationClass, "require".equals(d.configurationPolicy)
            ? ComponentDiagnosis.State.UNSATISFIED_CONFIGURATION : ComponentDiagnosis.State.SATISFIED, List.of(), null,
            pids));
        continue;
      }
      List<ComponentDiagnosis.Reference> unsatisfied = new ArrayList<>();
      if (worst.unsatisfiedReferences != null) {
        for (UnsatisfiedReferenceDTO u : worst.unsatisfiedReferences) {
          String iface = Arrays.stream(d.references).filter(r -> r.name.equals(u.name)).map(r -> r.interfaceName)
              .findFirst().orElse("?");
          unsatisfied.add(new ComponentDiagnosis.Reference(u.name, iface, target(u, d.references)));
        }
      }
      ComponentDiagnosis.State state = state(worst.state);
      result.add(new ComponentDiagnosis(d.name, d.implementationClass, state, unsatisfied,
          state == ComponentDiagnosis.State.FAILED_ACTIVATION ? worst.failure : null, pids));
    }
    return result;
  }

  /** The target of the unsatisfied reference, else the one its description declares. */
  private static String target(UnsatisfiedReferenceDTO u, ReferenceDTO[] references) {
    if (u.target != null) {
      return u.target;
    }
    return Arrays.stream(references).filter(r -> r.name.equals(u.name)).map(r -> r.target).filter(t -> t != null)
        .findFirst().orElse(null);
  }

  private static ComponentDiagnosis.State state(int state) {
    return switch (state) {
      case ComponentConfigurationDTO.FAILED_ACTIVATION -> ComponentDiagnosis.State.FAILED_ACTIVATION;
      case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> ComponentDiagnosis.State.UNSATISFIED_REFERENCE;
      case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> ComponentDiagnosis.State.UNSATISFIED_CONFIGURATION;
      case ComponentConfigurationDTO.SATISFIED -> ComponentDiagnosis.State.SATISFIED;
      default -> ComponentDiagnosis.State.ACTIVE;
    };
  }
}
