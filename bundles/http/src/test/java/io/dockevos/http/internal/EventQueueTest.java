package io.dockevos.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class EventQueueTest {
  @Test
  void aClientThatDoesNotReadIsDroppedAndEventAdminNeverWaits() throws Exception {
    EventQueue q = new EventQueue(4);
    for (int i = 0; i < 4; i++) {
      q.handleEvent(new Event("dockevos/test/E" + i, Map.of()));
    }
    assertFalse(q.dropped(), "four fit");
    long start = System.nanoTime();
    for (int i = 0; i < 100_000; i++) {
      q.handleEvent(new Event("dockevos/test/MORE", Map.of()));
    }
    assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000, "offering never blocks");
    assertTrue(q.dropped());
    assertNull(q.next(10, TimeUnit.MILLISECONDS), "nothing kept for a dropped client");
  }

  @Test
  void aClientThatReadsGetsTheEventsInOrder() throws Exception {
    EventQueue q = new EventQueue(4);
    q.handleEvent(new Event("dockevos/test/A", Map.of()));
    q.handleEvent(new Event("dockevos/test/B", Map.of()));
    assertEquals("dockevos/test/A", q.next(1, TimeUnit.SECONDS).getTopic());
    assertEquals("dockevos/test/B", q.next(1, TimeUnit.SECONDS).getTopic());
    assertNull(q.next(10, TimeUnit.MILLISECONDS));
    assertFalse(q.dropped());
  }
}
