package io.dockevos.common.internal;

import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.ComponentDiagnosis;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Plugin;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plugin's diagnosis as JSON shows it, the same on every surface: {@code plugin:diag --json} and the REST API. */
public final class DiagnosisJson {
  private DiagnosisJson() {}

  /** @return the plugin, whether it is healthy, its problems, missing requirements, components, failure and fixes */
  public static Map<String, Object> of(Plugin p, BundleDiagnosis d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("plugin", PluginJson.of(p));
    m.put("healthy", d.problems().isEmpty() && d.missing().isEmpty());
    m.put("problems", d.problems());
    m.put("missing", d.missing().stream().map(DiagnosisJson::of).toList());
    m.put("components", d.components().stream().map(DiagnosisJson::of).toList());
    m.put("failure", d.failure());
    m.put("fixes", d.fixes());
    return m;
  }

  /** @return a component's name, state, unsatisfied references, failure and configuration PIDs */
  public static Map<String, Object> of(ComponentDiagnosis c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("state", c.state().name());
    m.put("unsatisfied", c.unsatisfied().stream().map(r -> {
      Map<String, Object> u = new LinkedHashMap<>();
      u.put("reference", r.name());
      u.put("interface", r.interfaceName());
      u.put("target", r.target());
      return u;
    }).toList());
    m.put("failure", c.failure());
    m.put("configurationPids", c.configurationPids());
    return m;
  }

  /** @return a missing requirement: its namespace, filter, words, who requires it and who could provide it */
  public static Map<String, Object> of(MissingRequirement r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", r.namespace());
    m.put("filter", r.filter());
    m.put("requirement", r.description());
    m.put("requiredBy", r.requiringBundle());
    m.put("providers", r.providers());
    return m;
  }
}
