package io.dockevos.assist.internal;

import io.dockevos.error.Incident;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.plugin.Provider;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Crafted incidents, and a plugin manager that knows a few plugins and providers (a stand-in: the analyzers are under test). */
final class Fakes {
  private Fakes() {}

  static Incident incident(String source, String pluginId, String summary, Map<String, String> props) {
    Instant now = Instant.parse("2026-12-01T08:00:00Z");
    return incident(source, pluginId, summary, props, 1, now, now);
  }

  static Incident incident(String source, String pluginId, String summary, Map<String, String> props, int count,
      Instant first, Instant last) {
    return new Incident("E1", "fp", source, summary, summary, pluginId, Incident.Severity.ERROR, Incident.Status.OPEN,
        first, last, count, props);
  }

  static Plugin plugin(long id, String bsn, PluginState state) {
    return new Plugin(id, bsn, "1.0.0", bsn, state, null, Plugin.Components.NONE, "test", Instant.now(), null, false);
  }

  /** A plugin manager with plugins and providers; records each call as "method arg". */
  static final class Plugins {
    final Map<String, Plugin> plugins = new LinkedHashMap<>();
    final Map<String, List<Provider>> providers = new LinkedHashMap<>();
    final Map<Long, List<io.dockevos.plugin.MissingRequirement>> missing = new LinkedHashMap<>();
    final Map<Long, List<io.dockevos.plugin.ComponentDiagnosis>> components = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();

    Plugins add(Plugin p) {
      plugins.put(p.symbolicName(), p);
      plugins.put(String.valueOf(p.id()), p);
      return this;
    }

    /** The diagnostics of these plugins: their state, {@link #missing} and {@link #components}. */
    io.dockevos.plugin.Diagnostics diagnostics() {
      return new io.dockevos.plugin.Diagnostics() {
        @Override
        public Optional<io.dockevos.plugin.BundleDiagnosis> diagnose(long bundleId, Depth depth) {
          Plugin p = plugins.get(String.valueOf(bundleId));
          return Optional.ofNullable(p).map(x -> new io.dockevos.plugin.BundleDiagnosis(x.id(), x.symbolicName(),
              x.version(), x.state(), false, missing.getOrDefault(x.id(), List.of()),
              components.getOrDefault(x.id(), List.of()), x.reason()));
        }

        @Override
        public List<io.dockevos.plugin.BundleDiagnosis> unhealthy(Depth depth) {
          return plugins.values().stream().distinct().map(p -> diagnose(p.id(), depth).orElseThrow())
              .filter(d -> !d.healthy()).toList();
        }
      };
    }

    PluginManager manager() {
      return (PluginManager) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PluginManager.class},
          (proxy, method, args) -> {
            switch (method.getName()) {
              case "providers":
                calls.add("providers " + args[0] + " " + args[1]);
                return providers.getOrDefault(args[1], List.of());
              case "find":
                String ref = String.valueOf(args[0]);
                return Optional.ofNullable(plugins.get(ref.contains("/") ? ref.substring(0, ref.indexOf('/')) : ref))
                    .filter(p -> !ref.contains("/") || ref.endsWith("/" + p.version()));
              case "disable":
              case "enable":
              case "start":
                calls.add(method.getName() + " " + args[0]);
                Plugin p = plugins.get(String.valueOf(args[0]));
                if (p == null) {
                  throw new io.dockevos.plugin.PluginException("no plugin " + args[0]);
                }
                Plugin changed = new Plugin(p.id(), p.symbolicName(), p.version(), p.name(),
                    method.getName().equals("disable") ? PluginState.DISABLED : PluginState.ACTIVE, null, p.components(),
                    p.source(), p.installed(), null, p.boot());
                add(changed);
                return changed;
              case "missingRequirements":
                return missing.getOrDefault((Long) args[0], List.of());
              case "uninstall":
                calls.add("uninstall " + args[0]);
                Plugin gone = plugins.get(String.valueOf(args[0]));
                if (gone != null) {
                  plugins.remove(gone.symbolicName());
                  plugins.remove(String.valueOf(gone.id()));
                }
                return null;
              case "toString":
                return "fake plugin manager";
              default:
                throw new UnsupportedOperationException(method.getName());
            }
          });
    }
  }

  /**
   * An installer whose plans are given by the test, by the change's items; records each call as
   * "plan items" or "apply items". Applying installs the plan's steps into {@code plugins} as
   * ACTIVE plugins with ids from 31, and marks the plugins it starts ACTIVE.
   */
  static final class Installer {
    interface Planner {
      io.dockevos.install.Plan plan(io.dockevos.install.Change change) throws io.dockevos.plugin.PluginException;
    }

    final List<String> calls = new ArrayList<>();
    final Plugins plugins;
    Planner planner;
    long nextId = 31;

    Installer(Plugins plugins) {
      this.plugins = plugins;
    }

    static String items(io.dockevos.install.Change c) {
      return String.join(", ", c.items().stream().map(i -> i.op() + " " + (i.source() != null ? i.source() : i.ref())
          + (i.location() != null ? " @" + i.location() : "")).toList());
    }

    io.dockevos.install.Installer installer() {
      return new io.dockevos.install.Installer() {
        @Override
        public io.dockevos.install.Plan plan(io.dockevos.install.Change change) throws io.dockevos.plugin.PluginException {
          calls.add("plan " + items(change));
          return planner.plan(change);
        }

        @Override
        public io.dockevos.install.Outcome apply(io.dockevos.install.Plan plan) {
          calls.add("apply " + items(plan.change()));
          List<Long> ids = new ArrayList<>();
          for (io.dockevos.install.Plan.Step s : plan.installs()) {
            long id = nextId++;
            ids.add(id);
            plugins.add(new Plugin(id, s.symbolicName(), s.version(), s.symbolicName(), PluginState.ACTIVE, null,
                Plugin.Components.NONE, s.source(), Instant.now(), null, false));
          }
          for (String identity : plan.startOrder()) {
            Plugin p = plugins.plugins.get(identity.split(" ")[0]);
            if (p != null) {
              plugins.add(new Plugin(p.id(), p.symbolicName(), p.version(), p.name(), PluginState.ACTIVE, null,
                  p.components(), p.source(), p.installed(), null, p.boot()));
            }
          }
          return new io.dockevos.install.Outcome(plan, ids, List.of());
        }
      };
    }
  }
}
