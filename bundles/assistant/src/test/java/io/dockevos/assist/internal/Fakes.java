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
    final List<String> calls = new ArrayList<>();

    Plugins add(Plugin p) {
      plugins.put(p.symbolicName(), p);
      plugins.put(String.valueOf(p.id()), p);
      return this;
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
                Plugin changed = new Plugin(p.id(), p.symbolicName(), p.version(), p.name(),
                    method.getName().equals("disable") ? PluginState.DISABLED : PluginState.ACTIVE, null, p.components(),
                    p.source(), p.installed(), null, p.boot());
                add(changed);
                return changed;
              case "toString":
                return "fake plugin manager";
              default:
                throw new UnsupportedOperationException(method.getName());
            }
          });
    }
  }
}
