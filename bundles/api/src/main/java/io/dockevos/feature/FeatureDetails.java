package io.dockevos.feature;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code feature:info} shows about a feature.
 *
 * @param feature the feature
 * @param metadata the feature file's descriptive fields that are set: vendor, license, docURL, scm,
 *     categories, complete
 * @param bundles its bundles, in the order of the feature file
 * @param configurations its configurations
 * @param problems what is wrong with it right now, one sentence each (a bundle that no repository
 *     has, an installed bundle that is not active); empty when nothing is
 * @since 0.1
 */
public record FeatureDetails(Feature feature, Map<String, String> metadata, List<BundleEntry> bundles,
    List<ConfigurationEntry> configurations, List<String> problems) {

  /**
   * One bundle of a feature.
   *
   * @param id its Maven ID, as the feature file names it
   * @param startOrder its {@code start-order} (its start level), or 0 when the file gives none
   * @param file where the feature manager finds it ({@code system/} or the local Maven repository),
   *     or {@code null} when neither has it
   * @param symbolicName its symbolic name, when its jar was found or it is installed, else {@code null}
   * @param version its bundle version, when known, else {@code null}
   * @param bundleId the id of the installed bundle, or -1 when it is not installed
   * @param state the installed bundle's state (as {@code plugin:list} shows it), or {@code null}
   * @param owned whether this feature installed it (and its uninstall removes it, unless another
   *     feature needs it); {@code false} for a bundle that was there before
   */
  public record BundleEntry(String id, int startOrder, String file, String symbolicName, String version,
      long bundleId, String state, boolean owned) {}

  /**
   * One configuration of a feature.
   *
   * @param pid the PID, or {@code factoryPid~name} for a factory configuration
   * @param properties its properties, as the feature file gives them (variables not yet replaced)
   */
  public record ConfigurationEntry(String pid, Map<String, Object> properties) {}
}
