package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Risk;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A crash loop: the same plugin failed {@code crashLoopCount} times or more within
 * {@code crashLoopWindow} seconds (counting its other open incidents too). Offers to disable it.
 * Failures seen while a fix was applied are the fix's, not the plugin's: they do not count. Nor does
 * a plugin that does not resolve (an incident with its missing requirements), seen again at every
 * restart: it never started, so it cannot have crashed.
 *
 * <p>One of the {@link BuiltInAnalyzers}, which gives it its services.
 */
public final class CrashLoopAnalyzer implements ErrorAnalyzer {
  static final String NAME = "crash-loop";
  private final PluginManager plugins;
  private final int threshold;
  private final Duration window;

  volatile ErrorHandler errors;
  /** The external plugins, while the feature dockevos-external runs: a crash loop of one of them is theirs to stop. */
  volatile io.dockevos.external.ExternalPlugins external;

  public CrashLoopAnalyzer(PluginManager plugins, AssistConfig config) {
    this(plugins, config.crashLoopCount(), Duration.ofSeconds(config.crashLoopWindow()));
  }

  CrashLoopAnalyzer(PluginManager plugins, int threshold, Duration window) {
    this.plugins = plugins;
    this.threshold = Math.max(2, threshold);
    this.window = window.isNegative() || window.isZero() ? Duration.ofSeconds(600) : window;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @return how many times the incident was seen that a fix did not cause: the error handler counts
   *     the sightings while a fix is applied (its starts, its rollback) apart ({@link Keys#FIX_COUNT})
   */
  static int own(Incident incident) {
    String n = Keys.get(incident, Keys.FIX_COUNT);
    try {
      return Math.max(0, incident.count() - (n == null ? 0 : Integer.parseInt(n)));
    } catch (NumberFormatException e) {
      return incident.count();
    }
  }

  /** @return whether the incident is of a plugin that does not resolve: it names what it lacks */
  private static boolean unresolved(Incident incident) {
    return "true".equals(Keys.get(incident, io.dockevos.error.IncidentProperties.UNRESOLVED))
        || Keys.get(incident, Keys.REQUIREMENT) != null;
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    String plugin = Keys.plugin(incident);
    if (plugin == null || unresolved(incident)) {
      return List.of();
    }
    Instant since = incident.lastSeen().minus(window);
    int failures = incident.firstSeen().isBefore(since) ? 0 : own(incident);
    ErrorHandler handler = errors;
    if (handler != null) {
      for (Incident other : handler.incidents(false)) {
        if (!other.id().equals(incident.id()) && plugin.equals(Keys.plugin(other)) && !unresolved(other)
            && !other.firstSeen().isBefore(since) && !other.lastSeen().isAfter(incident.lastSeen().plus(window))) {
          failures += own(other);
        }
      }
    }
    if (failures < threshold) {
      return List.of();
    }
    Optional<Plugin> p = plugins.find(plugin);
    String cause = plugin + " is in a crash loop: it failed " + failures + " times within " + window.toSeconds() + " s";
    io.dockevos.external.ExternalPlugins ext = external;
    if (p.isEmpty() && ext != null && ext.plugin(plugin).isPresent()) {
      return external(ext, plugin, cause);
    }
    if (p.isEmpty() || p.get().boot() || p.get().state() == PluginState.DISABLED) {
      return List.of(new Diagnosis(NAME, cause + (p.isEmpty() ? " (it is not installed now)" : p.get().boot()
          ? " (it is part of the runtime itself: it cannot be disabled)" : " (it is disabled now)"), 0.7, List.of()));
    }
    String ref = String.valueOf(p.get().id());
    return List.of(new Diagnosis(NAME, cause, 0.8, List.of(new BasicFix("disable " + plugin + " (plugin " + ref
        + ") until it is fixed", Risk.MODERATE, false, "plugin:disable " + ref + ": " + plugin + " stops (now "
        + p.get().state() + ") and stays stopped across restarts, until plugin:enable " + ref, () -> {
          Plugin d = plugins.disable(ref);
          return "disabled " + d.symbolicName() + ": " + d.state();
        }, () -> plugins.enable(ref), () -> plugins.find(ref).map(Plugin::state).filter(s -> s != PluginState.DISABLED)
            .map(s -> plugin + " is " + s))))); 
  }

  /** A crash loop of an external plugin: disabling it stops its restarts and keeps it stopped across restarts of the runtime. */
  private static List<Diagnosis> external(io.dockevos.external.ExternalPlugins ext, String name, String cause) {
    io.dockevos.external.ExternalPlugin e = ext.plugin(name).orElseThrow();
    String now = " (an external plugin, " + e.state() + (e.reason() == null ? "" : ": " + e.reason()) + ")";
    if (!e.enabled()) {
      return List.of(new Diagnosis(NAME, cause + now + "; it is disabled now", 0.7, List.of()));
    }
    return List.of(new Diagnosis(NAME, cause + now, 0.8, List.of(new BasicFix("disable " + name
        + " (external plugin) until it is fixed", Risk.MODERATE, false, "external:disable " + name + ": " + name
        + " stops (now " + e.state() + ") and stays stopped across restarts, until external:enable " + name, () -> {
          io.dockevos.external.ExternalPlugin d = ext.enable(name, false);
          return "disabled " + d.name() + ": " + d.state();
        }, () -> ext.enable(name, true), () -> ext.plugin(name).filter(io.dockevos.external.ExternalPlugin::enabled)
            .map(x -> name + " is " + x.state())))));
  }
}
