package io.dockevos.assist.internal;

import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;

/** The keys of {@link Incident#properties()} that the analyzers read ({@link IncidentProperties}), and helpers. */
final class Keys {
  static final String EXCEPTION = IncidentProperties.EXCEPTION;
  static final String MESSAGE = IncidentProperties.MESSAGE;
  static final String BUNDLE = IncidentProperties.BUNDLE;
  /** Present for a bundle that does not resolve; its text is a record, not parsed: requirements come as values. */
  static final String REQUIREMENT = IncidentProperties.REQUIREMENT;
  static final String REQUIREMENT_TEXT = IncidentProperties.REQUIREMENT_TEXT;
  static final String BUNDLE_ID = IncidentProperties.BUNDLE_ID;
  static final String BUNDLE_VERSION = IncidentProperties.BUNDLE_VERSION;
  static final String FIX_COUNT = IncidentProperties.FIX_COUNT;
  static final String COMPONENT = IncidentProperties.COMPONENT;
  static final String REFERENCE = IncidentProperties.REFERENCE_INTERFACE;
  static final String FILE = IncidentProperties.FILE;
  static final String TOOL = IncidentProperties.TOOL;
  static final String HINT = IncidentProperties.HINT;
  static final String PORT = IncidentProperties.PORT;
  static final String CONFIG_PID = IncidentProperties.CONFIG_PID;
  /** The reason of the event that reported it (plugin, deploy, docker and hardware events). */
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
