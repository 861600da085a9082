package io.dockevos.plugin;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What is wrong with a bundle, as typed values: its state, the requirements that keep it from
 * resolving, its Declarative Services components that are not satisfied or failed to activate,
 * and its last failure. The one place that reads the framework's wiring and the Service Component
 * Runtime for this: {@code plugin:diag}, the install's health gate, the error handler and the
 * assistant all take their facts, and their wording ({@link BundleDiagnosis#problems()}, {@link
 * ComponentDiagnosis#explained}), from it.
 *
 * @since 0.1
 */
@ProviderType
public interface Diagnostics {
  /** How far a diagnosis looks for what could satisfy a missing requirement. */
  enum Depth {
    /**
     * The framework and Declarative Services only: cheap enough for a scan every few seconds. Each
     * {@link MissingRequirement#candidates()} is empty, whether or not a repository has one.
     */
    RUNTIME,
    /**
     * Also the repositories ({@code system/}, the features, the local Maven repository, the
     * registered indexes), for the {@link MissingRequirement#candidates()} of each missing
     * requirement: reads the repository index, which may look at the disk.
     */
    CANDIDATES
  }

  /**
   * @param bundleId any bundle's id
   * @param depth how far to look for candidates of missing requirements
   * @return the bundle's diagnosis; empty when no bundle has that id (or it is the framework)
   */
  Optional<BundleDiagnosis> diagnose(long bundleId, Depth depth);

  /**
   * @param depth how far to look for candidates of missing requirements
   * @return every bundle that is not {@link BundleDiagnosis#healthy() healthy}, by bundle id
   */
  List<BundleDiagnosis> unhealthy(Depth depth);
}
