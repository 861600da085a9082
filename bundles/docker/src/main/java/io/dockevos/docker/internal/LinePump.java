package io.dockevos.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.dockevos.docker.OutputListener;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import io.dockevos.common.internal.LineSplitter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Carries the frames that docker-java delivers on its own threads to the caller's thread, split
 * into lines: Gogo's {@code System.out} belongs to the command's thread, so the listener must be
 * called there. Bounded: a line longer than {@link LineSplitter#DEFAULT_MAX} characters is split as
 * it comes, and at most {@link #CAPACITY} lines wait for the caller; when they are full the
 * engine's thread waits (the container's output waits in the engine), until the caller takes some
 * or stops taking them, after which the rest is dropped.
 */
final class LinePump extends ResultCallback.Adapter<Frame> {
  private record Line(String text, boolean error) {}

  /** Lines that wait for the caller at most. */
  static final int CAPACITY = 256;
  private static final Object END = new Object();
  private final BlockingQueue<Object> queue;
  private final LineSplitter out = new LineSplitter(LineSplitter.DEFAULT_MAX, l -> put(new Line(l, false)));
  private final LineSplitter err = new LineSplitter(LineSplitter.DEFAULT_MAX, l -> put(new Line(l, true)));
  private volatile Throwable failure;
  /** Set once the caller stopped taking lines ({@link #drain} returned). */
  private volatile boolean closed;
  /** When the last frame came (or the pump was made), in {@link System#nanoTime} units. */
  private volatile long lastFrame = System.nanoTime();

  LinePump() {
    this(CAPACITY);
  }

  LinePump(int capacity) {
    queue = new ArrayBlockingQueue<>(capacity);
  }

  @Override
  public void onNext(Frame frame) {
    lastFrame = System.nanoTime();
    LineSplitter lines = frame.getStreamType() == StreamType.STDERR ? err : out;
    synchronized (lines) {
      lines.accept(new String(frame.getPayload(), StandardCharsets.UTF_8));
    }
  }

  /** Waits while the caller's lines are full, unless the pump is closed: then the line is dropped ({@link Queues#put}). */
  private void put(Object o) {
    Queues.put(queue, o, () -> closed);
  }


  /** @return whether no frame came for {@code d} */
  boolean quietFor(java.time.Duration d) {
    return System.nanoTime() - lastFrame > d.toNanos();
  }

  /** How many lines wait for the caller now. */
  int waiting() {
    return queue.size();
  }

  @Override
  public void onError(Throwable throwable) {
    failure = throwable;
    super.onError(throwable);
    finish();
  }

  @Override
  public void onComplete() {
    super.onComplete();
    finish();
  }

  private void finish() {
    for (LineSplitter b : new LineSplitter[] {out, err}) {
      synchronized (b) {
        b.finish();
      }
    }
    put(END);
  }

  Throwable failure() {
    return failure;
  }

  /**
   * Hands each line to the listener on this thread until the stream ends, {@code stop} says so
   * (checked every 100 ms and once the queue is empty), or the thread is interrupted.
   *
   * @return true when the stream ended by itself
   */
  boolean drain(OutputListener listener, BooleanSupplier stop) {
    try {
      while (true) {
        Object o = queue.poll(100, TimeUnit.MILLISECONDS);
        if (o == END) {
          return true;
        }
        if (o instanceof Line l) {
          listener.line(l.text(), l.error());
        } else if (stop.getAsBoolean()) {
          return false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      closed = true; // nobody takes lines any more: the engine's thread must not wait for it
      closeQuietly(this);
    }
  }

  static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing a stream that is gone already
    }
  }
}
