package io.dockevos.common.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Files that a kill at any moment leaves either as they were or as they were meant to be. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes a file whole into a temporary sibling, syncs it, and renames it into place. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.wrap(bytes));
      out.force(true);
    }
    move(temp, target);
  }

  /**
   * As {@link #write(Path, byte[])}, the file having only these permissions from its creation on
   * (where the file system has POSIX permissions), such as owner read and write ({@code 0600}).
   */
  public static void write(Path target, byte[] bytes, java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions)
      throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(temp); // a leftover would keep its own permissions
    boolean posix = Files.getFileStore(target.getParent()).supportsFileAttributeView("posix");
    java.util.Set<StandardOpenOption> options = java.util.EnumSet.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    try (FileChannel out = posix ? FileChannel.open(temp, options,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(permissions)) : FileChannel.open(temp, options)) {
      out.write(ByteBuffer.wrap(bytes));
      out.force(true);
    }
    if (posix) {
      Files.setPosixFilePermissions(temp, permissions); // the umask may have taken some away
    }
    move(temp, target);
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
