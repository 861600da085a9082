package io.dockevos.common.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files that a kill at any moment leaves either as they were or as they were meant to be. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes a file whole into a temporary sibling, syncs it, and renames it into place.
   *
   * <p>An interrupt does not stop it: a client that leaves in the middle of a command interrupts the
   * thread that runs it, and the registry or journal write of a change the runtime has made must
   * still happen. So the bytes go through a {@link FileOutputStream}, not an interruptible {@code
   * FileChannel} (which an interrupt closes with {@code ClosedByInterruptException}), and the
   * thread's interrupt is left as it was, for the caller to see.
   */
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
    if (ownerOnly && posix(target.getParent())) {
      write(target, bytes, PosixFilePermissions.fromString("rw-------"));
      return;
    }
    try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
      out.write(bytes);
      out.getFD().sync();
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
    if (posix) {
      Files.createFile(temp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(permissions));
    }
    // As in write(Path, byte[]): no interruptible channel.
    try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
      out.write(bytes);
      out.getFD().sync();
    }
    if (posix) {
      Files.setPosixFilePermissions(temp, permissions); // the umask may have taken some away
    }
    move(temp, target);
  }

  /**
   * Copies a file into a temporary sibling of {@code target} and renames it into place: a kill at
   * any moment leaves the old copy or the new one, never a part of one. Unlike {@link #write}, it
   * syncs neither the bytes nor the rename: it is for a copy of what another store keeps (a
   * plugin's jar, which the framework's cache holds, unsynced too), where syncing each of a plan's
   * 200 copies cost 0.4 s.
   */
  public static void copy(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
    try {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Renames {@code temp} over {@code target} atomically, then syncs their folder, so that the
   * rename itself outlives a power cut or a kill of the machine, not only the file's bytes.
   */
  public static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncFolder(target.toAbsolutePath().getParent());
  }

  /**
   * Syncs a folder's entries (names made, renamed or removed in it) to the disk. An interrupt does
   * not stop it (a {@link FileChannel} would close on one): the interrupt is set aside for the sync
   * and put back after it. A file system that cannot sync a folder (not every one can open a
   * folder for reading) is left as it is: the rename was still atomic.
   */
  public static void syncFolder(Path dir) {
    boolean interrupted = Thread.interrupted();
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // as documented: the folder cannot be synced here
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
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
