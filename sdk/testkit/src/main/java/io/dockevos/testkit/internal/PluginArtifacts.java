package io.dockevos.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Finds the plugin under test in a Maven project's {@code target/}: its bundle jar when that is up to
 * date, else {@code target/classes} with the manifest that bnd-maven-plugin's {@code bnd-process}
 * wrote, packed into a jar (the plugin manager installs jars). Fails with what it found and what to
 * do, never with a stale jar.
 */
public final class PluginArtifacts {
  private static final String MANIFEST = "META-INF/MANIFEST.MF";
  /** The classes directory of each jar that {@link #pack} made. */
  private static final java.util.Map<Path, Path> PACKED = new java.util.concurrent.ConcurrentHashMap<>();

  private PluginArtifacts() {}

  /**
   * @param named what the test names ({@code DockevOSTest.plugin()} or the system property), or
   *     empty for the project's own
   * @param project the project directory, the parent of {@code target/}
   * @param scratch where a packed jar may be written
   * @return the jar to install
   * @throws IllegalStateException naming what is missing and what to do
   */
  public static Path find(String named, Path project, Path scratch) {
    if (!named.isBlank()) {
      Path p = project.resolve(named).normalize();
      if (Files.isRegularFile(p)) {
        requireBundle(p, bundleName(p), "");
        return p;
      }
      if (Files.isDirectory(p)) {
        return pack(p, scratch);
      }
      throw new IllegalStateException("The plugin under test, " + p + ", does not exist: name a bundle jar or a"
          + " classes directory with " + MANIFEST);
    }
    Path target = project.resolve("target");
    Path classes = target.resolve("classes");
    Path jar = newestBundleJar(target);
    FileTime classesTime = newest(classes);
    if (jar != null && (classesTime == null || !time(jar).toInstant().isBefore(classesTime.toInstant()))) {
      return jar;
    }
    if (Files.isRegularFile(classes.resolve(MANIFEST)) && hasBundleName(classes.resolve(MANIFEST))) {
      return pack(classes, scratch);
    }
    String found = jar == null ? "there is no bundle jar in " + target
        : "the bundle jar " + jar + " is older than " + classes + " (a stale build)";
    throw new IllegalStateException("No plugin to test in " + project.toAbsolutePath() + ": " + found + ", and "
        + classes + " has no OSGi manifest (" + MANIFEST + " with a Bundle-SymbolicName). bnd-maven-plugin's jar goal"
        + " writes the manifest into the jar at package: run the in-framework tests after package (a test class"
        + " named *IT, run by maven-failsafe-plugin, 'mvn verify'), or add the goal bnd-process, which writes it"
        + " into target/classes.");
  }

  /** @return the bundle's symbolic name, without its directives */
  public static String bundleName(Path jar) {
    try (JarFile j = new JarFile(jar.toFile())) {
      Manifest m = j.getManifest();
      String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
      return bsn == null ? null : bsn.split(";")[0].trim();
    } catch (IOException e) {
      throw new IllegalStateException("The plugin under test, " + jar + ", is not a jar: " + e.getMessage(), e);
    }
  }

  private static void requireBundle(Path jar, String bsn, String hint) {
    if (bsn == null) {
      throw new IllegalStateException("The plugin under test, " + jar + ", is not a bundle: its manifest has no"
          + " Bundle-SymbolicName" + hint);
    }
  }

  private static Path newestBundleJar(Path target) {
    if (!Files.isDirectory(target)) {
      return null;
    }
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
          .filter(p -> {
            try {
              return bundleName(p) != null;
            } catch (IllegalStateException e) {
              return false;
            }
          })
          .max(Comparator.comparing(PluginArtifacts::time)).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + target, e);
    }
  }

  private static boolean hasBundleName(Path manifest) {
    try (InputStream in = Files.newInputStream(manifest)) {
      return new Manifest(in).getMainAttributes().getValue("Bundle-SymbolicName") != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static FileTime time(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the newest modification time of a regular file under {@code dir}, or {@code null} */
  private static FileTime newest(Path dir) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(PluginArtifacts::time).max(Comparator.naturalOrder()).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + dir, e);
    }
  }

  /** Packs a classes directory, its manifest first, into a jar in {@code scratch}. */
  public static Path pack(Path classes, Path scratch) {
    Path manifestFile = classes.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile) || !hasBundleName(manifestFile)) {
      throw new IllegalStateException("The plugin under test, " + classes + ", has no OSGi manifest: " + manifestFile
          + " with a Bundle-SymbolicName (bnd-maven-plugin's goal bnd-process writes it)");
    }
    try {
      Files.createDirectories(scratch);
      Path jar = Files.createTempFile(scratch, "plugin-under-test-", ".jar");
      Manifest manifest;
      try (InputStream in = Files.newInputStream(manifestFile)) {
        manifest = new Manifest(in);
      }
      List<Path> files = new ArrayList<>();
      Files.walkFileTree(classes, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (!file.equals(manifestFile)) {
            files.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
      files.sort(Comparator.naturalOrder());
      try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
        for (Path f : files) {
          j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, j);
          j.closeEntry();
        }
      }
      PACKED.put(jar, classes);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot pack " + classes + " into a jar: " + e.getMessage(), e);
    }
  }

  /** @return where a jar came from, for messages: the classes directory it was packed from, or itself */
  public static Path origin(Path jar) {
    Path from = PACKED.get(jar);
    return from == null ? jar : from;
  }

  /** Deletes a directory tree, as far as it can. */
  public static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // a leftover in the temporary directory
        }
      });
    } catch (IOException ignored) {
      // a leftover in the temporary directory
    }
  }
}
