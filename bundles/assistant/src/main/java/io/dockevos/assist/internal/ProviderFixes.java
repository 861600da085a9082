package io.dockevos.assist.internal;

import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureManager;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.plugin.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The fixes that install a provider found by the plugin manager ({@link PluginManager#providers}),
 * from {@code system/}, a feature or the local Maven repository, and then start the plugin that
 * needed it. Rolling back uninstalls what the fix installed.
 */
final class ProviderFixes {
  /** How long a fix waits for the plugin to become ACTIVE (a lazy or slow activator). */
  static final long SETTLE_MS = 5_000;

  private final PluginManager plugins;
  private final Supplier<FeatureManager> features;
  private final org.osgi.framework.BundleContext context;

  /** @param context for refreshing a plugin's wiring, or {@code null} (unit tests) */
  ProviderFixes(PluginManager plugins, Supplier<FeatureManager> features, org.osgi.framework.BundleContext context) {
    this.plugins = plugins;
    this.features = features;
    this.context = context;
  }

  /** Stops a bundle and refreshes its wiring, so that it wires to a package that was installed since. */
  private void refresh(long id) throws Exception {
    org.osgi.framework.Bundle b = context == null ? null : context.getBundle(id);
    if (b == null) {
      return;
    }
    b.stop(org.osgi.framework.Bundle.STOP_TRANSIENT);
    if (!io.dockevos.common.internal.Refreshes.andWait(context, List.of(b),
        io.dockevos.common.internal.Refreshes.DEFAULT_TIMEOUT)) {
      throw new IllegalStateException("the refresh of " + b.getSymbolicName() + " did not finish within 30 s");
    }
  }

  /**
   * @return the providers of a requirement that are not installed yet; those already installed are
   *     left out (the caller offers to start them)
   */
  List<Provider> available(String namespace, String filter) {
    List<Provider> result = new ArrayList<>();
    for (Provider p : plugins.providers(namespace, filter)) {
      if (p.kind() == Provider.Kind.FEATURE ? !featureInstalled(p.source())
          : plugins.find(p.symbolicName() + "/" + p.version()).isEmpty()) {
        result.add(p);
      }
    }
    return result;
  }

  private boolean featureInstalled(String name) {
    FeatureManager fm = features.get();
    return fm != null && fm.installed().stream().anyMatch(f -> f.name().equals(name) && f.isInstalled());
  }

  /** @return where a provider is, for a person: {@code io.x.api 1.0.0 in system/io/x/...} */
  static String where(Provider p) {
    return switch (p.kind()) {
      case SYSTEM -> p.symbolicName() + " " + p.version() + " in " + p.location();
      case FEATURE -> p.symbolicName() + " " + p.version() + " in the feature " + p.source();
      case MAVEN -> p.symbolicName() + " " + p.version() + " in the local Maven repository (" + p.source() + ")";
      case INDEX -> p.symbolicName() + " " + p.version() + " in the index " + p.location() + " (" + p.source() + ")";
    };
  }

  /**
   * A fix that installs the provider and then starts {@code plugin} (when not {@code null}, and
   * installed), and checks {@code worked} afterwards.
   *
   * @param restart whether the plugin is stopped and refreshed first (it runs, but without the
   *     package); the fix is MODERATE either way, as it installs a bundle (it adds code)
   */
  Fix install(Provider p, String plugin, boolean restart, BasicFix.Check worked) {
    return install(p, plugin, null, restart, worked);
  }

  /**
   * As {@link #install(Provider, String, boolean, BasicFix.Check)}; when the plugin is not installed
   * (its install was refused) and {@code reinstall} names its jar, the plugin is installed from it
   * after the provider.
   */
  Fix install(Provider p, String plugin, String reinstall, boolean restart, BasicFix.Check worked) {
    if (reinstall != null && (plugin == null || plugins.find(plugin).isPresent())) {
      reinstall = null;
    }
    String again = reinstall;
    String target = plugin == null ? "" : again != null ? " and install " + plugin + " again from " + again
        : (restart ? " and restart " : " and start ") + plugin;
    String description = (p.kind() == Provider.Kind.FEATURE ? "install the feature " + p.source() + " (with "
        + p.symbolicName() + " " + p.version() + ")" : "install " + where(p)) + target;
    StringBuilder dry = new StringBuilder("install ").append(where(p)).append(": ").append(p.command());
    if (again != null) {
      dry.append("\ninstall ").append(plugin).append(" again: plugin:install ").append(again);
    } else if (plugin != null) {
      Optional<Plugin> now = plugins.find(plugin);
      dry.append('\n').append(restart ? "restart " : "start ").append(plugin)
          .append(now.map(x -> " (now " + x.state() + ")").orElse(" (not installed now)"));
    }
    String[] installed = new String[2];
    // It installs a bundle or a feature: it adds code, so a person reviews it (MODERATE).
    return new BasicFix(description, Risk.MODERATE, true, dry.toString(), () -> {
      StringBuilder did = new StringBuilder();
      if (p.kind() == Provider.Kind.FEATURE) {
        FeatureManager fm = features.get();
        if (fm == null) {
          throw new IllegalStateException("the feature manager is not running: cannot install the feature " + p.source());
        }
        Feature f = fm.install(p.source());
        installed[0] = "feature:" + f.name();
        did.append("installed the feature ").append(f.name()).append(' ').append(f.version());
      } else {
        Plugin ip = plugins.install(p.source());
        installed[0] = String.valueOf(ip.id());
        did.append("installed ").append(ip.symbolicName()).append(' ').append(ip.version()).append(" as plugin ")
            .append(ip.id()).append(": ").append(ip.state());
      }
      if (again != null) {
        Plugin ip = plugins.install(again);
        installed[1] = String.valueOf(ip.id());
        did.append("; installed ").append(ip.symbolicName()).append(' ').append(ip.version()).append(" again as plugin ")
            .append(ip.id()).append(": ").append(ip.state());
      } else if (plugin != null && plugins.find(plugin).isPresent()) {
        if (restart) {
          refresh(plugins.find(plugin).get().id());
        }
        Plugin started = plugins.find(plugin).get().state() == PluginState.ACTIVE ? plugins.find(plugin).get()
            : plugins.start(plugin);
        did.append("; ").append(restart ? "restarted " : "started ").append(started.symbolicName()).append(": ")
            .append(started.state());
      }
      return did.toString();
    }, () -> {
      if (installed[1] != null) {
        plugins.uninstall(installed[1], false);
        installed[1] = null;
      }
      if (installed[0] == null) {
        return;
      }
      if (installed[0].startsWith("feature:")) {
        features.get().uninstall(installed[0].substring("feature:".length()));
      } else {
        plugins.uninstall(installed[0], false);
      }
      installed[0] = null;
    }, () -> BasicFix.within(SETTLE_MS, worked));
  }

  /** A fix that starts an installed plugin that is not active. */
  Fix start(Plugin p, BasicFix.Check worked) {
    String ref = String.valueOf(p.id());
    boolean disabled = p.state() == PluginState.DISABLED;
    return new BasicFix((disabled ? "enable " : "start ") + p.symbolicName() + " " + p.version() + " (plugin " + p.id()
        + ")", disabled ? Risk.MODERATE : Risk.SAFE, false, (disabled ? "plugin:enable " : "plugin:start ") + ref + " (now "
        + p.state() + ")", () -> {
          Plugin s = disabled ? plugins.enable(ref) : plugins.start(ref);
          return (disabled ? "enabled " : "started ") + s.symbolicName() + ": " + s.state();
        }, () -> {
          if (disabled) {
            plugins.disable(ref);
          } else {
            plugins.stop(ref);
          }
        }, () -> BasicFix.within(SETTLE_MS, worked));
  }

  /** @return empty when the plugin is ACTIVE (or not known), else its state */
  Optional<String> active(String plugin) {
    if (plugin == null) {
      return Optional.empty();
    }
    Optional<Plugin> p = plugins.find(plugin);
    if (p.isEmpty()) {
      return Optional.of(plugin + " is not installed");
    }
    return p.get().state() == PluginState.ACTIVE ? Optional.empty()
        : Optional.of(plugin + " is " + p.get().state() + (p.get().reason() != null ? ": " + p.get().reason() : ""));
  }
}
