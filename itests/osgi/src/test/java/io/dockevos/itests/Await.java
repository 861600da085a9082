package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Waits for something asynchronous (FileInstall's polls, log delivery) to be seen. */
final class Await {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Await() {}

  /** Polls every 25 ms until the value matches, and returns it; fails with the last value seen. */
  static <T> T until(Callable<T> value, Predicate<? super T> matches, String what) throws Exception {
    long end = System.nanoTime() + TIMEOUT.toNanos();
    T last = value.call();
    while (!matches.test(last)) {
      if (System.nanoTime() > end) {
        fail("waited " + TIMEOUT.toSeconds() + " s for " + what + "; last seen: " + last);
      }
      Thread.sleep(25);
      last = value.call();
    }
    return last;
  }
}
