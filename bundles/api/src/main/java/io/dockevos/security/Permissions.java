package io.dockevos.security;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The permissions granted to plugins, kept by symbolic name in {@code data/security/grants.json}
 * (readable by its owner only), and the audit of every decision. Each grant, denial and revocation
 * is published ({@link SecurityEvents}) and appended to the audit.
 *
 * <p>The install pipeline asks it what a plan's bundles hold, and records what a plan grants when
 * the plan commits; the runtime hides the services a plugin holds no permission for, and takes them
 * away at once when a permission is revoked (the plugin is refreshed).
 *
 * @since 0.1
 */
@ProviderType
public interface Permissions {
  /** The configuration of the policy ({@code etc/dockevos.security.cfg}). */
  String PID = "dockevos.security";
  /**
   * The policy key that grants, without asking, what plugins of a trust level request: {@code none}
   * (the default), {@code signed} (signed and trusted plugins) or {@code trusted}.
   */
  String AUTO_GRANT = "autoGrant";
  /**
   * The policy key that grants {@code admin}, without asking, to the bundles a plan takes from the
   * runtime's own repository, {@code system/}: they are part of the distribution. {@code true} by default.
   */
  String GRANT_SYSTEM = "grantSystem";
  /** The trust level of a plugin that no one signed, or whose signature is not known: every plugin, until signatures are checked. */
  String UNSIGNED = "unsigned";
  /** The trust level of a plugin with a valid signature. */
  String SIGNED = "signed";
  /** The trust level of a plugin signed by a key the user trusts. */
  String TRUSTED = "trusted";

  /**
   * @param plugin a symbolic name
   * @return what it holds now: what was granted, and what a plan that is being applied grants it
   */
  List<Permission> granted(String plugin);

  /** @return the grants recorded for the plugin, oldest first; empty when none */
  List<Grant> grants(String plugin);

  /** @return every grant recorded, by plugin, oldest first */
  List<Grant> grants();

  /**
   * Grants permissions to a plugin, installed or not (a plugin installed later under that name holds
   * them), records it, audits it and publishes {@link SecurityEvents#GRANTED}. A running plugin that
   * gains something is restarted, so that it sees the services it may now use.
   *
   * @param by who grants: the shell user ({@code alice (console)}), or {@code policy}
   * @param origin what grants: {@code security:grant}, {@code plugin:install --grant}...
   * @return the grant, with what it adds (empty when the plugin held all of it already)
   */
  Grant grant(String plugin, Collection<Permission> permissions, String by, String origin);

  /**
   * Takes permissions back, records it, audits it and publishes {@link SecurityEvents#REVOKED}. A
   * running plugin that loses something is refreshed at once: it stops, drops every service it got,
   * and starts again without those it may no longer use.
   *
   * @param permissions the permissions to take back, each as it was granted; empty for all
   * @param reason why, in plain words, or {@code null}
   * @return what was taken back
   * @throws IllegalArgumentException naming a permission that the plugin does not hold as a grant of its own
   */
  List<Permission> revoke(String plugin, Collection<Permission> permissions, String by, String origin, String reason);

  /**
   * Records that a plugin was refused what it requests (a plan applied without the grant), audits it
   * and publishes {@link SecurityEvents#DENIED}. The runtime's own refusal (no user: {@code by} is
   * {@code null} or {@code runtime}) that repeats the last decision about the plugin is audited once:
   * the deploy folder plans a refused jar again whenever another bundle comes.
   */
  void deny(String plugin, Collection<Permission> permissions, String by, String origin, String reason);

  /** @return every decision, oldest first */
  List<AuditEntry> audit();

  /**
   * Asks the policy ({@link #AUTO_GRANT}, {@link #GRANT_SYSTEM}) whether a plugin gets what it
   * requests without being asked.
   *
   * @param trustLevel {@link #UNSIGNED}, {@link #SIGNED} or {@link #TRUSTED}
   * @param fromSystem whether its jar is in the runtime's own repository, {@code system/}
   * @return why the policy grants it, for the plan and the audit ({@code policy:autoGrant=trusted}); empty
   *     when the user must
   */
  Optional<String> autoGrant(String trustLevel, boolean fromSystem);

  /**
   * Lets a plugin hold permissions while a plan that grants them is applied, before the plan
   * commits: its bundles start with them. Nothing is recorded or audited; closing it takes them back.
   * The plan records them with {@link #grant} when it commits.
   */
  Provisional provisional(String plugin, Collection<Permission> permissions);

  /** Permissions held while a plan is applied; {@link #close()} takes them back. */
  interface Provisional extends AutoCloseable {
    @Override
    void close();
  }
}
