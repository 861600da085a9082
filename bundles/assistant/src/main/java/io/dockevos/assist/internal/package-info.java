/** The shell assistant and its built-in analyzers. Not exported. */
@org.osgi.service.component.annotations.RequireServiceComponentRuntime
package io.dockevos.assist.internal;
