package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import io.dockevos.feature.FeatureManager;
import io.dockevos.plugin.ComponentDiagnosis;
import io.dockevos.plugin.Diagnostics;
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
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A Declarative Services component that waits for a service: names the service, who could provide
 * it (installed bundles that are not active, disabled components, bundles of {@code system/}, the
 * features and the local Maven repository whose {@code Provide-Capability: osgi.service} names it),
 * and offers to start, enable or install one; a provider in the {@value #ALTERNATIVE} feature is
 * offered as "enable the alternative".
 *
 * <p>The references come as values: from {@link Diagnostics} for the incident's component while it
 * is there (each unsatisfied reference with its interface and target, one diagnosis each), else
 * from the incident's {@link IncidentProperties#REFERENCE_INTERFACE} record. The gate's reason of a
 * refused install, whose bundle is gone, is read for "waits for a service X" as a last resort.
 *
 * <p>One of the {@link BuiltInAnalyzers}, which gives it its services.
 */
public final class UnsatisfiedReferenceAnalyzer implements ErrorAnalyzer {
  static final String NAME = "unsatisfied-reference";
  /** The feature of fallback implementations (a process runner when the container engine is missing). */
  static final String ALTERNATIVE = "dockevos-alternative";
  private static final Pattern WAITS = Pattern.compile("waits for a service ([\\w.$]+)");

  private final PluginManager plugins;
  private final Diagnostics diagnostics;
  private final BundleContext context;
  private final ProviderFixes fixes;

  volatile FeatureManager features;
  volatile ServiceComponentRuntime scr;

  public UnsatisfiedReferenceAnalyzer(PluginManager plugins, Diagnostics diagnostics, BundleContext context) {
    this.plugins = plugins;
    this.diagnostics = diagnostics;
    this.context = context;
    this.fixes = new ProviderFixes(plugins, () -> features, context);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    String component = Keys.get(incident, Keys.COMPONENT);
    List<ComponentDiagnosis.Reference> references = references(incident, component);
    List<Diagnosis> result = new ArrayList<>();
    for (ComponentDiagnosis.Reference r : references) {
      result.add(analyze(incident, component, r));
    }
    return result;
  }

  /** The component's unsatisfied references: from the diagnostics while it is there, else from the incident. */
  private List<ComponentDiagnosis.Reference> references(Incident incident, String component) {
    String id = Keys.get(incident, Keys.BUNDLE_ID);
    if (id != null && component != null && id.matches("\\d+")) {
      Optional<ComponentDiagnosis> c = diagnostics.diagnose(Long.parseLong(id), Diagnostics.Depth.RUNTIME)
          .filter(d -> Keys.get(incident, Keys.BUNDLE) == null || d.symbolicName().equals(Keys.get(incident, Keys.BUNDLE)))
          .flatMap(d -> d.component(component));
      if (c.isPresent() && !c.get().unsatisfied().isEmpty()) {
        return c.get().unsatisfied();
      }
    }
    String interfaces = Keys.get(incident, Keys.REFERENCE);
    if (interfaces != null) {
      return Arrays.stream(interfaces.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .map(i -> new ComponentDiagnosis.Reference(null, i, null)).toList();
    }
    Matcher m = WAITS.matcher(Keys.text(incident));
    return m.find() ? List.of(new ComponentDiagnosis.Reference(null, m.group(1), null)) : List.of();
  }

  private Diagnosis analyze(Incident incident, String component, ComponentDiagnosis.Reference reference) {
    String iface = reference.interfaceName();
    String plugin = Keys.plugin(incident);
    BasicFix.Check worked = () -> satisfied(iface, incident, component);
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
    String target = reference.target() == null ? "" : " (target " + reference.target() + ")";
    String cause = subject + " waits for a service " + iface + target + ", which no active bundle provides"
        + (who.isEmpty() ? "; nothing installed, in system/, in a feature or in the local Maven repository declares it:"
            + " install a plugin that provides " + iface : "; it could come from " + String.join(", ", who));
    return new Diagnosis(NAME, cause, who.isEmpty() ? 0.6 : 0.85, list);
  }

  /** A service of the interface is registered, and the component (when named) is no longer waiting for one. */
  private Optional<String> satisfied(String iface, Incident incident, String component) throws InvalidSyntaxException {
    if (context.getAllServiceReferences(iface, null) == null) {
      return Optional.of("no service " + iface + " is registered yet");
    }
    String id = Keys.get(incident, Keys.BUNDLE_ID);
    if (component != null && id != null && id.matches("\\d+")) {
      Optional<ComponentDiagnosis> c = diagnostics.diagnose(Long.parseLong(id), Diagnostics.Depth.RUNTIME)
          .flatMap(d -> d.component(component));
      if (c.isPresent() && c.get().state() == ComponentDiagnosis.State.UNSATISFIED_REFERENCE) {
        return Optional.of(c.get().explained(Keys.plugin(incident)));
      }
    }
    return Optional.empty();
  }
}
