package io.dockevos.feature;

import java.util.List;

/**
 * A feature repository: a feature file, or the URL of one, registered with {@link
 * FeatureManager#addRepository} so that its feature is available to install.
 *
 * @param uri the file's absolute {@code file:} URI, or the URL as it was given
 * @param features the IDs of the features it offers
 * @param problem why it cannot be read right now, or {@code null}
 * @since 0.1
 */
public record Repository(String uri, List<String> features, String problem) {}
