package io.dockevos.common.internal;

import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureDetails;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A feature as JSON shows it, the same on every surface: {@code feature:list --json}, {@code feature:info --json} and the REST API. */
public final class FeatureJson {
  private FeatureJson() {}

  /** @return the feature's fields, in order */
  public static Map<String, Object> of(Feature f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", f.id());
    m.put("name", f.name());
    m.put("version", f.version());
    m.put("title", f.title());
    m.put("description", f.description());
    m.put("state", f.state().name());
    m.put("installed", f.isInstalled());
    m.put("installedAt", f.installed() == null ? null : f.installed().toString());
    m.put("source", f.source());
    m.put("bundles", f.bundles());
    return m;
  }

  /** @return the feature's fields, then its metadata, bundles, configurations and problems */
  public static Map<String, Object> of(FeatureDetails d) {
    Map<String, Object> m = new LinkedHashMap<>(of(d.feature()));
    m.put("metadata", d.metadata());
    m.put("bundles", d.bundles().stream().map(FeatureJson::of).toList());
    List<Object> configs = new ArrayList<>();
    d.configurations().forEach(c -> configs.add(Map.of("pid", c.pid(), "properties", c.properties())));
    m.put("configurations", configs);
    m.put("problems", d.problems());
    return m;
  }

  /** @return one bundle of a feature: where it comes from, and its state */
  public static Map<String, Object> of(FeatureDetails.BundleEntry b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", b.id());
    m.put("startOrder", b.startOrder());
    m.put("file", b.file());
    m.put("symbolicName", b.symbolicName());
    m.put("version", b.version());
    m.put("bundleId", b.bundleId());
    m.put("state", b.state());
    m.put("owned", b.owned());
    return m;
  }
}
