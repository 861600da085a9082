package io.dockevos.plugin;

/**
 * The Event Admin topics and properties of the trust store ({@code etc/trust.p12}): every change is
 * published, so that the system log keeps an audit of who was trusted when.
 *
 * @since 0.1
 */
public final class TrustEvents {
  /** The prefix of every trust topic. */
  public static final String TOPIC_PREFIX = "dockevos/trust/";
  /** A certificate was added to the trust store ({@code trust:add}). */
  public static final String ADDED = TOPIC_PREFIX + "ADDED";
  /** A certificate was removed from the trust store ({@code trust:remove}). */
  public static final String REMOVED = TOPIC_PREFIX + "REMOVED";
  /** Every trust topic, for an {@code EventHandler} subscription. */
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The certificate's alias in the trust store, a {@code String}. */
  public static final String ALIAS = "trust.alias";
  /** The certificate's subject (RFC 2253), a {@code String}. */
  public static final String SUBJECT = "trust.subject";
  /** The SHA-256 fingerprint of the certificate, upper-case hex pairs separated by colons, a {@code String}. */
  public static final String FINGERPRINT = "trust.fingerprint";

  private TrustEvents() {}
}
