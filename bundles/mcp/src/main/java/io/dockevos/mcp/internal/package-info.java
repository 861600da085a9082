/**
 * The MCP server's implementation: the tools (every action, and the built-in ones), the Streamable
 * HTTP transport at /mcp behind a bearer token, and the stdio sessions that bin/dockevos mcp opens
 * through the control socket.
 */
@org.osgi.service.component.annotations.RequireServiceComponentRuntime
package io.dockevos.mcp.internal;
