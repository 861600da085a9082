/**
 * Resolves {@code mvn:} plugin sources with Apache Maven Resolver, which this bundle embeds
 * privately. Not exported: the only type that other bundles see is {@link
 * io.dockevos.plugin.SourceResolver}.
 */
@org.osgi.service.component.annotations.RequireServiceComponentRuntime
package io.dockevos.plugin.maven.internal;
