package io.dockevos.external.internal;

import io.dockevos.common.archive.SafeArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * An external plugin's archive, {@code .zip} or {@code .tar.gz}, unpacked by {@link SafeArchives}
 * (zip slip, links and zip bombs refused; execute bits kept): {@code plugin.yaml} is at the top, or
 * in the archive's one top folder.
 */
final class PluginArchives {
  private PluginArchives() {}

  /**
   * @return whether the file is a {@code .zip} or {@code .tar.gz}: by its name, or by its first bytes
   *     (zip's or gzip's magic), as a download whose name says nothing is
   */
  static boolean isArchive(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!Files.isRegularFile(file)) {
      return false;
    }
    if (name.endsWith(".zip") || name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
      return true;
    }
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(4);
      return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b
          || b.length == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    } catch (IOException e) {
      return false;
    }
  }

  /** @return whether the archive holds a plugin.yaml at its top or in a top folder: an external plugin's, not a bundle plugin's */
  static boolean holdsPluginYaml(Path archive) {
    if (!isArchive(archive)) {
      return false;
    }
    try {
      return SafeArchives.names(archive).stream().anyMatch(name -> name.equals(PluginYaml.FILE)
          || name.matches("[^/]+/" + PluginYaml.FILE));
    } catch (IOException e) {
      return false; // not an archive that can be read: not ours to say why
    }
  }

  /** @return the folder in {@code into} that holds plugin.yaml */
  static Path unpack(Path archive, Path into) throws InvalidPluginException {
    String what = "Cannot install the plugin archive " + archive + ": ";
    try {
      SafeArchives.unpack(archive, into, SafeArchives.Limits.DEFAULT);
      Path root = into.toRealPath();
      if (Files.isRegularFile(root.resolve(PluginYaml.FILE))) {
        return root;
      }
      try (Stream<Path> top = Files.list(root)) {
        java.util.List<Path> dirs = top.toList();
        if (dirs.size() == 1 && Files.isRegularFile(dirs.get(0).resolve(PluginYaml.FILE))) {
          return dirs.get(0);
        }
      }
      throw new InvalidPluginException(what + "it holds no plugin.yaml at its top (or in its one top folder)");
    } catch (IOException e) {
      throw new InvalidPluginException(what + e.getMessage());
    }
  }
}
