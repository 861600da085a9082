/**
 * The HTTP surface (the feature {@code dockevos-http}, not booted): its bearer tokens ({@link
 * io.dockevos.http.Tokens}), their scopes ({@link io.dockevos.http.TokenScope}) and the events of
 * their life ({@link io.dockevos.http.HttpEvents}). The server listens on the loopback interface
 * only unless it is configured otherwise; every request but liveness needs a token.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.dockevos.http;
