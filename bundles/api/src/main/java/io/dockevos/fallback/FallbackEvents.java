package io.dockevos.fallback;

/**
 * The Event Admin topics and properties of the alternative subsystem.
 *
 * @since 0.1
 */
public final class FallbackEvents {
  public static final String TOPIC_PREFIX = "dockevos/fallback/";
  /** A fallback took over a capability, because its primary went away. */
  public static final String ACTIVATED = TOPIC_PREFIX + "ACTIVATED";
  /** The primary came back, and the fallback stepped back. */
  public static final String DEACTIVATED = TOPIC_PREFIX + "DEACTIVATED";
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The capability, for example {@code runner}, a {@code String}. */
  public static final String CAPABILITY = "capability";
  /** The implementation that serves it now, for example {@code process}, a {@code String}. */
  public static final String IMPLEMENTATION = "implementation";
  /** Why, in plain words, a {@code String}. */
  public static final String REASON = "reason";

  private FallbackEvents() {}
}
