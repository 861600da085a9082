package io.dockevos.security;

import java.time.Instant;
import java.util.List;

/**
 * One decision about a plugin's permissions, as {@code security:audit} shows it. Each one is also
 * published as the event of its {@link #decision()} ({@link SecurityEvents}).
 *
 * @param time when
 * @param plugin the plugin's symbolic name
 * @param permissions the permissions decided on
 * @param decision granted, denied or revoked
 * @param by who decided: the shell user ({@code alice (client)}), {@code policy}, or {@code runtime}
 * @param origin what asked: {@code plugin:install}, {@code deploy}, {@code security:revoke}...
 * @param reason why, in plain words, or {@code null}
 * @since 0.1
 */
public record AuditEntry(Instant time, String plugin, List<Permission> permissions, Decision decision, String by,
    String origin, String reason) {
  public AuditEntry {
    permissions = List.copyOf(permissions);
  }

  /** What was decided. */
  public enum Decision {
    GRANTED, DENIED, REVOKED
  }
}
