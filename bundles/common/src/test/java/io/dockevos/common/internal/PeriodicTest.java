package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTest {
  @Test
  void aRunThatThrowsAnErrorIsReportedAndTheScheduleGoesOn() throws Exception {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    try {
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch third = new CountDownLatch(1);
      List<Throwable> reported = new CopyOnWriteArrayList<>();
      Runnable task = () -> {
        int n = runs.incrementAndGet();
        if (n == 1) {
          throw new OutOfMemoryError("Java heap space (a 47 MB manifest)");
        }
        if (n == 2) {
          throw new IllegalStateException("a bug");
        }
        third.countDown();
      };
      executor.scheduleWithFixedDelay(Periodic.guarded(task, reported::add), 0, 1, TimeUnit.MILLISECONDS);
      assertTrue(third.await(30, TimeUnit.SECONDS), "the third run came, after " + runs.get() + " runs");
      assertEquals(OutOfMemoryError.class, reported.get(0).getClass());
      assertEquals(IllegalStateException.class, reported.get(1).getClass());
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aReportThatThrowsToo() throws Exception {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    try {
      CountDownLatch second = new CountDownLatch(2);
      executor.scheduleWithFixedDelay(Periodic.guarded(() -> {
        second.countDown();
        throw new OutOfMemoryError();
      }, t -> {
        throw new OutOfMemoryError("while logging");
      }), 0, 1, TimeUnit.MILLISECONDS);
      assertTrue(second.await(30, TimeUnit.SECONDS), "the schedule goes on");
    } finally {
      executor.shutdownNow();
    }
  }
}
