/** The error handler's components. Not exported. */
@org.osgi.service.component.annotations.RequireServiceComponentRuntime
package io.dockevos.errors.internal;
