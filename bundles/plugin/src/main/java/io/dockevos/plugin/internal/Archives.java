package io.dockevos.plugin.internal;

import io.dockevos.plugin.PluginException;
import io.dockevos.common.archive.SafeArchives;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plugin archives: a {@code .zip} or {@code .tar.gz} that holds a plugin's bundle, its dependency
 * bundles and configurations, unpacked by {@link SafeArchives} (zip slip, links and zip bombs
 * refused).
 */
final class Archives {
  /** The limits an archive must stay within. */
  record Limits(int maxEntries, long maxBytes) {
    static final Limits DEFAULT = new Limits(10_000, 256L * 1024 * 1024);
  }

  /** What an archive held: its bundles (the plugin's own first) and its configuration files. */
  record Unpacked(Path dir, List<Path> bundles, List<Path> configurations) {}

  private Archives() {}

  /** @return whether the file is a plugin archive rather than a jar: by its name, or gzip's magic */
  static boolean isArchive(Path file, String source) {
    // A URL's #sha256=HEX is not part of its name.
    String name = source.replaceFirst("#sha256=[0-9a-fA-F]*$", "").toLowerCase(Locale.ROOT);
    if (name.endsWith(".zip") || name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
      return true;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    } catch (IOException e) {
      return false;
    }
  }

  static Unpacked unpack(Path archive, String source, Path into, Limits limits) throws PluginException {
    String what = "Cannot install the plugin archive " + source + ": ";
    List<Path> files;
    Path root;
    try {
      files = SafeArchives.unpack(archive, into, new SafeArchives.Limits(limits.maxEntries(), limits.maxBytes()));
      root = into.toRealPath();
    } catch (IOException e) {
      throw new PluginException(what + e.getMessage(), e);
    }
    List<Path> bundles = new ArrayList<>();
    List<Path> configurations = new ArrayList<>();
    for (Path f : files) {
      String lower = f.getFileName().toString().toLowerCase(Locale.ROOT);
      if (lower.endsWith(".jar")) {
        bundles.add(f);
      } else if (lower.endsWith(".cfg")) {
        configurations.add(f);
      }
    }
    if (bundles.isEmpty()) {
      throw new PluginException(what + "it holds no .jar and no plugin.yaml: a plugin archive holds the plugin's"
          + " bundle, its dependency bundles (in lib/) and optional .cfg configurations; an external plugin's holds"
          + " its plugin.yaml at its top (with the feature dockevos-external)");
    }
    // The plugin's own bundle first: a jar at the top, before those in folders such as lib/.
    bundles.sort(java.util.Comparator.comparing((Path p) -> root.relativize(p).getNameCount())
        .thenComparing(Path::toString));
    return new Unpacked(root, bundles, configurations);
  }
}
