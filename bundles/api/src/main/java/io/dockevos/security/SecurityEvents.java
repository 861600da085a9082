package io.dockevos.security;

/**
 * The Event Admin topics of permission decisions: every grant, denial and revocation is published
 * (and kept in the audit, {@link Permissions#audit()}). Each event carries {@link #PLUGIN}, {@link
 * #PERMISSIONS}, {@link #BY} and {@link #ORIGIN}; a denial or a revocation may carry {@link #REASON}.
 *
 * @since 0.1
 */
public final class SecurityEvents {
  /** The prefix of every security topic. */
  public static final String TOPIC_PREFIX = "dockevos/security/";
  /** Permissions were granted to a plugin. */
  public static final String GRANTED = TOPIC_PREFIX + "GRANTED";
  /** A plugin was refused the permissions it requests (not installed, or not updated). */
  public static final String DENIED = TOPIC_PREFIX + "DENIED";
  /** Permissions were taken back from a plugin. */
  public static final String REVOKED = TOPIC_PREFIX + "REVOKED";
  /** Every security topic, for an {@code EventHandler} subscription. */
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The plugin's symbolic name, a {@code String}. */
  public static final String PLUGIN = "plugin.id";
  /** The permissions decided on, as the header writes them, a {@code String[]}. */
  public static final String PERMISSIONS = "permissions";
  /** Who decided, a {@code String}. */
  public static final String BY = "by";
  /** What asked, a {@code String}. */
  public static final String ORIGIN = "origin";
  /** Why, a {@code String}. */
  public static final String REASON = "reason";

  private SecurityEvents() {}
}
