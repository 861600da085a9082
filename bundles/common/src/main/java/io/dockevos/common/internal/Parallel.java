package io.dockevos.common.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One task per element on as many threads as the machine has cores, for the parts of a plan that
 * read or install many jars: each element's result or failure comes back in the elements' order, so
 * the caller reports them as a sequential loop would. Fewer than {@link #MIN_PARALLEL} elements run
 * on the caller's thread.
 */
public final class Parallel {
  /** Below this many elements the threads cost more than they save. */
  public static final int MIN_PARALLEL = 8;

  /** A task that may fail. */
  @FunctionalInterface
  public interface Task<T, R> {
    R apply(T element) throws Exception;
  }

  /**
   * The result of one element: its value, or the failure that its task threw.
   *
   * @param value what the task returned, or {@code null} when it failed
   * @param failure what it threw, or {@code null}
   */
  public record Outcome<R>(R value, Exception failure) {
    public boolean failed() {
      return failure != null;
    }
  }

  private Parallel() {}

  /**
   * Runs {@code task} on every element; every task runs to its end whatever the others do.
   *
   * @return one outcome per element, in the elements' order
   */
  public static <T, R> List<Outcome<R>> map(List<T> elements, Task<? super T, ? extends R> task) {
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), elements.size());
    List<Outcome<R>> result = new ArrayList<>(elements.size());
    if (elements.size() < MIN_PARALLEL || threads < 2) {
      for (T e : elements) {
        result.add(run(task, e));
      }
      return result;
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "dockevos-parallel-" + n.incrementAndGet());
      t.setDaemon(true);
      t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
      return t;
    });
    try {
      List<Future<Outcome<R>>> futures = new ArrayList<>(elements.size());
      for (T e : elements) {
        futures.add(pool.submit(() -> run(task, e)));
      }
      boolean interrupted = false;
      for (Future<Outcome<R>> f : futures) {
        while (true) {
          try {
            result.add(f.get());
            break;
          } catch (InterruptedException e) {
            interrupted = true; // the tasks run to their end: what they did must be known
          } catch (ExecutionException e) {
            result.add(new Outcome<>(null, e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause())));
            break;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return result;
    } finally {
      pool.shutdown();
    }
  }

  private static <T, R> Outcome<R> run(Task<? super T, ? extends R> task, T element) {
    try {
      return new Outcome<>(task.apply(element), null);
    } catch (Exception e) {
      return new Outcome<>(null, e);
    }
  }
}
