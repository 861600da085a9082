package io.dockevos.plugin.internal;

import io.dockevos.security.Permissions;
import java.nio.file.Path;

/**
 * How far a jar is trusted, for the permissions policy ({@code autoGrant}): {@link
 * Permissions#UNSIGNED}, {@link Permissions#SIGNED} or {@link Permissions#TRUSTED}: the plugin
 * manager's signature check against the trust store ({@code Trust.level}).
 */
@FunctionalInterface
interface TrustLevels {
  /** @return the trust level of the jar that {@code source} names */
  String of(Path jar, String source);
}
