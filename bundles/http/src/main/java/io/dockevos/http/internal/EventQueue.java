package io.dockevos.http.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/**
 * One event stream's handler: Event Admin only offers to a bounded queue, so it never waits for a
 * client; once the queue is full the stream is {@link #dropped()} and its reader ends it.
 */
final class EventQueue implements EventHandler {
  private final BlockingQueue<Event> queue;
  private volatile boolean dropped;

  EventQueue(int capacity) {
    queue = new ArrayBlockingQueue<>(capacity);
  }

  @Override
  public void handleEvent(Event event) {
    if (dropped || !queue.offer(event)) {
      dropped = true;
      queue.clear();
    }
  }

  /** @return whether the client read too slowly and is to be dropped */
  boolean dropped() {
    return dropped;
  }

  /** @return the next event, or null when none came within the time */
  Event next(long timeout, TimeUnit unit) throws InterruptedException {
    return queue.poll(timeout, unit);
  }
}
