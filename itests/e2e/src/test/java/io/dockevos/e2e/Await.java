package io.dockevos.e2e;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls with a deadline: no test waits on a fixed sleep. */
final class Await {
  private static final long POLL_MILLIS = 100;

  private Await() {}

  /**
   * Polls {@code probe} until {@code done} accepts its value.
   *
   * @return the accepted value
   * @throws AssertionError naming {@code what} and the last value seen, at the deadline
   */
  static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last;
    while (true) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + "\nlast seen: " + last);
      }
      sleep(POLL_MILLIS);
    }
  }

  /** Polls until {@code condition} holds. */
  static void until(String what, Duration timeout, Supplier<Boolean> condition) {
    until(what, timeout, condition, Boolean::booleanValue);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
