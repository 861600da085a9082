package io.dockevos.core.internal;

import java.net.URI;
import java.nio.file.Path;
import org.osgi.framework.Bundle;

/**
 * How a file of the deploy folder is named outside it: its {@code file:} URL is the location of its
 * bundle and the {@code felix.fileinstall.filename} of its configuration.
 *
 * @param deploy the deploy folder, absolute and normalized
 */
record DeployLocations(Path deploy) {
  /** @return the {@code file:} URL of the file {@code name} of the folder */
  String uri(String name) {
    return deploy.resolve(name).toUri().toString();
  }

  /** @return the name in deploy/ of a bundle installed from there, or null */
  String deployName(Bundle bundle) {
    Path p = path(bundle.getLocation());
    return p != null && deploy.equals(p.getParent()) ? p.getFileName().toString() : null;
  }

  /** A bundle FileInstall installed from {@code data/deploy-staging/} (versions before the install pipeline). */
  static boolean staged(Bundle bundle) {
    Path p = path(bundle.getLocation());
    return p != null && p.getParent() != null && p.getParent().getFileName() != null
        && p.getParent().getFileName().toString().equals("deploy-staging");
  }

  /** @return the file a {@code file:} URL names, absolute and normalized, or null for another URL */
  static Path path(String location) {
    if (!location.startsWith("file:")) {
      return null;
    }
    try {
      return Path.of(URI.create(location)).toAbsolutePath().normalize();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
