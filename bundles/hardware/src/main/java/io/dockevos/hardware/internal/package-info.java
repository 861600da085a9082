/** The hardware analyzer's implementation and the {@code hw:*} commands. Not exported. */
@org.osgi.service.component.annotations.RequireServiceComponentRuntime
@org.osgi.service.event.annotations.RequireEventAdmin
package io.dockevos.hardware.internal;
