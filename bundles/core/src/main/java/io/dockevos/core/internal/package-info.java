/** The runtime's own components. Not exported. */
@org.osgi.service.component.annotations.RequireServiceComponentRuntime
package io.dockevos.core.internal;
