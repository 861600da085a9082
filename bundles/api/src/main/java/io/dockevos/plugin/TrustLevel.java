package io.dockevos.plugin;

import java.util.Locale;

/**
 * How far a plugin's jar is trusted, from its {@code jarsigner} signature: each level is above the
 * one before it. A jar whose signature does not verify (an entry changed, added or removed after
 * signing, several signers) has no level: it is refused under every policy.
 *
 * <p>The policy's lowest accepted level is {@code minimumTrust} of the configuration {@code
 * dockevos.trust} ({@link #POLICY_PID}); the trusted certificates are in {@code etc/trust.p12}.
 *
 * @since 0.1
 */
public enum TrustLevel {
  /** The jar carries no signature. */
  UNSIGNED,
  /** Every entry is signed by one signer, and nothing was changed since; the signer's key is not trusted. */
  SIGNED,
  /**
   * As {@link #SIGNED}, and the signer's certificate, or a certificate that issued it, is in the
   * trust store.
   */
  TRUSTED;

  /** The PID of the trust policy's configuration ({@code etc/dockevos.trust.cfg}). */
  public static final String POLICY_PID = "dockevos.trust";
  /** The key of the policy's lowest accepted level, one of {@code unsigned}, {@code signed}, {@code trusted}. */
  public static final String MINIMUM_TRUST = "minimumTrust";

  /** @return the level as users write it: {@code unsigned}, {@code signed} or {@code trusted} */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return whether this level is {@code minimum} or above it */
  public boolean atLeast(TrustLevel minimum) {
    return compareTo(minimum) >= 0;
  }

  /**
   * @param text a level as users write it, in any case, with spaces around it or not
   * @return the level
   * @throws IllegalArgumentException naming the text and the levels, when it is none of them
   */
  public static TrustLevel parse(String text) {
    String t = text == null ? "" : text.trim();
    for (TrustLevel l : values()) {
      if (l.name().equalsIgnoreCase(t)) {
        return l;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a trust level: use unsigned, signed or trusted");
  }

  @Override
  public String toString() {
    return label();
  }
}
