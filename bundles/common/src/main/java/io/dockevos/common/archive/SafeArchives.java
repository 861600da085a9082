package io.dockevos.common.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a plugin's {@code .zip} or {@code .tar.gz} (told apart by gzip's magic) the one safe way,
 * for bundle plugins' archives and external plugins' alike: an entry that would land outside the
 * folder (zip slip) or a link is refused, and so is an archive past the limits on entries and on
 * unpacked bytes (a zip bomb), the bytes counted as they are written, never taken from the archive's
 * headers. An entry's Unix execute bit is kept. A package of its own, so that only the bundles that
 * unpack archives embed it (and Commons Compress).
 */
public final class SafeArchives {
  /** The limits an archive must stay within. */
  public record Limits(int maxEntries, long maxBytes) {
    /** 10,000 entries, 256 MB unpacked. */
    public static final Limits DEFAULT = new Limits(10_000, 256L * 1024 * 1024);
  }

  /** Why an archive is refused: the message says what is wrong with it, after "Cannot install ...: ". */
  public static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private SafeArchives() {}

  /**
   * @param into the folder to unpack into (made if missing)
   * @return the files written, in the archive's order
   * @throws RefusedException naming the entry and what is wrong, or why the archive cannot be read
   */
  public static List<Path> unpack(Path archive, Path into, Limits limits) throws RefusedException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive)); ArchiveInputStream<?> in = open(raw)) {
      Files.createDirectories(into);
      Path root = into.toRealPath();
      int entries = 0;
      long bytes = 0;
      List<Path> files = new ArrayList<>();
      for (ArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (++entries > limits.maxEntries()) {
          throw new RefusedException("it has more than " + limits.maxEntries() + " entries, the limit for a plugin archive",
              null);
        }
        String name = entry.getName();
        Path target = root.resolve(name).normalize();
        if (name.startsWith("/") || !target.startsWith(root) || target.equals(root) && !entry.isDirectory()) {
          throw new RefusedException("its entry '" + name + "' would be written outside the folder it unpacks into (a"
              + " zip slip); the archive is refused", null);
        }
        if (entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink())
            || entry instanceof ZipArchiveEntry zip && zip.isUnixSymlink()) {
          throw new RefusedException("its entry '" + name + "' is a link; plugin archives hold files only", null);
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
              throw new RefusedException("it unpacks to more than " + limits.maxBytes() / (1024 * 1024) + " MB, the limit"
                  + " for a plugin archive (a zip bomb?); the archive is refused", null);
            }
            out.write(buf, 0, n);
          }
        }
        int mode = entry instanceof TarArchiveEntry tar ? tar.getMode()
            : entry instanceof ZipArchiveEntry zip ? zip.getUnixMode() : 0;
        if ((mode & 0100) != 0) {
          target.toFile().setExecutable(true, true);
        }
        files.add(target);
      }
      return files;
    } catch (RefusedException e) {
      throw e;
    } catch (IOException e) {
      throw new RefusedException("it cannot be read as a .zip or .tar.gz: " + e.getMessage(), e);
    }
  }

  /**
   * @return the names of its entries, without a leading {@code ./}: of a zip (or jar) from its central
   *     directory, without reading what it holds; of a {@code .tar.gz} by reading it through
   * @throws IOException when it cannot be read
   */
  public static List<String> names(Path archive) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      if (!gzip) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(archive.toFile())) {
          zip.stream().forEach(e -> names.add(e.getName().replaceFirst("^\\./", "")));
        }
        return names;
      }
      try (ArchiveInputStream<?> in = open(raw)) {
        for (ArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          names.add(e.getName().replaceFirst("^\\./", ""));
        }
      }
    }
    return names;
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
