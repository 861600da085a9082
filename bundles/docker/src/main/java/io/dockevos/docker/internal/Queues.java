package io.dockevos.docker.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Handing items to a bounded queue's reader, for the engine's streams ({@link LinePump}, {@link BytePipe}). */
final class Queues {
  private Queues() {}

  /**
   * Waits while the queue is full, unless {@code gone} says its reader is gone: then the item is
   * dropped. An interrupt does not drop it (it is kept for the caller): docker-java interrupts its
   * stream thread as a hijacked stream ends, and a lost end would leave the reader waiting for ever.
   */
  static <T> void put(BlockingQueue<? super T> queue, T item, BooleanSupplier gone) {
    boolean interrupted = false;
    try {
      while (!gone.getAsBoolean()) {
        try {
          if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
