package io.dockevos.error;

/**
 * The Event Admin topics and properties of the error handler.
 *
 * @since 0.1
 */
public final class ErrorEvents {
  public static final String TOPIC_PREFIX = "dockevos/error/";
  /** An incident was opened, or an open incident was seen again. */
  public static final String REPORTED = TOPIC_PREFIX + "REPORTED";
  /** An incident was marked fixed. */
  public static final String RESOLVED = TOPIC_PREFIX + "RESOLVED";
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The incident's id, a {@code String}. */
  public static final String INCIDENT_ID = "incident.id";
  /** The incident's fingerprint, a {@code String}. */
  public static final String FINGERPRINT = "fingerprint";
  /** The plugin (symbolic name) that the incident touches, when there is one, a {@code String}. */
  public static final String PLUGIN_ID = "plugin.id";
  /** The incident's severity, a {@code String}. */
  public static final String SEVERITY = "severity";
  /** The incident's summary, in plain words, a {@code String}. */
  public static final String SUMMARY = "summary";
  /** How many times it was seen, a {@code Integer}. */
  public static final String COUNT = "count";

  /** Where the incident came from, as in {@link Incident#source()}, a {@code String}. @since 0.1 */
  public static final String SOURCE = "source";
  /** The incident's status after the change, a {@code String}. @since 0.1 */
  public static final String STATUS = "status";

  private ErrorEvents() {}
}
