package io.dockevos.launcher.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Keeps {@code data/log/console.log} bounded: in the background ({@code bin/dockevos start}) the
 * JVM's standard output and error are that file, opened by the script for appending, and whatever
 * prints there (a plugin's {@code System.out}, a stack trace printed by a thread) would make it grow
 * forever. Past {@code maxBytes} it is copied to {@code console.log.1} (replacing the one before)
 * and emptied in place: the file stays the one the process writes to, and appends go on from its
 * start. Rotation happens on a write through {@code System.out} or {@code System.err}, and once at
 * start; what the JVM writes to the file itself (a thread dump) is counted at the next rotation.
 */
public final class ConsoleLog extends OutputStream {
  /** System property: the size in bytes past which console.log is rotated. */
  public static final String MAX_BYTES = "dockevos.console.maxBytes";
  public static final long DEFAULT_MAX_BYTES = 10L << 20;

  private final Path file;
  private final Path old;
  private final long max;
  private final OutputStream out;
  private long written;

  private ConsoleLog(Path file, long max, OutputStream out) throws IOException {
    this.file = file;
    this.old = file.resolveSibling(file.getFileName() + ".1");
    this.max = max;
    this.out = out;
    this.written = Files.size(file);
  }

  /**
   * When standard output is {@code logDir/console.log} (the background), routes {@code System.out}
   * and {@code System.err} through a rotating stream, and rotates the file now if it is past its
   * limit. Does nothing otherwise (the console, a program that embeds dockevOS).
   */
  public static void install(Path logDir) {
    Path file = logDir.resolve("console.log");
    try {
      if (!Files.exists(file) || !Files.isSameFile(Files.readSymbolicLink(Path.of("/proc/self/fd/1")), file)) {
        return;
      }
      long max = Long.getLong(MAX_BYTES, DEFAULT_MAX_BYTES);
      ConsoleLog log = new ConsoleLog(file, Math.max(1024, max), new FileOutputStream(FileDescriptor.out));
      synchronized (log) {
        log.rotateIfFull();
      }
      PrintStream stream = new PrintStream(log, true);
      System.setOut(stream);
      System.setErr(stream);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // No /proc (not Linux) or no console.log: the streams stay as they are.
    }
  }

  @Override
  public synchronized void write(int b) throws IOException {
    out.write(b);
    written++;
    rotateIfFull();
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    written += len;
    rotateIfFull();
  }

  @Override
  public synchronized void flush() throws IOException {
    out.flush();
  }

  private void rotateIfFull() {
    if (written <= max) {
      return;
    }
    try {
      written = Files.size(file); // what the JVM wrote itself counts too
      if (written <= max) {
        return;
      }
      Files.copy(file, old, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
        c.truncate(0);
      }
      written = 0;
    } catch (IOException e) {
      written = 0; // try again after as much again; the output itself is not lost
    }
  }
}
