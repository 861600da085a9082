package io.dockevos.feature.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * Finds the jar of a feature's bundle by its Maven ID: in the distribution's {@code system/}
 * (Maven layout) first, then in the local Maven repository, as the launcher does for boot features.
 */
final class BundleFinder {
  /** What a jar's manifest says it is. */
  record Identity(String symbolicName, Version version) {
    @Override
    public String toString() {
      return symbolicName + " " + version;
    }
  }

  private final Path system;
  private final Path maven;

  BundleFinder(Path system, Path maven) {
    this.system = system;
    this.maven = maven;
  }

  /** The local Maven repository: {@code maven.repo.local}, else {@code ~/.m2/repository}. */
  static Path localRepository() {
    String local = System.getProperty("maven.repo.local");
    return local != null ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  Optional<Path> find(Descriptor.BundleSpec bundle) {
    for (Path root : new Path[] {system, maven}) {
      Path jar = root.resolve(bundle.repositoryPath()).normalize();
      // A Maven ID's parts are names, not paths: one of '..' would look outside the repository.
      if (jar.startsWith(root.normalize()) && Files.isRegularFile(jar)) {
        return Optional.of(jar);
      }
    }
    return Optional.empty();
  }

  /** @return where {@link #find} looked, for a message */
  String places(Descriptor.BundleSpec bundle) {
    return system.resolve(bundle.repositoryPath()) + " nor " + maven.resolve(bundle.repositoryPath());
  }

  /**
   * @return the symbolic name and version in the jar's manifest
   * @throws IOException with the reason when the file is not a readable OSGi bundle
   */
  static Identity identify(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Manifest mf = file.getManifest();
      Attributes main = mf == null ? null : mf.getMainAttributes();
      String bsn = main == null ? null : main.getValue(Constants.BUNDLE_SYMBOLICNAME);
      if (bsn == null || bsn.split(";")[0].isBlank()) {
        throw new IOException(jar + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName");
      }
      String problem = io.dockevos.common.internal.SymbolicNames.problem(io.dockevos.common.internal.SymbolicNames.of(bsn));
      if (problem != null) {
        throw new IOException(jar + " is refused: its manifest's " + problem);
      }
      String v = main.getValue(Constants.BUNDLE_VERSION);
      try {
        return new Identity(bsn.split(";")[0].trim(), v == null ? Version.emptyVersion : Version.parseVersion(v.trim()));
      } catch (IllegalArgumentException e) {
        throw new IOException(jar + " has an invalid Bundle-Version '" + v + "'");
      }
    } catch (java.util.zip.ZipException e) {
      throw new IOException(jar + " is not a jar (zip) file, or it is damaged: " + e.getMessage(), e);
    }
  }
}
