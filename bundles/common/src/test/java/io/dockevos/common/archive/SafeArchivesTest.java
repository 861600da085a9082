package io.dockevos.common.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names of an archive's entries, whatever its file is called: what tells an external plugin's archive from a jar. */
class SafeArchivesTest {
  @TempDir
  Path dir;

  @Test
  void aZipsNamesComeFromItsCentralDirectoryWhateverItIsCalled() throws IOException {
    Path zip = dir.resolve("download.jar"); // a download's name says nothing
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (String name : List.of("hello/", "hello/plugin.yaml", "./hello/server.py")) {
        out.putNextEntry(new ZipEntry(name));
        out.write(name.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    assertEquals(List.of("hello/", "hello/plugin.yaml", "hello/server.py"), SafeArchives.names(zip));
  }

  @Test
  void aTarGzsNamesAreReadThrough() throws IOException {
    Path tgz = dir.resolve("plugin.tar.gz");
    try (OutputStream file = Files.newOutputStream(tgz);
        TarArchiveOutputStream out = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
      for (String name : List.of("./plugin.yaml", "server.py")) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(1);
        out.putArchiveEntry(e);
        out.write('x');
        out.closeArchiveEntry();
      }
    }
    assertEquals(List.of("plugin.yaml", "server.py"), SafeArchives.names(tgz));
  }

  @Test
  void aFileThatIsNeitherCannotBeRead() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.zip"), "not an archive");
    assertThrows(IOException.class, () -> SafeArchives.names(text));
  }
}
