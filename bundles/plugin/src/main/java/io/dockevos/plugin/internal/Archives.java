package io.dockevos.plugin.internal;

import io.dockevos.plugin.PluginException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Plugin archives: a {@code .zip} or {@code .tar.gz} that holds a plugin's bundle, its dependency
 * bundles and configurations. Unpacking refuses an entry that would land outside the target folder
 * (zip slip), links, and archives past the limits on entries and on unpacked bytes (zip bombs):
 * the bytes are counted as they are written, never taken from the archive's own headers.
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
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        ArchiveInputStream<?> in = open(raw)) {
      Files.createDirectories(into);
      Path root = into.toRealPath();
      int entries = 0;
      long bytes = 0;
      List<Path> bundles = new ArrayList<>();
      List<Path> configurations = new ArrayList<>();
      for (ArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (++entries > limits.maxEntries()) {
          throw new PluginException(what + "it has more than " + limits.maxEntries()
              + " entries, the limit for a plugin archive");
        }
        String name = entry.getName();
        Path target = root.resolve(name).normalize();
        if (name.startsWith("/") || !target.startsWith(root) || target.equals(root) && !entry.isDirectory()) {
          throw new PluginException(what + "its entry '" + name + "' would be written outside the folder it"
              + " unpacks into (a zip slip); the archive is refused");
        }
        if (entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink())) {
          throw new PluginException(what + "its entry '" + name + "' is a link; plugin archives hold files only");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          byte[] buf = new byte[64 * 1024];
          for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            bytes += n;
            if (bytes > limits.maxBytes()) {
              throw new PluginException(what + "it unpacks to more than " + limits.maxBytes() / (1024 * 1024)
                  + " MB, the limit for a plugin archive (a zip bomb?); the archive is refused");
            }
            out.write(buf, 0, n);
          }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jar")) {
          bundles.add(target);
        } else if (lower.endsWith(".cfg")) {
          configurations.add(target);
        }
      }
      if (bundles.isEmpty()) {
        throw new PluginException(what + "it holds no .jar: a plugin archive holds the plugin's bundle, its"
            + " dependency bundles (in lib/) and optional .cfg configurations");
      }
      // The plugin's own bundle first: a jar at the top, before those in folders such as lib/.
      bundles.sort(java.util.Comparator.comparing((Path p) -> root.relativize(p).getNameCount())
          .thenComparing(Path::toString));
      return new Unpacked(root, bundles, configurations);
    } catch (IOException e) {
      throw new PluginException(what + "it cannot be read as a .zip or .tar.gz: " + e.getMessage(), e);
    }
  }

  private static ArchiveInputStream<?> open(InputStream in) throws IOException {
    in.mark(4);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new TarArchiveInputStream(new GzipCompressorInputStream(in));
    }
    return new ZipArchiveInputStream(in);
  }
}
