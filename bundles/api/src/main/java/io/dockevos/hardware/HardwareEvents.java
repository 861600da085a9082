package io.dockevos.hardware;

/**
 * The Event Admin topics and properties of the hardware analyzer.
 *
 * @since 0.1
 */
public final class HardwareEvents {
  public static final String TOPIC_PREFIX = "dockevos/hardware/";
  /** A resource crossed its configured threshold (free disk, memory, CPU load). */
  public static final String THRESHOLD = TOPIC_PREFIX + "THRESHOLD";
  /** A resource came back within its threshold. */
  public static final String THRESHOLD_CLEARED = TOPIC_PREFIX + "THRESHOLD_CLEARED";
  /** A system tool that a plugin or feature requires is missing or too old. */
  public static final String TOOL_MISSING = TOPIC_PREFIX + "TOOL_MISSING";
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The resource: {@code disk}, {@code memory} or {@code cpu}, a {@code String}. */
  public static final String RESOURCE = "resource";
  /** The measured value, a {@code Double} (percent or load). */
  public static final String VALUE = "value";
  /** The configured threshold, a {@code Double}. */
  public static final String LIMIT = "threshold";
  /** The tool's name, for example {@code docker}, a {@code String}. */
  public static final String TOOL = "tool";
  /** The version found, absent when the tool is missing, a {@code String}. */
  public static final String FOUND = "tool.found";
  /** The version required, for example {@code >=20}, a {@code String}. */
  public static final String REQUIRED = "tool.required";
  /** How to install the tool, in plain words, a {@code String}. */
  public static final String HINT = "hint";
  /** The plugin (symbolic name) that requires the tool, a {@code String}. */
  public static final String PLUGIN_ID = "plugin.id";
  /** In plain words, what happened, a {@code String}. */
  public static final String REASON = "reason";

  private HardwareEvents() {}
}
