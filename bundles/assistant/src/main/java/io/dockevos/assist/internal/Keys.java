package io.dockevos.assist.internal;

import io.dockevos.error.Incident;

/** The keys of {@link Incident#properties()} that the error handler fills in, and the analyzers read. */
final class Keys {
  static final String EXCEPTION = "exception";
  static final String MESSAGE = "message";
  static final String BUNDLE = "bundle.symbolicName";
  static final String REQUIREMENT = "requirement";
  static final String COMPONENT = "component.name";
  static final String REFERENCE = "reference.interface";
  static final String FILE = "file";
  static final String TOOL = "tool";
  static final String HINT = "hint";
  static final String PORT = "port";
  static final String CONFIG_PID = "config.pid";
  static final String REASON = "reason";

  private Keys() {}

  /** @return the property, or {@code null} when it is absent or blank */
  static String get(Incident incident, String key) {
    String v = incident.properties().get(key);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** @return the plugin the incident touches: its plugin id, else the bundle it names */
  static String plugin(Incident incident) {
    return incident.pluginId() != null && !incident.pluginId().isBlank() ? incident.pluginId() : get(incident, BUNDLE);
  }

  /** @return everything the incident says in words: summary, message, reason and detail */
  static String text(Incident incident) {
    StringBuilder s = new StringBuilder();
    for (String part : new String[] {incident.summary(), get(incident, MESSAGE), get(incident, REASON), incident.detail()}) {
      if (part != null) {
        s.append(part).append('\n');
      }
    }
    return s.toString();
  }
}
