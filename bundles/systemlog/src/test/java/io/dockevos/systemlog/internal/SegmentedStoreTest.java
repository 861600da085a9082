package io.dockevos.systemlog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.systemlog.CommandRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentedStoreTest {
  @TempDir
  Path dir;

  private static CommandRecord command(int i) {
    return new CommandRecord(Instant.parse("2026-12-01T08:00:00Z").plusSeconds(i), "alice", "client", "echo " + i, i,
        i % 3 == 0 ? CommandRecord.Status.FAILED : CommandRecord.Status.OK, i % 3 == 0 ? "boom " + i : null);
  }

  private SegmentedStore<CommandRecord> store(int entries, long bytes, int segments) {
    return new SegmentedStore<>("history", dir, Codecs.HISTORY, new SegmentedStore.Limits(entries, bytes, segments));
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  @Test
  void keepsTheNewestEntriesAndRollsSegmentsWithinTheLimits() throws IOException {
    SegmentedStore<CommandRecord> store = store(10, 1 << 20, 2);
    store.load();
    for (int i = 1; i <= 37; i++) {
      store.append(List.of(command(i)));
    }
    List<CommandRecord> kept = store.snapshot();
    assertTrue(kept.size() <= 10 && kept.size() >= 5, "between one and two segments of 5 are kept: " + kept.size());
    assertEquals("echo 37", kept.get(kept.size() - 1).command());
    assertTrue(kept.stream().noneMatch(r -> r.command().equals("echo 1")), "the oldest is dropped");
    assertTrue(files().size() <= 2, "at most 2 segment files: " + files());
    store.close();

    SegmentedStore<CommandRecord> again = store(10, 1 << 20, 2);
    assertEquals(List.of(), again.load());
    assertEquals(kept, again.snapshot(), "a restart loads exactly what was kept");
    assertEquals(kept.get(2), command(Integer.parseInt(kept.get(2).command().substring(5))), "fields survive the round trip");
  }

  @Test
  void boundsTheBytesOnDisk() throws IOException {
    SegmentedStore<CommandRecord> store = store(1_000_000, 4096, 4);
    store.load();
    for (int i = 0; i < 2000; i++) {
      store.append(List.of(command(i)));
    }
    long bytes = 0;
    for (Path f : files()) {
      bytes += Files.size(f);
    }
    assertTrue(bytes <= 4096, "at most 4096 bytes on disk, not " + bytes);
    assertTrue(store.count() > 10, "and the newest entries that fit are kept: " + store.count());
    assertEquals(store.diskBytes(), bytes);
  }

  @Test
  void aTornLastLineIsReportedCutOffAndAppendingGoesOn() throws IOException {
    SegmentedStore<CommandRecord> store = store(100, 1 << 20, 2);
    store.load();
    store.append(List.of(command(1), command(2)));
    store.close();
    Path file = files().get(0);
    Files.writeString(file, "{\"time\":\"2026-12-01T08:00:03Z\",\"user\":\"al", StandardOpenOption.APPEND);

    SegmentedStore<CommandRecord> again = store(100, 1 << 20, 2);
    List<SegmentedStore.Problem> problems = again.load();
    assertEquals(1, problems.size(), problems::toString);
    assertEquals(3, problems.get(0).line());
    assertEquals(file, problems.get(0).file());
    assertTrue(problems.get(0).reason().contains("torn last line"), problems.get(0).reason());
    assertEquals(2, again.count());
    again.append(List.of(command(4)));
    again.close();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(3, lines.size(), "the torn end was cut off before appending: " + lines);
    assertEquals(List.of(), store(100, 1 << 20, 2).load(), "and the file reads cleanly now");
  }

  @Test
  void aCorruptLineIsReportedWithFileAndLineAndSkipped() throws IOException {
    Files.writeString(dir.resolve("0000000001.jsonl"),
        "{\"time\":\"2026-12-01T08:00:00Z\",\"user\":\"a\",\"origin\":\"client\",\"command\":\"lb\",\"durationMs\":1,\"status\":\"ok\"}\n"
            + "garbage that is not json\n"
            + "{\"time\":\"2026-12-01T08:00:01Z\",\"user\":\"a\"}\n"
            + "{\"time\":\"2026-12-01T08:00:02Z\",\"user\":\"a\",\"origin\":\"client\",\"command\":\"ss\",\"durationMs\":1,\"status\":\"failed\",\"error\":\"x\"}\n");
    SegmentedStore<CommandRecord> store = store(100, 1 << 20, 2);
    List<SegmentedStore.Problem> problems = store.load();
    assertEquals(List.of(2, 3), problems.stream().map(SegmentedStore.Problem::line).toList(), problems::toString);
    assertTrue(problems.get(0).toString().startsWith(dir.resolve("0000000001.jsonl") + ":2: not a valid history entry"),
        problems.get(0).toString());
    assertEquals(List.of("lb", "ss"), store.snapshot().stream().map(CommandRecord::command).toList());
  }

  @Test
  void newestFiltersFromTheEnd() throws IOException {
    SegmentedStore<CommandRecord> store = store(100, 1 << 20, 2);
    store.load();
    List<CommandRecord> all = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      all.add(command(i));
    }
    store.append(all);
    assertEquals(List.of("echo 15", "echo 18"), store.newest(CommandRecord::failed, 2).stream().map(CommandRecord::command).toList());
  }
}
