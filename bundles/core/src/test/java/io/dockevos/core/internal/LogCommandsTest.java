package io.dockevos.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCommandsTest {
  @TempDir Path dir;

  @Test
  void lastLinesOfALongFile() throws Exception {
    Path log = dir.resolve("dockevos.log");
    Files.writeString(log, IntStream.rangeClosed(1, 5000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n")));
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      assertEquals(List.of("line 4998", "line 4999", "line 5000"), LogCommands.lastLines(f, 3));
    }
  }

  @Test
  void fewerLinesThanAsked() throws Exception {
    Path log = dir.resolve("short.log");
    Files.writeString(log, "one\ntwo");
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      assertEquals(List.of("one", "two"), LogCommands.lastLines(f, 20));
    }
  }
}
