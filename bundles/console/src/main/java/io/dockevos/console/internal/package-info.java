/** The interactive console: gogo.jline's shell on a session that words failures as the client does. */
package io.dockevos.console.internal;
