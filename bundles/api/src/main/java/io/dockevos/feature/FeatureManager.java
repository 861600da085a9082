package io.dockevos.feature;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs and uninstalls features: OSGi Feature JSON files whose bundles come from {@code system/}
 * (Maven layout) or the local Maven repository.
 *
 * <p>A feature is named on every call by its name (the artifact of its ID), by {@code name/version},
 * or by its whole ID {@code group:artifact:version}. The available features are the files in
 * {@code system/features/} and those of the registered repositories. An install is all or
 * nothing; what the manager records (installed features, repositories) survives a restart. Every
 * install, uninstall and failed install publishes a {@link FeatureEvents} event.
 *
 * @since 0.1
 */
@ProviderType
public interface FeatureManager {

  /** Told about each step of a long operation, in order. */
  @ConsumerType
  @FunctionalInterface
  interface Progress {
    /** Tells nobody. */
    Progress NONE = (step, steps, message) -> { };

    /**
     * @param step the step that begins, from 1
     * @param steps how many steps there are
     * @param message what the step does, for example {@code installing bundle 3/7: org.example.api 1.2.0}
     */
    void step(int step, int steps, String message);
  }

  /** @return the installed features: the boot features first, then the others by name */
  List<Feature> installed();

  /**
   * @return every feature that can be installed or is installed: those of {@code system/features/}
   *     and of the repositories, by name; a name with several versions is listed once per version
   */
  List<Feature> available();

  /**
   * @return the files in {@code system/features/} and the repositories that cannot be read, one
   *     sentence each naming the file (and its line and field where known) and the cause
   */
  List<String> problems();

  /** @return everything {@code feature:info} shows about a feature, installed or available */
  FeatureDetails details(String ref) throws FeatureException;

  /**
   * Installs a feature, all or nothing: finds every bundle, plans the bundles that are not installed
   * yet as one change (one resolve, with the {@link io.dockevos.install.Installer}), applies the
   * configurations, then applies the plan: installs them, resolves them together, starts them in their
   * start order and waits for the health gate. When any step fails, every bundle the install added is
   * uninstalled again, each configuration goes back to what it was, and the exception names the bundle
   * and the cause. A
   * feature that is installed already is left as it is, or repaired when some of its bundles went
   * missing; one whose file changed since it was installed is installed anew.
   *
   * @param ref a feature name, {@code name/version} or ID; or the path (relative to the dockevOS
   *     home) or {@code file:}, {@code http:} or {@code https:} URL of a feature file, which is then
   *     installed without being registered as a repository
   * @param progress told about each bundle as it is installed and started
   * @return the installed feature
   * @throws FeatureException naming the feature, and the bundle or the file and the cause
   */
  Feature install(String ref, Progress progress) throws FeatureException;

  /**
   * Computes what {@link #install(String, Progress)} would do, without changing anything: the feature's
   * bundles that are not installed yet, planned together by the {@link io.dockevos.install.Installer},
   * and its configurations.
   *
   * @param ref as for {@link #install(String, Progress)}
   * @throws FeatureException as {@link #install(String, Progress)} would fail before it changes anything: a
   *     bundle that cannot be found, or that does not resolve (naming what it misses)
   * @since 0.1
   */
  FeaturePlan plan(String ref) throws FeatureException;

  /**
   * Computes what {@link #uninstall(String)} would do to the bundles, without changing anything: one
   * plan that uninstalls those the feature installed and no other installed feature names.
   *
   * @param ref as for {@link #uninstall(String)}
   * @throws FeatureException when no such feature is installed, or it is a boot feature
   * @since 0.1
   */
  io.dockevos.install.Plan planUninstall(String ref) throws FeatureException;

  /** Installs a feature without telling anyone about its progress; see {@link #install(String, Progress)}. */
  default Feature install(String ref) throws FeatureException {
    return install(ref, Progress.NONE);
  }

  /**
   * Uninstalls a feature: removes the bundles it installed that no other installed feature names,
   * and the configurations it applied that no other installed feature applies. A bundle that was
   * installed before the feature stays. Boot features cannot be uninstalled.
   *
   * @return the feature, as it was
   */
  Feature uninstall(String ref) throws FeatureException;

  /**
   * Registers a feature file, or the URL of one, whose feature then is available. The file is read
   * at once and must be a valid feature; the registration survives a restart.
   *
   * @param location a path (relative to the dockevOS home), or a {@code file:}, {@code http:} or
   *     {@code https:} URL
   * @return the repository, with the feature it offers
   * @throws FeatureException naming the location and why it cannot be read
   */
  Repository addRepository(String location) throws FeatureException;

  /** Forgets a repository; features installed from it stay installed. */
  Repository removeRepository(String location) throws FeatureException;

  /** @return the registered repositories */
  List<Repository> repositories();
}
