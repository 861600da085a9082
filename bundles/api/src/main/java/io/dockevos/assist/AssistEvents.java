package io.dockevos.assist;

/**
 * The Event Admin topics and properties of the shell assistant.
 *
 * @since 0.1
 */
public final class AssistEvents {
  public static final String TOPIC_PREFIX = "dockevos/assist/";
  /** Diagnoses with fixes were suggested for an incident. */
  public static final String SUGGESTED = TOPIC_PREFIX + "SUGGESTED";
  /** A fix was applied, and worked. */
  public static final String APPLIED = TOPIC_PREFIX + "APPLIED";
  /** A fix was applied and did not work (and was rolled back where it could be). */
  public static final String FAILED = TOPIC_PREFIX + "FAILED";
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The incident's id, a {@code String}. */
  public static final String INCIDENT_ID = "incident.id";
  /** The fix's description, a {@code String}. */
  public static final String FIX = "fix";
  /** Who applied it ({@code user} or {@code policy}), a {@code String}. */
  public static final String BY = "by";
  /** In plain words, the result, a {@code String}. */
  public static final String RESULT = "result";

  /** The fix's risk ({@link Risk} name), a {@code String}. */
  public static final String RISK = "risk";
  /** How many fixes were suggested, an {@code Integer}. */
  public static final String FIXES = "fixes";
  /** The most confident diagnosis's cause, a {@code String}. */
  public static final String CAUSE = "cause";
  /** The plugin (symbolic name) that the incident touches, when there is one, a {@code String}. */
  public static final String PLUGIN_ID = "plugin.id";

  private AssistEvents() {}
}
