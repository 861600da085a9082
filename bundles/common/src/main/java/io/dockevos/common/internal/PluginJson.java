package io.dockevos.common.internal;

import io.dockevos.plugin.Plugin;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plugin as JSON shows it, the same on every surface: {@code plugin:list --json} and the REST API. */
public final class PluginJson {
  private PluginJson() {}

  /** @return the plugin's fields, in order, its source's secrets masked */
  public static Map<String, Object> of(Plugin p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("symbolicName", p.symbolicName());
    m.put("version", p.version());
    m.put("name", p.name());
    m.put("state", p.state().name());
    m.put("reason", p.reason());
    // In this order every time (a Map.of's order changes from one JVM to the next): two instances with the
    // same plugins print the same text.
    Map<String, Object> components = new LinkedHashMap<>();
    components.put("active", p.components().active());
    components.put("unsatisfied", p.components().unsatisfied());
    components.put("failed", p.components().failed());
    m.put("components", components);
    m.put("source", Secrets.redact(p.source()));
    m.put("installed", p.installed() == null ? null : p.installed().toString());
    m.put("updated", p.updated() == null ? null : p.updated().toString());
    m.put("boot", p.boot());
    m.put("trust", p.trust().label());
    return m;
  }
}
