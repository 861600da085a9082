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

  /** Felix's name of a revision's folder in a bundle's cache folder: {@code version<refresh>.<revision>}. */
  private static final Pattern REVISION = Pattern.compile("version(\\d{1,9})\\.(\\d{1,9})");

  private final Path dir;
  /** The framework's cache ({@code org.osgi.framework.storage}), or {@code null} when it is not known. */
  private final Path cache;

  StoreCopies(Path dir, Path cache) {
    this.dir = dir;
    this.cache = cache;
  }

  /** @return where the bundle's copy is kept */
  Path file(Bundle bundle) {
    return dir.resolve(bundle.getBundleId() + ".jar");
  }

  /**
   * Keeps a copy of the bundle's jar for a later update's rollback: a second name (a hard link) of
   * the framework's own copy in its cache when there is one of the same size, which copies nothing;
   * else a copy. Felix never writes a revision's jar again once it made it (an update makes a new
   * revision), and the link outlives the framework's deleting it at an uninstall or update.
   */
  void keep(Bundle bundle, Path jar) {
    Path target = file(bundle);
    try {
      Path own = frameworkCopy(bundle);
      if (own != null && Files.size(own) == Files.size(jar)) {
        Files.createDirectories(dir);
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
          Files.createLink(temp, own);
          Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          return;
        } catch (IOException | UnsupportedOperationException e) {
          Files.deleteIfExists(temp); // no links on this file system: copied below
        }
      }
      AtomicFiles.copy(jar, target);
    } catch (IOException e) {
      LOG.warn("Cannot keep a copy of {} for a rollback: {}", bundle, e.toString());
    }
  }

  /**
   * @return the jar of the bundle's newest revision in the framework's cache (Felix's layout:
   *     {@code bundle<ID>/version<refresh>.<revision>/bundle.jar}), or {@code null} when there is none
   *     (a {@code reference:} location, another framework)
   */
  private Path frameworkCopy(Bundle bundle) throws IOException {
    Path folder = cache == null ? null : cache.resolve("bundle" + bundle.getBundleId());
    if (folder == null || !Files.isDirectory(folder)) {
      return null;
    }
    Path newest = null;
    long best = -1;
    try (Stream<Path> revisions = Files.list(folder)) {
      for (Path p : revisions.toList()) {
        Matcher m = REVISION.matcher(p.getFileName().toString());
        if (m.matches()) {
          long order = Long.parseLong(m.group(1)) << 32 | Long.parseLong(m.group(2));
          if (order > best) {
            best = order;
            newest = p;
          }
        }
      }
    }
    Path jar = newest == null ? null : newest.resolve("bundle.jar");
    return jar != null && Files.isRegularFile(jar, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? jar : null;
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
