package io.dockevos.security;

import java.time.Instant;
import java.util.List;

/**
 * Permissions granted to a plugin, as the grant store records them. Grants are kept by the
 * plugin's symbolic name, so an update keeps them; an uninstall (without keeping its data) forgets
 * them.
 *
 * @param plugin the plugin's symbolic name
 * @param permissions what was granted
 * @param by who granted them: the shell user and where the session came from ({@code alice (console)}),
 *     or {@code policy} for what the policy grants
 * @param at when
 * @param origin what granted them: {@code plugin:install --grant}, {@code security:grant}, {@code policy:autoGrant=trusted}...
 * @since 0.1
 */
public record Grant(String plugin, List<Permission> permissions, String by, Instant at, String origin) {
  public Grant {
    permissions = List.copyOf(permissions);
  }
}
