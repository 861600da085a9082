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
      return new Verdict("is not a valid jar (zip) file: " + e.getMessage(), false);
    } catch (IOException e) {
      return new Verdict("cannot be read: " + e, false);
    }
  }

  private static Verdict tooLarge(long size, long max) {
    return new Verdict("has a manifest (META-INF/MANIFEST.MF) of " + (size >= 0 ? size + " bytes" : "more than " + max
        + " bytes") + ", over the limit of " + max + " bytes (maxManifestBytes of the configuration dockevos.deploy):"
        + " it is not read, and the jar is not installed", true);
  }
}
