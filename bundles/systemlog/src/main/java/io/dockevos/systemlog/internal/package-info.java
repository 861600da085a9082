/** The system log's components and stores. Not exported. */
@org.osgi.service.component.annotations.RequireServiceComponentRuntime
package io.dockevos.systemlog.internal;
