package io.dockevos.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.testkit.internal.PluginArtifacts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime of the test kit with real bundles made here: what it installs, and how it fails. */
class DockevOSRuntimeTest {
  @TempDir
  Path temp;

  private static Manifest manifest(String bsn, String imports) {
    Manifest m = new Manifest();
    Attributes a = m.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Bundle-ManifestVersion", "2");
    a.putValue("Bundle-SymbolicName", bsn);
    a.putValue("Bundle-Version", "1.0.0");
    if (imports != null) {
      a.putValue("Import-Package", imports);
    }
    return m;
  }

  private static void writeManifest(Path classes, Manifest m) throws IOException {
    Files.createDirectories(classes.resolve("META-INF"));
    try (OutputStream out = Files.newOutputStream(classes.resolve("META-INF/MANIFEST.MF"))) {
      m.write(out);
    }
  }

  @Test
  void aClassesDirectoryWithItsManifestIsInstalledActiveAndCommandsRun() throws IOException {
    Path classes = temp.resolve("good/classes");
    writeManifest(classes, manifest("io.dockevos.testkit.test.good", null));
    Files.writeString(classes.resolve("hello.txt"), "hello");
    DockevOSRuntime runtime = DockevOSRuntime.start(classes.toString(), temp, new String[0], Map.of());
    try {
      assertEquals(PluginState.ACTIVE, runtime.plugin().state());
      assertTrue(runtime.run("plugin:list").contains("io.dockevos.testkit.test.good"), "plugin:list shows it");
      assertTrue(runtime.service(PluginManager.class).find("io.dockevos.testkit.test.good").isPresent(),
          "the typed PluginManager is the runtime's");
      var bundle = runtime.dockevos().bundleContext().getBundle(runtime.plugin().id());
      assertTrue(bundle.getEntry("hello.txt") != null, "the classes directory's files are in the bundle");
      assertTrue(!runtime.execute("no-such-command").ok(), "a failing command reports its error");
      AssertionError e = assertThrows(AssertionError.class, () -> runtime.run("no-such-command"));
      assertTrue(e.getMessage().contains("'no-such-command' failed"), e.getMessage());
      assertEquals(PluginState.ACTIVE, runtime.update().state(), "an update from the directory");
    } finally {
      runtime.close();
    }
    assertTrue(!Files.exists(runtime.home()), "the temporary home is deleted");
  }

  @Test
  void aPluginThatDoesNotResolveFailsNamingItAndTheMissingPackage() throws IOException {
    Path classes = temp.resolve("broken/classes");
    writeManifest(classes, manifest("io.dockevos.testkit.test.broken", "io.dockevos.testkit.test.missing;version=\"[1,2)\""));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> DockevOSRuntime.start(classes.toString(), temp, new String[0], Map.of()));
    assertTrue(e.getMessage().contains("io.dockevos.testkit.test.broken"), e.getMessage());
    assertTrue(e.getMessage().contains("io.dockevos.testkit.test.missing"), e.getMessage());
    assertTrue(e.getMessage().startsWith("The plugin under test, io.dockevos.testkit.test.broken (" + classes + ")"),
        "the message names the classes directory, not the jar packed from it: " + e.getMessage());
    assertEquals(1, e.getMessage().split("io.dockevos.testkit.test.missing", -1).length - 1,
        "the missing package is named once: " + e.getMessage());
  }

  @Test
  void aJarOlderThanTheClassesIsNotTested() throws IOException {
    Path target = Files.createDirectories(temp.resolve("project/target"));
    Path jar = target.resolve("old-1.0.jar");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar), manifest("io.dockevos.testkit.test.old", null))) {
      j.flush();
    }
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
    Path classes = Files.createDirectories(target.resolve("classes/x"));
    Files.writeString(classes.resolve("New.class"), "newer than the jar");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PluginArtifacts.find("", temp.resolve("project"), temp.resolve("scratch")));
    assertTrue(e.getMessage().contains("older than") && e.getMessage().contains("*IT"), e.getMessage());

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    assertEquals(jar, PluginArtifacts.find("", temp.resolve("project"), temp.resolve("scratch")), "an up-to-date jar is taken");
  }

  @Test
  void noBundleAtAllIsNamed() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PluginArtifacts.find("", temp, temp.resolve("scratch")));
    assertTrue(e.getMessage().contains("there is no bundle jar in " + temp.resolve("target")), e.getMessage());
  }
}
