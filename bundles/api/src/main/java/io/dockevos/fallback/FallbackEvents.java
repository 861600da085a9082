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
  /**
   * A job that asks for isolation (an image, or {@code isolated}) was refused by the process runner:
   * no container runner ran it, and the job does not allow the process runner. It carries {@link
   * #CAPABILITY}, {@link #IMPLEMENTATION}, {@link #REASON}, {@link #COMMAND}, {@link #IMAGE} (when
   * the job names one) and {@link #PLUGIN_ID}.
   */
  public static final String REFUSED = TOPIC_PREFIX + "REFUSED";
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The capability, for example {@code runner}, a {@code String}. */
  public static final String CAPABILITY = "capability";
  /** The implementation that serves it now, for example {@code process}, a {@code String}. */
  public static final String IMPLEMENTATION = "implementation";
  /** Why, in plain words, a {@code String}. */
  public static final String REASON = "reason";
  /** The refused job's command, its words joined by spaces, a {@code String}. */
  public static final String COMMAND = "command";
  /** The image the refused job names, a {@code String}. */
  public static final String IMAGE = "image";
  /** The symbolic name of the bundle that asked for the refused job, a {@code String}. */
  public static final String PLUGIN_ID = "plugin.id";

  private FallbackEvents() {}
}
