package io.dockevos.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheMaximumAndResets() {
    Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofMillis(1500));
    assertEquals(250, b.next().toMillis());
    assertEquals(500, b.next().toMillis());
    assertEquals(1000, b.next().toMillis());
    assertEquals(1500, b.next().toMillis());
    assertEquals(1500, b.next().toMillis());
    b.reset();
    assertEquals(250, b.peek().toMillis());
    assertEquals(250, b.next().toMillis());
  }

  @Test
  void refusesAMaximumBelowTheStart() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
  }
}
