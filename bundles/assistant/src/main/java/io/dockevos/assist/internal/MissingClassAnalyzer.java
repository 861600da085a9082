package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Fix;
import io.dockevos.error.Incident;
import io.dockevos.feature.FeatureManager;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.plugin.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A {@code ClassNotFoundException} or {@code NoClassDefFoundError}: names the missing package (from
 * the class name) and the bundle that provides it, and offers to install it and restart the plugin,
 * whose wiring is refreshed so that it picks the package up.
 *
 * <p>One of the {@link BuiltInAnalyzers}, which gives it its services.
 */
public final class MissingClassAnalyzer implements ErrorAnalyzer {
  static final String NAME = "missing-class";
  private static final String CLASS = "([A-Za-z_$][\\w$]*(?:[./][A-Za-z_$][\\w$]*)+)";
  private static final Pattern IN_TEXT = Pattern.compile(
      "(?:ClassNotFoundException|NoClassDefFoundError)(?::\\s*|\\s+)(Could not initialize class\\s+)?" + CLASS);
  private static final Pattern LEADING = Pattern.compile("^\\s*(Could not initialize class\\s+)?" + CLASS);

  private final PluginManager plugins;
  private final BundleContext context;
  private final ProviderFixes fixes;

  volatile FeatureManager features;

  public MissingClassAnalyzer(PluginManager plugins, BundleContext context) {
    this.plugins = plugins;
    this.context = context;
    this.fixes = new ProviderFixes(plugins, () -> features, context);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** @return the class that could not be found, in dotted form, or {@code null} */
  static String missingClass(Incident incident) {
    String exception = Keys.get(incident, Keys.EXCEPTION);
    String message = Keys.get(incident, Keys.MESSAGE);
    if (exception != null && (exception.endsWith("ClassNotFoundException") || exception.endsWith("NoClassDefFoundError"))
        && message != null) {
      Matcher m = LEADING.matcher(message);
      if (m.find()) {
        return m.group(1) != null ? null : m.group(2).replace('/', '.');
      }
    }
    Matcher m = IN_TEXT.matcher(Keys.text(incident));
    while (m.find()) {
      if (m.group(1) == null) {
        return m.group(2).replace('/', '.');
      }
    }
    return null;
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    String cls = missingClass(incident);
    if (cls == null || cls.lastIndexOf('.') < 0) {
      return List.of();
    }
    String pkg = cls.substring(0, cls.lastIndexOf('.'));
    String plugin = Keys.plugin(incident);
    Optional<Plugin> current = plugin == null ? Optional.empty() : plugins.find(plugin);
    String who = plugin == null ? "A bundle" : plugin;
    Requirements.Req req = new Requirements.Req("osgi.wiring.package", "(osgi.wiring.package=" + pkg + ")");
    List<Bundle> exporters = context == null ? List.of() : Requirements.installedProviders(context, req);
    if (!exporters.isEmpty()) {
      Bundle b = exporters.get(0);
      return List.of(new Diagnosis(NAME, who + " cannot load the class " + cls + ": the package " + pkg + " is exported by "
          + b.getSymbolicName() + " " + b.getVersion() + ", but " + who + " does not import it (its Import-Package lacks "
          + pkg + ", or the import is optional and was not wired); add the import and plugin:update " + who,
          0.6, List.of()));
    }
    List<Provider> providers = fixes.available(req.namespace(), req.filter());
    boolean restart = current.isPresent() && current.get().state() != PluginState.INSTALLED;
    List<Fix> list = new ArrayList<>();
    for (Provider p : providers.subList(0, Math.min(3, providers.size()))) {
      list.add(fixes.install(p, current.isPresent() ? plugin : null, restart, () -> loads(plugin, cls)));
    }
    String cause = who + " cannot load the class " + cls + ": no installed bundle exports the package " + pkg
        + (providers.isEmpty() ? ", and neither system/, a feature nor the local Maven repository has a bundle that does"
            : "; " + String.join(", ", providers.stream().map(ProviderFixes::where).toList()) + " export"
                + (providers.size() == 1 ? "s" : "") + " it");
    return List.of(new Diagnosis(NAME, cause, providers.isEmpty() ? 0.5 : 0.85, list));
  }

  /** The plugin is ACTIVE and its bundle loads the class now. */
  private Optional<String> loads(String plugin, String cls) {
    Optional<String> active = fixes.active(plugin);
    if (active.isPresent() || plugin == null) {
      return active;
    }
    Bundle b = context.getBundle(plugins.find(plugin).get().id());
    try {
      b.loadClass(cls);
      return Optional.empty();
    } catch (ClassNotFoundException | RuntimeException e) {
      return Optional.of(plugin + " still cannot load " + cls);
    }
  }
}
