package io.dockevos.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The container runner's line buffer: the frames of a container's output, split into bounded lines. */
class LinePumpTest {
  private static Frame frame(StreamType type, String text) {
    return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLineWithNoEndIsSplitAsItComesNotHeldWhole() {
    LinePump pump = new LinePump();
    String chunk = "b".repeat(1 << 16);
    for (int i = 0; i < 16; i++) {
      pump.onNext(frame(StreamType.STDOUT, chunk)); // 1 MiB, no line end
    }
    pump.onNext(frame(StreamType.STDOUT, "\nend\n"));
    pump.onComplete();
    List<String> lines = new ArrayList<>();
    assertTrue(pump.drain((line, error) -> lines.add(line), () -> false));
    String marker = " [line split: longer than 65536 characters]";
    StringBuilder joined = new StringBuilder();
    for (String l : lines.subList(0, lines.size() - 1)) {
      assertTrue(l.length() <= 65536 + marker.length(), l.length() + " characters");
      joined.append(l.endsWith(marker) ? l.substring(0, l.length() - marker.length()) : l);
    }
    assertEquals("b".repeat(1 << 20), joined.toString());
    assertEquals("end", lines.get(lines.size() - 1));
  }

  @Test
  void atMostItsCapacityOfLinesWaitsAndTheEngineThreadWaitsForTheCaller() throws Exception {
    LinePump pump = new LinePump(8);
    Thread engine = new Thread(() -> {
      for (int i = 0; i < 100; i++) {
        pump.onNext(frame(StreamType.STDOUT, "line " + i + "\n"));
      }
      pump.onComplete();
    }, "stand-in engine thread");
    engine.start();
    // Nobody takes lines: the engine's thread waits once 8 lines (and no more) wait.
    while (engine.getState() != Thread.State.TIMED_WAITING || pump.waiting() < 8) {
      assertTrue(engine.isAlive(), "the engine thread went on although nobody took its lines");
      Thread.onSpinWait();
    }
    assertEquals(8, pump.waiting());
    List<String> lines = new ArrayList<>();
    assertTrue(pump.drain((line, error) -> lines.add(line), () -> false));
    engine.join();
    assertEquals(100, lines.size());
    assertEquals("line 99", lines.get(99));
  }

  @Test
  void afterTheCallerStoppedTakingLinesTheRestIsDroppedNotWaitedFor() throws Exception {
    LinePump pump = new LinePump(2);
    assertFalse(pump.drain((line, error) -> { }, () -> true), "the caller stops (its timeout)");
    for (int i = 0; i < 100; i++) {
      pump.onNext(frame(StreamType.STDERR, "line " + i + "\n")); // returns: nobody will take them
    }
    assertTrue(pump.waiting() <= 2);
  }

  /** docker-java interrupts its stream thread as a hijacked stream (docker:exec) ends: the end must still arrive. */
  @Test
  void aStreamThreadThatIsInterruptedStillDeliversItsLinesAndItsEnd() throws Exception {
    LinePump pump = new LinePump();
    Thread engine = new Thread(() -> {
      Thread.currentThread().interrupt();
      pump.onNext(frame(StreamType.STDOUT, "inside\n0\n"));
      pump.onComplete();
    });
    engine.start();
    engine.join(5000);
    List<String> lines = new ArrayList<>();
    long t0 = System.nanoTime();
    assertTrue(pump.drain((line, error) -> lines.add(line), () -> System.nanoTime() - t0 > 5_000_000_000L),
        "the stream ended by itself");
    assertEquals(List.of("inside", "0"), lines);
  }
}
