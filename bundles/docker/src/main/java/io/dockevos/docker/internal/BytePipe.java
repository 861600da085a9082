package io.dockevos.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A pipe of bytes between threads that may come and go (unlike {@link java.io.PipedInputStream},
 * which breaks when the thread that last wrote ends): chunks in a bounded queue. A writer waits while
 * {@link #CAPACITY} chunks wait for the reader, until the reader takes some or the pipe is closed;
 * after {@link #close()} writes are dropped and the reader sees the end once it took what is left.
 */
final class BytePipe {
  /** Chunks that wait for the reader at most. */
  static final int CAPACITY = 256;
  private static final byte[] END = new byte[0];
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CAPACITY);
  private volatile boolean closed;
  private volatile boolean readerGone;

  private final OutputStream out = new OutputStream() {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("the stream is closed");
      }
      if (len > 0) {
        put(Arrays.copyOfRange(b, off, off + len));
      }
    }

    @Override
    public void close() {
      BytePipe.this.close();
    }
  };

  private final InputStream in = new InputStream() {
    private byte[] chunk = new byte[0];
    private int pos;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (pos == chunk.length) {
        if (ended) {
          return -1;
        }
        byte[] next;
        try {
          next = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while reading");
        }
        if (next == END) {
          ended = true;
          return -1;
        }
        chunk = next;
        pos = 0;
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return chunk.length - pos;
    }

    @Override
    public void close() {
      readerGone = true;
      BytePipe.this.close();
      queue.clear();
    }
  };

  /** Waits for room unless the reader is gone; an interrupt does not drop the chunk ({@link Queues#put}). */
  private void put(byte[] chunk) {
    Queues.put(queue, chunk, () -> readerGone);
  }


  OutputStream output() {
    return out;
  }

  InputStream input() {
    return in;
  }

  /** The end: the reader gets what is left, then -1. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    put(END);
  }
}
