/** The alternative's implementation and the {@code fallback:*} commands. Not exported. */
@org.osgi.service.component.annotations.RequireServiceComponentRuntime
@org.osgi.service.event.annotations.RequireEventAdmin
package io.dockevos.alternative.internal;
