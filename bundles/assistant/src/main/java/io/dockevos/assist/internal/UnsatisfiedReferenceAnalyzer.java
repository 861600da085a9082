package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.Incident;
import io.dockevos.feature.FeatureManager;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.plugin.Provider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A Declarative Services component that waits for a service: names the service, who could provide
 * it (installed bundles that are not active, disabled components, bundles of {@code system/}, the
 * features and the local Maven repository whose {@code Provide-Capability: osgi.service} names it),
 * and offers to start, enable or install one; a provider in the {@value #ALTERNATIVE} feature is
 * offered as "enable the alternative".
 *
 * <p>One of the {@link BuiltInAnalyzers}, which gives it its services.
 */
public final class UnsatisfiedReferenceAnalyzer implements ErrorAnalyzer {
  static final String NAME = "unsatisfied-reference";
  /** The feature of fallback implementations (a process runner when the container engine is missing). */
  static final String ALTERNATIVE = "dockevos-alternative";
  private static final Pattern WAITS = Pattern.compile("waits for a service ([\\w.$]+)");

  private final PluginManager plugins;
  private final BundleContext context;
  private final ProviderFixes fixes;

  volatile FeatureManager features;
  volatile ServiceComponentRuntime scr;

  public UnsatisfiedReferenceAnalyzer(PluginManager plugins, BundleContext context) {
    this.plugins = plugins;
    this.context = context;
    this.fixes = new ProviderFixes(plugins, () -> features, context);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    String iface = Keys.get(incident, Keys.REFERENCE);
    if (iface == null) {
      Matcher m = WAITS.matcher(Keys.text(incident));
      if (!m.find()) {
        return List.of();
      }
      iface = m.group(1);
    }
    String component = Keys.get(incident, Keys.COMPONENT);
    String plugin = Keys.plugin(incident);
    String service = iface;
    BasicFix.Check worked = () -> satisfied(service, component);
    List<Fix> list = new ArrayList<>();
    List<String> who = new ArrayList<>();
    Requirements.Req req = new Requirements.Req("osgi.service", "(objectClass=" + iface + ")");
    if (context != null) {
      for (Bundle b : Requirements.installedProviders(context, req)) {
        Optional<Plugin> p = plugins.find(String.valueOf(b.getBundleId()));
        if (p.isPresent() && p.get().state() != PluginState.ACTIVE) {
          who.add(b.getSymbolicName() + " " + b.getVersion() + " (installed, " + p.get().state() + ")");
          list.add(fixes.start(p.get(), worked));
        }
      }
    }
    ServiceComponentRuntime runtime = scr;
    if (runtime != null) {
      for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs()) {
        if (d.serviceInterfaces != null && Arrays.asList(d.serviceInterfaces).contains(iface)
            && !runtime.isComponentEnabled(d)) {
          who.add("the disabled component " + d.name + " of " + d.bundle.symbolicName);
          list.add(new BasicFix("enable the component " + d.name + " of " + d.bundle.symbolicName, Risk.SAFE, false,
              "scr:enable " + d.name, () -> {
                runtime.enableComponent(d).getValue();
                return "enabled the component " + d.name;
              }, () -> runtime.disableComponent(d).getValue(), () -> BasicFix.within(ProviderFixes.SETTLE_MS, worked)));
        }
      }
    }
    List<Provider> providers = fixes.available(req.namespace(), req.filter());
    for (Provider p : providers.subList(0, Math.min(3, providers.size()))) {
      who.add(ProviderFixes.where(p));
      Fix install = fixes.install(p, null, false, worked);
      if (p.kind() == Provider.Kind.FEATURE && ALTERNATIVE.equals(p.source())) {
        list.add(new BasicFix("enable the alternative: " + install.description(), install.risk(), install.addsCode(), install.dryRun(),
            install::apply, install::rollback, install::verify));
      } else {
        list.add(install);
      }
    }
    String subject = component == null ? (plugin == null ? "A component" : "A component of " + plugin)
        : "The component " + component + (plugin == null ? "" : " of " + plugin);
    String cause = subject + " waits for a service " + iface + ", which no active bundle provides"
        + (who.isEmpty() ? "; nothing installed, in system/, in a feature or in the local Maven repository declares it:"
            + " install a plugin that provides " + iface : "; it could come from " + String.join(", ", who));
    return List.of(new Diagnosis(NAME, cause, who.isEmpty() ? 0.6 : 0.85, list));
  }

  /** A service of the interface is registered, and the component (when named) is no longer waiting for one. */
  private Optional<String> satisfied(String iface, String component) throws InvalidSyntaxException {
    if (context.getAllServiceReferences(iface, null) == null) {
      return Optional.of("no service " + iface + " is registered yet");
    }
    ServiceComponentRuntime runtime = scr;
    if (runtime != null && component != null) {
      for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs()) {
        if (d.name.equals(component)) {
          for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
            if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
              return Optional.of("the component " + component + " still waits for a reference");
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
