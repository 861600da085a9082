package io.dockevos.plugin.internal;

import io.dockevos.common.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies of installed plugins' jars in {@code data/plugins/store}, named by bundle ID, that a
 * later update's rollback goes back to. A copy goes with its bundle.
 */
final class StoreCopies {
  private static final Logger LOG = LoggerFactory.getLogger(StoreCopies.class);
  /** The name of a bundle's copy: its bundle ID. */
  private static final Pattern COPY = Pattern.compile("(\\d{1,18})\\.jar");

  private final Path dir;

  StoreCopies(Path dir) {
    this.dir = dir;
  }

  /** @return where the bundle's copy is kept */
  Path file(Bundle bundle) {
    return dir.resolve(bundle.getBundleId() + ".jar");
  }

  /** Keeps a copy of the bundle's jar for a later update's rollback. */
  void keep(Bundle bundle, Path jar) {
    try {
      AtomicFiles.copy(jar, file(bundle));
    } catch (IOException e) {
      LOG.warn("Cannot keep a copy of {} for a rollback: {}", bundle, e.toString());
    }
  }

  /**
   * Deletes the copy of a bundle that was uninstalled: an uninstall, or a deploy file whose bundle
   * failed and was then deleted, leaves nothing here. A plan that may still put the bundle back
   * keeps its own copy in {@code data/plugins/txn}.
   */
  void forget(Bundle bundle) {
    try {
      Files.deleteIfExists(file(bundle));
    } catch (IOException e) {
      LOG.warn("Cannot delete the copy {} of the uninstalled {}: {}", file(bundle), bundle, e.toString());
    }
  }

  /** Deletes the copies of bundles that are gone (kept by a version that did not delete them). */
  void forgetAllBut(LongPredicate installed) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Matcher m = COPY.matcher(f.getFileName().toString());
        if (m.matches() && !installed.test(Long.parseLong(m.group(1)))) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete the copies of uninstalled bundles in {}: {}", dir, e.toString());
    }
  }
}
