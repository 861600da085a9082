/** The permissions' store, audit, policy, service hooks and {@code security:*} commands. Not exported. */
@org.osgi.service.component.annotations.RequireServiceComponentRuntime
package io.dockevos.security.internal;
