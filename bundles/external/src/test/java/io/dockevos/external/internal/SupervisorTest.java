package io.dockevos.external.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SupervisorTest {
  private static final Duration S1 = Duration.ofSeconds(1);
  private static final Duration S60 = Duration.ofSeconds(60);

  @Test
  void theBackoffDoublesFromOneSecondUpToSixty() {
    assertEquals(1000, Supervisor.backoff(S1, S60, 0, 0.5).toMillis());
    assertEquals(2000, Supervisor.backoff(S1, S60, 1, 0.5).toMillis());
    assertEquals(32000, Supervisor.backoff(S1, S60, 5, 0.5).toMillis());
    assertEquals(60000, Supervisor.backoff(S1, S60, 6, 0.5).toMillis());
    assertEquals(60000, Supervisor.backoff(S1, S60, 1000, 0.5).toMillis(), "no overflow after many failures");
  }

  @Test
  void theJitterIsTwentyPercentEitherWayAndNeverPastTheMaximum() {
    assertEquals(800, Supervisor.backoff(S1, S60, 0, 0.0).toMillis());
    assertEquals(1200, Supervisor.backoff(S1, S60, 0, 1.0).toMillis());
    assertEquals(48000, Supervisor.backoff(S1, S60, 10, 0.0).toMillis());
    assertEquals(60000, Supervisor.backoff(S1, S60, 10, 1.0).toMillis());
  }
}
