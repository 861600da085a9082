package io.dockevos.docker.internal;

import java.time.Duration;

/** Exponential backoff: the first delay, doubled after each failure up to a maximum; reset on success. */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, not " + initial + " and " + max);
    }
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The delay before the next attempt; the one after it is twice as long, up to the maximum. */
  synchronized Duration next() {
    Duration d = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  /** The delay that {@link #next()} would return, without moving on. */
  synchronized Duration peek() {
    return next;
  }

  synchronized void reset() {
    next = initial;
  }
}
