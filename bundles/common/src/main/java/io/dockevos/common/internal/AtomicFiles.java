package io.dockevos.common.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
      out.write(bytes);
      out.getFD().sync();
    }
    try {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
