package io.dockevos.install;

import io.dockevos.plugin.PluginException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one way code enters the runtime: plans a {@link Change} with the Felix resolver, then applies
 * the plan as one transaction. {@code plugin:install}, {@code feature:install}, the deploy folder
 * and the assistant's fixes all call it.
 *
 * <p>Applying installs every bundle of the plan, resolves them all at once, starts them in order
 * and writes the plugin registry once. Then a health gate waits (10 s by default) until every
 * bundle of the plan is ACTIVE, its Declarative Services components are satisfied and its Felix
 * Health Checks are not CRITICAL. If the gate fails, the previous state is restored exactly:
 * bundles, versions, start states and configurations. A journal makes a kill at any point safe: the
 * next start completes the plan or undoes it, and logs which.
 *
 * @since 0.1
 */
@ProviderType
public interface Installer {
  /**
   * Computes what a change does, without changing anything.
   *
   * @throws PlanException when no plan fits, naming each unsatisfiable requirement once with the
   *     chain of bundles that needs it
   * @throws PluginException when a source cannot be read, naming it and the cause
   */
  Plan plan(Change change) throws PluginException;

  /**
   * Applies a plan as one transaction. A plan whose bundles request permissions that no one granted
   * ({@link Plan#ungranted()}) is applied only when its change carries {@link Change.Option#GRANT}:
   * the plan's bundles then start with them, and they are recorded when it commits.
   *
   * @throws NotGrantedException when the plan's bundles request permissions no one granted, naming
   *     them and how to grant them; nothing was changed, and the refusal is audited
   * @throws PluginException naming what failed (a start, the health gate) after everything was put
   *     back as it was
   */
  Outcome apply(Plan plan) throws PluginException;

  /** Plans and applies a change. */
  default Outcome execute(Change change) throws PluginException {
    return apply(plan(change));
  }
}
