package io.dockevos.feature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

/** Where a feature's bundle is found: system/ first, then the local Maven repository. */
class BundleFinderTest {
  @TempDir
  Path dir;

  private static final Descriptor.BundleSpec API = new Descriptor.BundleSpec("org.example:api:1.0.0", "org.example",
      "api", "1.0.0", null, null, 0);

  private static Path jar(Path file, String bsn, String version) throws IOException {
    Files.createDirectories(file.getParent());
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (bsn != null) {
      mf.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
      mf.getMainAttributes().putValue("Bundle-SymbolicName", bsn + ";singleton:=true");
      mf.getMainAttributes().putValue("Bundle-Version", version);
    }
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, mf)) {
      jar.flush();
    }
    return file;
  }

  @Test
  void systemComesBeforeTheLocalMavenRepository() throws IOException {
    Path system = dir.resolve("system");
    Path maven = dir.resolve("m2");
    BundleFinder finder = new BundleFinder(system, maven);
    assertEquals(Optional.empty(), finder.find(API));
    assertTrue(finder.places(API).contains(system.resolve("org/example/api/1.0.0/api-1.0.0.jar").toString()));

    Path inMaven = jar(maven.resolve("org/example/api/1.0.0/api-1.0.0.jar"), "org.example.api", "1.0.0");
    assertEquals(Optional.of(inMaven), finder.find(API));
    Path inSystem = jar(system.resolve("org/example/api/1.0.0/api-1.0.0.jar"), "org.example.api", "1.0.0");
    assertEquals(Optional.of(inSystem), finder.find(API));
  }

  @Test
  void aJarIsIdentifiedByItsManifest() throws IOException {
    BundleFinder.Identity id = BundleFinder.identify(jar(dir.resolve("a.jar"), "org.example.api", "1.2.3.qualifier"));
    assertEquals("org.example.api", id.symbolicName());
    assertEquals(new Version(1, 2, 3, "qualifier"), id.version());

    Path plain = jar(dir.resolve("plain.jar"), null, null);
    IOException e = assertThrows(IOException.class, () -> BundleFinder.identify(plain));
    assertTrue(e.getMessage().contains("no Bundle-SymbolicName"), e.getMessage());

    Path notZip = Files.writeString(dir.resolve("text.jar"), "not a zip");
    e = assertThrows(IOException.class, () -> BundleFinder.identify(notZip));
    assertTrue(e.getMessage().contains("not a jar"), e.getMessage());
  }

  @Test
  void aSymbolicNameWithPathCharactersIsRefusedNamingTheJarAndTheHeader() throws IOException {
    Path escaping = jar(dir.resolve("escaping.jar"), "../../victim", "1.0.0");
    IOException e = assertThrows(IOException.class, () -> BundleFinder.identify(escaping));
    assertTrue(e.getMessage().contains(escaping.toString()) && e.getMessage().contains("Bundle-SymbolicName '../../victim'")
        && e.getMessage().contains("not a valid symbolic name"), e.getMessage());
  }

  @Test
  void aMavenIdWhosePartsArePathsFindsNothingOutsideTheRepositories() throws IOException {
    Path system = dir.resolve("system");
    Path maven = dir.resolve("m2");
    // org:..:..: would be system/org/../../..-...jar, beside system/.
    Descriptor.BundleSpec escaping = new Descriptor.BundleSpec("org:..:..", "org", "..", "..", null, null, 0);
    Path outside = system.resolve(escaping.repositoryPath()).normalize();
    assertTrue(!outside.startsWith(system), outside.toString());
    jar(outside, "org.example.outside", "1.0.0");
    assertEquals(Optional.empty(), new BundleFinder(system, maven).find(escaping));
  }
}
