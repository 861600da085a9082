package io.dockevos.plugin.internal.repo;

import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.resource.Resource;

/** The resource the index builds for a jar, for tests that write indexes of their own. */
final class FolderRepositoryAccess {
  private FolderRepositoryAccess() {}

  static Resource read(Path jar) throws Exception {
    return new FolderRepository("test", null, null).read(jar, Files.size(jar));
  }
}
