package io.dockevos.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.dockevos.docker.OutputListener;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Carries the frames that docker-java delivers on its own threads to the caller's thread, split
 * into lines: Gogo's {@code System.out} belongs to the command's thread, so the listener must be
 * called there.
 */
final class LinePump extends ResultCallback.Adapter<Frame> {
  private record Line(String text, boolean error) {}

  private static final Object END = new Object();
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final StringBuilder out = new StringBuilder();
  private final StringBuilder err = new StringBuilder();
  private volatile Throwable failure;

  @Override
  public void onNext(Frame frame) {
    boolean error = frame.getStreamType() == StreamType.STDERR;
    StringBuilder buffer = error ? err : out;
    synchronized (buffer) {
      buffer.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
      int nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        String line = buffer.substring(0, nl);
        buffer.delete(0, nl + 1);
        queue.add(new Line(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line, error));
      }
    }
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
    for (StringBuilder b : new StringBuilder[] {out, err}) {
      synchronized (b) {
        if (b.length() > 0) {
          queue.add(new Line(b.toString(), b == err));
          b.setLength(0);
        }
      }
    }
    queue.add(END);
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
