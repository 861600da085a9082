package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void resultsComeBackInTheElementsOrderAndEveryTaskRunsWhateverTheOthersThrow() {
    List<Integer> elements = IntStream.range(0, 100).boxed().toList();
    Set<Integer> ran = ConcurrentHashMap.newKeySet();
    List<Parallel.Outcome<String>> out = Parallel.map(elements, i -> {
      ran.add(i);
      if (i % 10 == 3) {
        throw new IOException("element " + i + " is bad");
      }
      return "v" + i;
    });
    assertEquals(100, out.size());
    assertEquals(100, ran.size(), "every task ran");
    for (int i = 0; i < 100; i++) {
      Parallel.Outcome<String> o = out.get(i);
      if (i % 10 == 3) {
        assertTrue(o.failed());
        assertNull(o.value());
        assertEquals("element " + i + " is bad", o.failure().getMessage());
      } else {
        assertFalse(o.failed());
        assertEquals("v" + i, o.value());
      }
    }
  }

  @Test
  void fewElementsRunOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    List<Parallel.Outcome<Boolean>> out = Parallel.map(List.of(1, 2, 3), i -> Thread.currentThread() == caller);
    assertTrue(out.stream().allMatch(Parallel.Outcome::value));
  }

  @Test
  void manyElementsRunBesideTheCallerWhenThereAreCoresForThem() {
    Thread caller = Thread.currentThread();
    List<Parallel.Outcome<Boolean>> out = Parallel.map(IntStream.range(0, 20).boxed().toList(),
        i -> Thread.currentThread() == caller);
    if (Runtime.getRuntime().availableProcessors() > 1) {
      assertTrue(out.stream().noneMatch(Parallel.Outcome::value), "the pool's threads ran them");
    } else {
      assertTrue(out.stream().allMatch(Parallel.Outcome::value), "one core: the caller ran them");
    }
  }
}
