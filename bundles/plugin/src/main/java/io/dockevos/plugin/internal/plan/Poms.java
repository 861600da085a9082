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
  /** A POM's dependencies: all of them, and those Maven resolves to run its artifact. */
  record Deps(Map<String, String> all, Map<String, String> runtime) {
    static final Deps NONE = new Deps(Map.of(), Map.of());
  }

  private final Supplier<DependencyVersions> reader;
  private final Map<Object, Deps> cache = new ConcurrentHashMap<>();

  Poms(Supplier<DependencyVersions> reader) {
    this.reader = reader;
  }

  /** @return the versions that the POM of a repository resource declares, by {@code groupId:artifactId} */
  Map<String, String> ofRepository(Catalog catalog, Resource r) {
    return depsOfRepository(catalog, r).all();
  }

  Deps depsOfRepository(Catalog catalog, Resource r) {
    Optional<Path> pom = catalog.pom(r);
    return pom.isEmpty() ? Deps.NONE : cache.computeIfAbsent(pom.get(), p -> read((Path) p));
  }

  /** @return the versions that the POM inside a jar declares, by {@code groupId:artifactId} */
  Map<String, String> ofJar(Path jar) {
    return depsOfJar(jar).all();
  }

  Deps depsOfJar(Path jar) {
    return cache.computeIfAbsent(jar, j -> {
      if (reader.get() == null) {
        return Deps.NONE;
      }
      try (JarFile file = new JarFile(jar.toFile(), false)) {
        for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          String name = entry.getName();
          if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.xml")) {
            try (InputStream in = file.getInputStream(entry)) {
              return readCopy(in);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // no POM to prefer by
      }
      return Deps.NONE;
    });
  }

  /** @return the versions that the POM inside an installed bundle declares, by {@code groupId:artifactId} */
  Map<String, String> ofBundle(org.osgi.framework.Bundle bundle) {
    return depsOfBundle(bundle).all();
  }

  Deps depsOfBundle(org.osgi.framework.Bundle bundle) {
    return cache.computeIfAbsent(bundle.getBundleId() + "@" + bundle.getLastModified(), k -> {
      java.util.Enumeration<java.net.URL> poms;
      try {
        poms = reader.get() == null ? null : bundle.findEntries("META-INF/maven", "pom.xml", true);
      } catch (IllegalStateException uninstalled) {
        poms = null;
      }
      if (poms == null || !poms.hasMoreElements()) {
        return Deps.NONE;
      }
      try (InputStream in = poms.nextElement().openStream()) {
        return readCopy(in);
      } catch (IOException | RuntimeException e) {
        return Deps.NONE; // no POM to prefer by
      }
    });
  }

  /** Reads a POM that is not a file of its own: from a copy, while it exists. */
  private Deps readCopy(InputStream in) throws IOException {
    Path temp = Files.createTempFile("dockevos-pom-", ".xml");
    try {
      Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      return read(temp);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private Deps read(Path pom) {
    DependencyVersions dv = reader.get();
    if (dv == null) {
      return Deps.NONE;
    }
    try {
      return new Deps(Map.copyOf(dv.declared(pom)), Map.copyOf(dv.runtime(pom)));
    } catch (RuntimeException e) {
      return Deps.NONE;
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
