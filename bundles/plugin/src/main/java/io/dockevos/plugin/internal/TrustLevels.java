package io.dockevos.plugin.internal;

import io.dockevos.security.Permissions;
import java.nio.file.Path;

/**
 * How far a jar is trusted, for the permissions policy ({@code autoGrant}): {@link
 * Permissions#UNSIGNED}, {@link Permissions#SIGNED} or {@link Permissions#TRUSTED}. Until the plugin
 * manager checks signatures, every jar is unsigned ({@link #NONE}); the signature check takes its
 * place here.
 */
@FunctionalInterface
interface TrustLevels {
  /** Every jar is unsigned. */
  TrustLevels NONE = (jar, source) -> Permissions.UNSIGNED;

  /** @return the trust level of the jar that {@code source} names */
  String of(Path jar, String source);
}
