package io.dockevos.feature.internal;

import java.util.List;
import java.util.Map;

/**
 * A feature file, read and checked: what the feature manager needs of it, in its own types, so
 * that nothing else in this bundle deals with the Feature Service's.
 *
 * @param id the feature's ID as the file gives it
 * @param name the artifact of the ID
 * @param version the version of the ID
 * @param title the file's {@code name}, or null
 * @param description the file's {@code description}, or null
 * @param metadata the other descriptive fields that are set (vendor, license, docURL, scm, categories, complete)
 * @param bundles the bundles, in the order of the file
 * @param configurations the configurations, in the order of the file
 * @param variables the feature's variables, for {@code ${name}} in configuration values
 * @param mandatoryExtensions the names of its mandatory extensions (dockevOS handles none)
 * @param source where it was read from, as a user would name it
 * @param digest the SHA-256 of the file's bytes, to tell a changed file from the same one
 * @param text the file's text, kept as the copy of an installed feature
 */
record Descriptor(String id, String name, String version, String title, String description,
    Map<String, String> metadata, List<BundleSpec> bundles, List<ConfigSpec> configurations,
    Map<String, Object> variables, List<String> mandatoryExtensions, String source, String digest, String text) {

  /**
   * One bundle of the feature.
   *
   * @param id the Maven ID as the file gives it
   * @param startOrder its {@code start-order}, or 0 when the file gives none
   */
  record BundleSpec(String id, String groupId, String artifactId, String version, String type, String classifier,
      int startOrder) {

    /** @return its path in a Maven repository layout, for example {@code org/example/api/1.0/api-1.0.jar} */
    String repositoryPath() {
      return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version
          + (classifier == null ? "" : "-" + classifier) + "." + (type == null ? "jar" : type);
    }
  }

  /**
   * One configuration of the feature.
   *
   * @param pid the key in the file: a PID, or {@code factoryPid~name}
   * @param factoryPid the factory PID, or null
   * @param name the name of a factory configuration, or null
   * @param values the typed values, as cm.json reads them
   */
  record ConfigSpec(String pid, String factoryPid, String name, Map<String, Object> values) {}

  /** @return "name version", the way messages name a feature */
  String label() {
    return name + " " + version;
  }
}
