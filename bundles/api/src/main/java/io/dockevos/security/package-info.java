/**
 * Permissions: what a plugin requests in its manifest ({@link io.dockevos.security.Permission#HEADER}),
 * what the user or the policy granted it ({@link io.dockevos.security.Grant}), and the audit of every
 * decision ({@link io.dockevos.security.AuditEntry}, published as {@link io.dockevos.security.SecurityEvents}).
 * The {@link io.dockevos.security.Permissions} service keeps them; the runtime hides the services a
 * plugin holds no permission for. It is a guard rail, not a sandbox: code in the JVM can reach around
 * it (docs/security.md says what it does not stop).
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.dockevos.security;
