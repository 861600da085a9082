/** The feature manager implementation and the {@code feature:*} commands. Not exported. */
@org.osgi.service.component.annotations.RequireServiceComponentRuntime
package io.dockevos.feature.internal;
