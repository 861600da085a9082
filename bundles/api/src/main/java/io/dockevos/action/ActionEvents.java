package io.dockevos.action;

/**
 * The Event Admin topics and properties of action invocations.
 *
 * @since 0.1
 */
public final class ActionEvents {
  public static final String TOPIC_PREFIX = "dockevos/action/";
  /** An invocation returned a result. */
  public static final String EXECUTED = TOPIC_PREFIX + "EXECUTED";
  /** An invocation failed, timed out or was cancelled; see {@link #REASON}. */
  public static final String FAILED = TOPIC_PREFIX + "FAILED";
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The plugin's symbolic name, a {@code String}. */
  public static final String PLUGIN_ID = "plugin.id";
  /** The action's name, a {@code String}. */
  public static final String ACTION = "action.name";
  /** How long it took in milliseconds, a {@code Long}. */
  public static final String DURATION = "duration.ms";
  /** Why it failed, a {@code String}. */
  public static final String REASON = "reason";
  /** The {@link ActionException.Kind} of a failure, a {@code String}. */
  public static final String KIND = "kind";

  private ActionEvents() {}
}
