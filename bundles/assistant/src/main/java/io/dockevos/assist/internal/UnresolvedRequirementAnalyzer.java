package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Fix;
import io.dockevos.error.Incident;
import io.dockevos.feature.FeatureManager;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.BundleContext;

/**
 * A bundle that does not resolve: names the missing requirement and the bundles of {@code system/},
 * the features and the local Maven repository that provide it (found by the plugin manager), and
 * offers to install one and start the plugin.
 *
 * <p>One of the {@link BuiltInAnalyzers}, which gives it its services.
 */
public final class UnresolvedRequirementAnalyzer implements ErrorAnalyzer {
  static final String NAME = "unresolved-requirement";
  private final PluginManager plugins;
  private final BundleContext context;
  private final ProviderFixes fixes;

  volatile FeatureManager features;

  public UnresolvedRequirementAnalyzer(PluginManager plugins, BundleContext context) {
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
    String stated = Keys.get(incident, Keys.REQUIREMENT);
    List<Requirements.Req> reqs = Requirements.parse(stated);
    if (reqs.isEmpty() && Keys.text(incident).contains("missing requirement")) {
      reqs = Requirements.parse(Keys.text(incident));
    }
    String plugin = Keys.plugin(incident);
    String who = plugin == null ? "A bundle" : plugin;
    List<Diagnosis> result = new ArrayList<>();
    for (Requirements.Req r : reqs) {
      if (r.namespace().equals("osgi.ee") || r.namespace().equals("osgi.identity")) {
        continue;
      }
      String what = Requirements.describe(r);
      List<Provider> providers;
      try {
        providers = fixes.available(r.namespace(), r.filter());
      } catch (IllegalArgumentException e) {
        continue;
      }
      List<Fix> list = new ArrayList<>();
      String again = reinstallable(incident);
      for (Provider p : providers.subList(0, Math.min(3, providers.size()))) {
        list.add(fixes.install(p, plugin, again, false, () -> worked(plugin, r)));
      }
      String cause;
      if (providers.isEmpty()) {
        cause = who + " does not resolve: it requires " + what + ", which no installed bundle provides, and neither"
            + " system/, a feature nor the local Maven repository has a bundle that does; install a plugin that"
            + " provides it";
      } else {
        cause = who + " does not resolve: it requires " + what + ", which no installed bundle provides; "
            + String.join(", ", providers.stream().map(ProviderFixes::where).toList()) + " provide"
            + (providers.size() == 1 ? "s" : "") + " it";
        if (plugin != null && plugins.find(plugin).isEmpty() && again == null) {
          cause += " (then install " + plugin + " again: it was not kept)";
        }
      }
      result.add(new Diagnosis(NAME, cause, providers.isEmpty() ? 0.6 : 0.9, list));
    }
    return result;
  }

  /**
   * The jar the plugin came from ({@code file}), when the plugin is not installed (its install was
   * refused) and the jar is not in the deploy folder, which installs it by itself.
   */
  private String reinstallable(Incident incident) {
    String file = Keys.get(incident, Keys.FILE);
    if (file == null || !file.endsWith(".jar")) {
      return null;
    }
    java.nio.file.Path path = java.nio.file.Path.of(file);
    String deploy = context == null ? null : context.getProperty(io.dockevos.api.Host.DEPLOY_PROPERTY);
    if (!path.isAbsolute() || !java.nio.file.Files.isRegularFile(path)
        || deploy != null && path.toAbsolutePath().normalize().startsWith(java.nio.file.Path.of(deploy).toAbsolutePath()
            .normalize())) {
      return null;
    }
    return path.toString();
  }

  /** The plugin is ACTIVE; or, when it is not installed, an installed bundle provides the requirement now. */
  private Optional<String> worked(String plugin, Requirements.Req r) {
    if (plugin != null && plugins.find(plugin).isPresent()) {
      return fixes.active(plugin);
    }
    return Requirements.installedProviders(context, r).isEmpty()
        ? Optional.of("no installed bundle provides " + Requirements.describe(r) + " yet") : Optional.empty();
  }
}
