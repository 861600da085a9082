package io.dockevos.common.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a path that is not a regular file is, in words, for a message that names it. */
public final class FileKinds {
  private FileKinds() {}

  /** @return what a file that is not a regular file is, in words: a directory, a character device, ... */
  public static String kind(Path file) {
    if (Files.isDirectory(file)) {
      return "a directory";
    }
    try {
      int mode = (Integer) Files.getAttribute(file, "unix:mode");
      switch (mode & 0170000) {
        case 0020000: return "a character device";
        case 0060000: return "a block device";
        case 0010000: return "a named pipe";
        case 0140000: return "a socket";
        default: break;
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      // not a Unix file system: say less
    }
    return "something else (a device, a pipe or a socket)";
  }
}
