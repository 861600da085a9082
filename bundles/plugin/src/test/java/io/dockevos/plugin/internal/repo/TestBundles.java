package io.dockevos.plugin.internal.repo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Bundles for the tests: real ones from the test class path, and tiny ones written here. */
final class TestBundles {
  private TestBundles() {}

  /** @return the jar on the test class path whose file name starts with {@code prefix} */
  static Path real(String prefix) throws IOException {
    for (URL url : Collections.list(TestBundles.class.getClassLoader().getResources("META-INF/MANIFEST.MF"))) {
      String s = url.toString();
      if (s.startsWith("jar:file:")) {
        Path jar = Path.of(java.net.URI.create(s.substring(4, s.indexOf("!/"))));
        if (jar.getFileName().toString().startsWith(prefix)) {
          return jar;
        }
      }
    }
    throw new IllegalStateException("no " + prefix + "* jar on the test class path");
  }

  /** Copies a jar to {@code root/g/r/o/u/p/artifact/version/artifact-version.jar}, with a pom beside it. */
  static Path maven(Path root, String group, String artifact, String version, Path jar) throws IOException {
    Path dir = root.resolve(group.replace('.', '/')).resolve(artifact).resolve(version);
    Files.createDirectories(dir);
    Path target = dir.resolve(artifact + "-" + version + ".jar");
    Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve(artifact + "-" + version + ".pom"), "<project/>");
    return target;
  }

  /**
   * Writes a tiny bundle.
   *
   * @param exports an Export-Package header, or {@code null}
   * @param imports an Import-Package header, or {@code null}
   */
  static Path bundle(Path file, String bsn, String version, String exports, String imports) throws IOException {
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (bsn != null) {
      a.putValue("Bundle-ManifestVersion", "2");
      a.putValue("Bundle-SymbolicName", bsn);
      a.putValue("Bundle-Version", version);
    }
    if (exports != null) {
      a.putValue("Export-Package", exports);
    }
    if (imports != null) {
      a.putValue("Import-Package", imports);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, mf)) {
      jar.putNextEntry(new JarEntry("readme.txt"));
      jar.write(("bundle " + bsn + " " + version).getBytes());
      jar.closeEntry();
    }
    return file;
  }
}
