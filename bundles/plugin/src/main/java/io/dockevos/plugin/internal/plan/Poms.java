package io.dockevos.plugin.internal.plan;

import io.dockevos.install.DependencyVersions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.osgi.resource.Resource;

/**
 * The versions a bundle's own Maven POM declares for its dependencies: the POM beside it in the
 * repository, or the one it carries under {@code META-INF/maven/}. Maven's model builder reads them
 * ({@link DependencyVersions}, from the Maven bundle); without it nothing is preferred.
 */
final class Poms {
  private final Supplier<DependencyVersions> reader;
  private final Map<Object, Map<String, String>> cache = new ConcurrentHashMap<>();

  Poms(Supplier<DependencyVersions> reader) {
    this.reader = reader;
  }

  /** @return the versions that the POM of a repository resource declares, by {@code groupId:artifactId} */
  Map<String, String> ofRepository(Catalog catalog, Resource r) {
    Optional<Path> pom = catalog.pom(r);
    return pom.isEmpty() ? Map.of() : cache.computeIfAbsent(pom.get(), p -> read((Path) p));
  }

  /** @return the versions that the POM inside a jar declares, by {@code groupId:artifactId} */
  Map<String, String> ofJar(Path jar) {
    return cache.computeIfAbsent(jar, j -> {
      DependencyVersions dv = reader.get();
      if (dv == null) {
        return Map.of();
      }
      try (JarFile file = new JarFile(jar.toFile(), false)) {
        for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          String name = entry.getName();
          if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.xml")) {
            Path temp = Files.createTempFile("dockevos-pom-", ".xml");
            try (InputStream in = file.getInputStream(entry)) {
              Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
              return Map.copyOf(dv.declared(temp));
            } finally {
              Files.deleteIfExists(temp);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // no POM to prefer by
      }
      return Map.of();
    });
  }

  /** @return the versions that the POM inside an installed bundle declares, by {@code groupId:artifactId} */
  Map<String, String> ofBundle(org.osgi.framework.Bundle bundle) {
    return cache.computeIfAbsent(bundle.getBundleId() + "@" + bundle.getLastModified(), k -> {
      DependencyVersions dv = reader.get();
      java.util.Enumeration<java.net.URL> poms;
      try {
        poms = dv == null ? null : bundle.findEntries("META-INF/maven", "pom.xml", true);
      } catch (IllegalStateException uninstalled) {
        poms = null;
      }
      if (poms == null || !poms.hasMoreElements()) {
        return Map.of();
      }
      try (InputStream in = poms.nextElement().openStream()) {
        Path temp = Files.createTempFile("dockevos-pom-", ".xml");
        try {
          Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
          return Map.copyOf(dv.declared(temp));
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (IOException | RuntimeException e) {
        return Map.of(); // no POM to prefer by
      }
    });
  }

  private Map<String, String> read(Path pom) {
    DependencyVersions dv = reader.get();
    if (dv == null) {
      return Map.of();
    }
    try {
      return Map.copyOf(dv.declared(pom));
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  /** @return the version that a POM's dependencies give an artifact id, whatever its group */
  static String versionOf(Map<String, String> declared, String artifactId) {
    for (Map.Entry<String, String> e : declared.entrySet()) {
      if (e.getKey().endsWith(":" + artifactId)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** @return the artifact id and version of a resource in a Maven layout ({@code .../a/v/a-v.pom}) */
  static Optional<String[]> artifact(Catalog catalog, Resource r) {
    Optional<Path> pom = catalog.pom(r);
    if (pom.isEmpty() || pom.get().getNameCount() < 3) {
      return Optional.empty();
    }
    Path p = pom.get();
    String version = p.getParent().getFileName().toString();
    String artifact = p.getParent().getParent().getFileName().toString();
    return p.getFileName().toString().equals(artifact + "-" + version + ".pom")
        ? Optional.of(new String[] {artifact, version}) : Optional.empty();
  }
}
