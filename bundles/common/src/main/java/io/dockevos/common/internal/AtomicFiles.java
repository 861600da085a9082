package io.dockevos.common.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files that a kill at any moment leaves either as they were or as they were meant to be. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes a file whole into a temporary sibling, syncs it, and renames it into place. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, bytes, false);
  }

  /**
   * As {@link #write(Path, byte[])}; with {@code ownerOnly} the file (mode 0600) and a folder it
   * creates (0700) can be read by their owner only, from the first byte on, where the file system
   * has POSIX permissions.
   */
  public static void write(Path target, byte[] bytes, boolean ownerOnly) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (ownerOnly && !Files.isDirectory(dir) && posix(dir.getParent())) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // made meanwhile: as it is
      }
    }
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    boolean restrict = ownerOnly && posix(target.getParent());
    FileAttribute<?>[] attrs = restrict
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        attrs)) {
      out.write(ByteBuffer.wrap(bytes));
      out.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** @return whether the folder's file system has POSIX permissions */
  public static boolean posix(Path dir) {
    Path d = dir == null ? null : dir.toAbsolutePath();
    while (d != null && !Files.exists(d)) {
      d = d.getParent();
    }
    return d != null && d.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
