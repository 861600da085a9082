/**
 * The alternative subsystem: which implementation serves each capability now, and manual procedures for when nothing automatic can help.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.dockevos.fallback;
