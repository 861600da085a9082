package io.dockevos.core.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Whether a file in {@code deploy/} is a complete OSGi bundle, before it is planned. */
final class JarCheck {
  private JarCheck() {}

  /** Why a jar cannot be a bundle; {@code definite} when waiting will not change it. */
  record Verdict(String reason, boolean definite) {}

  /**
   * @param maxManifest the largest manifest read, in bytes: a larger one is refused unread (whatever
   *     its entry claims, no more than this is read)
   */
  static Verdict check(Path file, long maxManifest) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry entry = zip.getEntry("META-INF/MANIFEST.MF");
      if (entry == null) {
        return new Verdict("is a zip file without META-INF/MANIFEST.MF, so it is not an OSGi bundle", true);
      }
      if (entry.getSize() > maxManifest) {
        return tooLarge(entry.getSize(), maxManifest);
      }
      Manifest manifest;
      try (var in = zip.getInputStream(entry)) {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxManifest + 1));
        if (bytes.length > maxManifest) {
          return tooLarge(-1, maxManifest);
        }
        manifest = new Manifest(new ByteArrayInputStream(bytes));
      } catch (IOException e) {
        return new Verdict("has a manifest that cannot be read: " + e.getMessage(), true);
      }
      String bsn = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
      if (bsn == null) {
        return new Verdict("is a jar but not an OSGi bundle: its manifest has no Bundle-SymbolicName", true);
      }
      // Paths are built from symbolic names: one such as ../../x could reach outside data/.
      String problem = io.dockevos.common.internal.SymbolicNames.problem(
          io.dockevos.common.internal.SymbolicNames.of(bsn));
      if (problem != null) {
        return new Verdict("is refused: its manifest's " + problem, true);
      }
      return null;
    } catch (ZipException e) {
      return broken(file, e);
    } catch (IOException e) {
      return new Verdict("cannot be read: " + e, false);
    }
  }

  /** The zip signatures a jar can begin with: a local file header, or the end record of an empty zip. */
  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int END_RECORD = 0x06054b50;
  private static final int END_RECORD_SIZE = 22;

  /**
   * A file that does not open as a zip may be one still being written, or one that never will be.
   * Writers write a zip from its beginning to its end record: a file whose first bytes are not a
   * zip's cannot become one by more writing, and one whose end record is there is whole, and
   * broken. Either is reported at once; anything else gets the time a slow copy needs.
   */
  private static Verdict broken(Path file, ZipException e) {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      long size = ch.size();
      if (size >= 4) {
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        ch.read(head, 0);
        int magic = head.getInt(0);
        if (magic != LOCAL_HEADER && magic != END_RECORD) {
          return new Verdict("is not a valid jar (zip) file: it does not begin as a zip file does", true);
        }
      }
      if (size >= END_RECORD_SIZE && endsWithEndRecord(ch, size)) {
        return new Verdict("is not a valid jar (zip) file: " + e.getMessage(), true);
      }
    } catch (IOException ignored) {
      // read again at the next look
    }
    return new Verdict("is not a valid jar (zip) file: " + e.getMessage(), false);
  }

  /** @return whether the file ends with a zip's end record (and its comment, at most 64 KiB) */
  private static boolean endsWithEndRecord(java.nio.channels.FileChannel ch, long size) throws IOException {
    int tail = (int) Math.min(size, END_RECORD_SIZE + 0xFFFF);
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(tail).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    ch.read(buf, size - tail);
    for (int at = tail - END_RECORD_SIZE; at >= 0; at--) {
      if (buf.getInt(at) == END_RECORD && at + END_RECORD_SIZE + (buf.getShort(at + 20) & 0xFFFF) == tail) {
        return true;
      }
    }
    return false;
  }

  private static Verdict tooLarge(long size, long max) {
    return new Verdict("has a manifest (META-INF/MANIFEST.MF) of " + (size >= 0 ? size + " bytes" : "more than " + max
        + " bytes") + ", over the limit of " + max + " bytes (maxManifestBytes of the configuration dockevos.deploy):"
        + " it is not read, and the jar is not installed", true);
  }
}
