package io.dockevos.mcp.internal;

/**
 * Who calls a tool: the token's name over HTTP, the OS user of {@code bin/dockevos mcp} over stdio.
 *
 * @param user the name the command history keeps
 * @param readOnly whether the caller may only call tools that change nothing (a {@code read} token)
 * @param transport {@code http} or {@code stdio}
 */
record Caller(String user, boolean readOnly, String transport) {}
