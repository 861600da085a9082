package io.dockevos.http;

import java.time.Instant;

/**
 * A token as it is kept: its name (the user of what it does, in the command history), its scope,
 * when it was made and last used. The secret itself is never kept, only its hash.
 *
 * @param name the name given at creation, unique
 * @param scope what it may do
 * @param created when it was made
 * @param lastUsed when a request last carried it, or null
 * @since 0.1
 */
public record Token(String name, TokenScope scope, Instant created, Instant lastUsed) {}
