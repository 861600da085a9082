package io.dockevos.external.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * An external plugin's archive, {@code .zip} or {@code .tar.gz}: unpacked with an entry that would
 * land outside the folder (zip slip) or a link refused, and limits on entries and bytes (a zip
 * bomb), counted as written. Unix permissions of the entries are kept, so that a script stays
 * executable. {@code plugin.yaml} is at the top, or in the archive's one top folder.
 */
final class PluginArchives {
  static final int MAX_ENTRIES = 10_000;
  static final long MAX_BYTES = 256L * 1024 * 1024;

  private PluginArchives() {}

  static boolean isArchive(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(file) && (name.endsWith(".zip") || name.endsWith(".tar.gz") || name.endsWith(".tgz"));
  }

  /** @return whether the archive holds a plugin.yaml at its top or in a top folder: an external plugin's, not a bundle plugin's */
  static boolean holdsPluginYaml(Path archive) {
    if (!isArchive(archive)) {
      return false;
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive)); ArchiveInputStream<?> in = open(raw)) {
      for (ArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        String name = e.getName().replaceFirst("^\\./", "");
        if (name.equals(PluginYaml.FILE) || name.matches("[^/]+/" + PluginYaml.FILE)) {
          return true;
        }
      }
    } catch (IOException e) {
      return false; // not an archive that can be read: not ours to say why
    }
    return false;
  }

  /** @return the folder in {@code into} that holds plugin.yaml */
  static Path unpack(Path archive, Path into) throws InvalidPluginException {
    String what = "Cannot install the plugin archive " + archive + ": ";
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive)); ArchiveInputStream<?> in = open(raw)) {
      Files.createDirectories(into);
      Path root = into.toRealPath();
      int entries = 0;
      long bytes = 0;
      for (ArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (++entries > MAX_ENTRIES) {
          throw new InvalidPluginException(what + "it has more than " + MAX_ENTRIES + " entries");
        }
        String name = entry.getName();
        Path target = root.resolve(name).normalize();
        if (name.startsWith("/") || !target.startsWith(root) || target.equals(root) && !entry.isDirectory()) {
          throw new InvalidPluginException(what + "its entry '" + name + "' would be written outside the folder it"
              + " unpacks into (a zip slip); the archive is refused");
        }
        if (entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink())
            || entry instanceof ZipArchiveEntry zip && zip.isUnixSymlink()) {
          throw new InvalidPluginException(what + "its entry '" + name + "' is a link; plugin archives hold files only");
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
            if (bytes > MAX_BYTES) {
              throw new InvalidPluginException(what + "it unpacks to more than " + MAX_BYTES / (1024 * 1024)
                  + " MB (a zip bomb?); the archive is refused");
            }
            out.write(buf, 0, n);
          }
        }
        int mode = entry instanceof TarArchiveEntry tar ? tar.getMode()
            : entry instanceof ZipArchiveEntry zip ? zip.getUnixMode() : 0;
        if ((mode & 0100) != 0) {
          target.toFile().setExecutable(true, true);
        }
      }
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
      throw new InvalidPluginException(what + "it cannot be read as a .zip or .tar.gz: " + e.getMessage());
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
