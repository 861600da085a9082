package io.dockevos.feature;

import java.time.Instant;

/**
 * A snapshot of one feature.
 *
 * @param id the feature's ID, {@code group:artifact:version} (with type and classifier if it has them)
 * @param name the artifact of its ID, which names the feature on every surface
 * @param version the version of its ID
 * @param title its {@code name} in the feature file, or {@code null}
 * @param description its {@code description}, or {@code null}
 * @param state where it stands
 * @param source where it was read from: a file in {@code system/features/}, a repository's file or
 *     URL, a file in {@code deploy/}, or the class path of an embedding program
 * @param bundles how many bundles it names
 * @param installed when it was installed, or {@code null} when it is not (or is a boot feature)
 * @since 0.1
 */
public record Feature(String id, String name, String version, String title, String description, FeatureState state,
    String source, int bundles, Instant installed) {

  /** @return whether it is installed, by the launcher or by the feature manager */
  public boolean isInstalled() {
    return state != FeatureState.AVAILABLE;
  }
}
