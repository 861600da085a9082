package io.dockevos.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.osgi.framework.Bundle;

/** Whether a file in {@code deploy/} is a complete OSGi bundle, before it is planned. */
final class JarCheck {
  private JarCheck() {}

  /** Why a jar cannot be a bundle; {@code definite} when waiting will not change it. */
  record Verdict(String reason, boolean definite) {}

  static Verdict check(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry entry = zip.getEntry("META-INF/MANIFEST.MF");
      if (entry == null) {
        return new Verdict("is a zip file without META-INF/MANIFEST.MF, so it is not an OSGi bundle", true);
      }
      Manifest manifest;
      try (var in = zip.getInputStream(entry)) {
        manifest = new Manifest(in);
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
}
