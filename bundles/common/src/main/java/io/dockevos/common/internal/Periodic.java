package io.dockevos.common.internal;

import java.util.function.Consumer;

/**
 * A task for a {@code ScheduledExecutorService}'s fixed-rate or fixed-delay schedule. The executor
 * cancels the schedule for good at the first throwable that a run lets escape, so a task made here
 * catches every one, {@code OutOfMemoryError} included: it is reported, and the next run comes as
 * planned.
 */
public final class Periodic {
  private Periodic() {}

  /** @param failed told what a run threw (it must not throw itself; if it does, that is swallowed too) */
  public static Runnable guarded(Runnable task, Consumer<Throwable> failed) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) { // NOPMD: a schedule must survive anything, even an Error
        try {
          failed.accept(t);
        } catch (Throwable again) { // NOPMD: reporting may fail too (out of memory): the schedule still goes on
          // nothing more to do
        }
      }
    };
  }
}
