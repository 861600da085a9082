package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writesAndReplacesAFileWhole() throws IOException {
    Path file = dir.resolve("sub/registry.json");
    AtomicFiles.write(file, "one".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(file, "two".getBytes(StandardCharsets.UTF_8));
    assertEquals("two", Files.readString(file));
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "no temporary file is left beside it");
    }
  }

  /**
   * A client that leaves in the middle of a command interrupts the thread that runs it; the write of
   * the registry or the journal that the command was making must still happen, or a plugin the
   * runtime reported ACTIVE is gone after the next start.
   */
  @Test
  void anInterruptedThreadStillWritesTheFileAndKeepsItsInterrupt() throws IOException {
    Path file = dir.resolve("journal.json");
    AtomicFiles.write(file, "before".getBytes(StandardCharsets.UTF_8));
    Thread.currentThread().interrupt();
    try {
      AtomicFiles.write(file, "after".getBytes(StandardCharsets.UTF_8));
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller to see");
    } finally {
      Thread.interrupted();
    }
    assertEquals("after", Files.readString(file));
  }

  @Test
  void copiesAFileWholeOverAnOlderCopy() throws IOException {
    Path source = dir.resolve("plugin.jar");
    Files.write(source, new byte[70_000]);
    Path target = dir.resolve("store/12.jar");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "an older copy");
    AtomicFiles.copy(source, target);
    assertEquals(70_000, Files.size(target));
    try (var files = Files.list(target.getParent())) {
      assertEquals(1, files.count(), "no temporary file is left beside it");
    }
  }
}
