package io.dockevos.common.internal;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Paths built from names that come from outside (a bundle's symbolic name, an archive's entry): they stay where they belong. */
public final class SafePaths {
  private SafePaths() {}

  /**
   * @return {@code parent/name}, normalized, when {@code name} is one plain file name: not empty, no
   *     separator, not {@code .} or {@code ..}, and the result lies directly in {@code parent}
   * @throws IOException naming the name and the parent otherwise
   */
  public static Path child(Path parent, String name) throws IOException {
    Path base = parent.toAbsolutePath().normalize();
    Path child;
    try {
      child = name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
          || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0 ? null : base.resolve(name).normalize();
    } catch (InvalidPathException e) {
      child = null;
    }
    if (child == null || !base.equals(child.getParent())) {
      throw new IOException("'" + name + "' cannot name a file in " + base + ": it is not a plain file name");
    }
    return child;
  }
}
