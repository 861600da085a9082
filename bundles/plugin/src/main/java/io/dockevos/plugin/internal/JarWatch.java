package io.dockevos.plugin.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.ZipFile;

/**
 * One jar file that a build writes, seen at each poll: it tells when a new version is there, whole.
 * A build writes a jar in steps (entries, then the central directory at its end), so the file is
 * taken once it is a complete zip with a manifest and it did not change while that was checked; a
 * file that is no complete zip and stays so for {@link #QUIET_MILLIS} is reported once as broken,
 * and again only after it changes.
 */
final class JarWatch {
  /** How long a file that is no complete jar must stay unchanged before it is reported as broken. */
  static final long QUIET_MILLIS = 1500;

  /** What a poll sees of the file: it changed when any of these did. */
  record Stamp(long size, long modifiedMillis, Object key) {
    static Stamp of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.isRegularFile() ? new Stamp(a.size(), a.lastModifiedTime().toMillis(), a.fileKey()) : null;
      } catch (IOException gone) {
        return null;
      }
    }
  }

  /** What a poll found. */
  sealed interface Seen permits Nothing, Ready, Broken {}

  /** Nothing to do: unchanged, gone (a clean build), or still being written. */
  record Nothing() implements Seen {}

  /** A new, complete jar, saved at {@code savedMillis}. */
  record Ready(long savedMillis) implements Seen {}

  /** A file that stopped changing and is no complete jar. */
  record Broken(String cause) implements Seen {}

  private static final Nothing NOTHING = new Nothing();
  private final Path file;
  private Stamp handled;
  private Stamp waiting;
  private long waitingSince;

  /** @param file the jar; what it holds now counts as seen */
  JarWatch(Path file) {
    this(file, false);
  }

  /** @param pending whether what the jar holds now is new too: the first poll takes it */
  JarWatch(Path file, boolean pending) {
    this.file = file;
    this.handled = pending ? null : Stamp.of(file);
  }

  Path file() {
    return file;
  }

  /** @return what changed since the last poll; a {@link Ready} or {@link Broken} is returned once per change */
  Seen poll(long nowMillis) {
    Stamp now = Stamp.of(file);
    if (now == null || now.equals(handled)) {
      waiting = null;
      return NOTHING;
    }
    String problem = problem(file);
    if (problem == null && now.equals(Stamp.of(file))) {
      handled = now;
      waiting = null;
      return new Ready(now.modifiedMillis());
    }
    if (!now.equals(waiting)) {
      waiting = now;
      waitingSince = nowMillis;
      return NOTHING;
    }
    if (problem != null && nowMillis - waitingSince >= QUIET_MILLIS) {
      handled = now;
      waiting = null;
      return new Broken(problem);
    }
    return NOTHING;
  }

  /** @return why the file is no complete jar, or null when it is one: a zip whose every entry is listed, with a manifest */
  static String problem(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.getEntry("META-INF/MANIFEST.MF") == null) {
        return "it is a zip without META-INF/MANIFEST.MF, not a plugin jar";
      }
      return null;
    } catch (IOException e) {
      return "it is not a complete jar (zip): " + e.getMessage();
    }
  }
}
