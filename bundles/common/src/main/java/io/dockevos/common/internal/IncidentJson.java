package io.dockevos.common.internal;

import io.dockevos.error.Incident;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** An incident as JSON shows it, the same everywhere: its store, {@code error:list --json} and the REST API. */
public final class IncidentJson {
  private IncidentJson() {}

  /** @return the incident's fields, in order, its properties sorted by name */
  public static Map<String, Object> of(Incident i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("fingerprint", i.fingerprint());
    m.put("source", i.source());
    m.put("summary", i.summary());
    m.put("pluginId", i.pluginId());
    m.put("severity", i.severity().name());
    m.put("status", i.status().name());
    m.put("firstSeen", i.firstSeen().toString());
    m.put("lastSeen", i.lastSeen().toString());
    m.put("count", i.count());
    m.put("properties", new TreeMap<>(i.properties()));
    m.put("detail", i.detail());
    return m;
  }
}
