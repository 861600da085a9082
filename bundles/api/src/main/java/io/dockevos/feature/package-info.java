/**
 * The feature manager: install and uninstall OSGi Features (JSON feature files, read with the
 * Felix Feature Service) at run time, all or nothing, on top of the plugin manager. The Gogo
 * commands {@code feature:*}, the deploy folder and every later surface (REST, MCP) are thin
 * layers over {@link io.dockevos.feature.FeatureManager}. The {@link io.dockevos.feature.DesiredState}
 * (0.2) applies one declarative feature file at start and whenever it changes.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.dockevos.feature;
