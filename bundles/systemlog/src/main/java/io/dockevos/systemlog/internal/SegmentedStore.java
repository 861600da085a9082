package io.dockevos.systemlog.internal;

import io.dockevos.common.internal.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One bounded store: JSON lines in segment files {@code NNNNNNNNNN.jsonl} in its own folder. The
 * newest segment is appended to; when it is full (its share of the entries or the bytes) a new
 * one starts, and the oldest segments are deleted so that at most {@code segments} remain. What
 * is in memory is exactly what is on disk, so a query never reads a file.
 *
 * <p>Only the writer thread calls {@link #load}, {@link #append}, {@link #sync} and
 * {@link #close}; queries call {@link #snapshot} from any thread.
 *
 * <p>A kill cannot corrupt it: lines are only ever appended, each ends with a newline, and a line
 * that does not (cut short by a kill) or that does not parse is reported with its file and line
 * number and skipped at the next load; the torn end is cut off before anything is appended.
 */
final class SegmentedStore<T> {
  /** How each entry becomes a line, and back. */
  interface Codec<T> {
    Map<String, Object> encode(T value);

    /** @throws RuntimeException with the reason when the object is not a valid entry */
    T decode(JsonObject object);
  }

  /** A line that could not be read. */
  record Problem(String store, Path file, int line, String reason) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + reason;
    }
  }

  /**
   * @param maxEntries entries kept at most
   * @param maxBytes bytes on disk at most (one line more may be written before a roll)
   * @param segments files kept at most; each holds a share of the entries and bytes
   */
  record Limits(int maxEntries, long maxBytes, int segments) {
    Limits {
      if (maxEntries < 1 || maxBytes < 1 || segments < 1) {
        throw new IllegalArgumentException("limits must be positive: " + maxEntries + " entries, " + maxBytes
            + " bytes, " + segments + " segments");
      }
    }

    int segmentEntries() {
      return Math.max(1, maxEntries / segments);
    }

    long segmentBytes() {
      return Math.max(1, maxBytes / segments);
    }
  }

  private static final class Segment {
    final long number;
    final Path file;
    int entries;
    long bytes;

    Segment(long number, Path file) {
      this.number = number;
      this.file = file;
    }
  }

  private final String name;
  private final Path dir;
  private final Codec<T> codec;
  private final Limits limits;
  private final ArrayDeque<T> entries = new ArrayDeque<>();
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  private FileChannel current;
  private boolean forceOnRoll = true;
  private boolean dirty;
  private long bytesWritten;

  SegmentedStore(String name, Path dir, Codec<T> codec, Limits limits) {
    this.name = name;
    this.dir = dir;
    this.codec = codec;
    this.limits = limits;
  }

  String name() {
    return name;
  }

  /** Whether a segment is forced to disk when the next one starts (not with {@code fsync=none}). */
  SegmentedStore<T> forceOnRoll(boolean force) {
    this.forceOnRoll = force;
    return this;
  }

  Path dir() {
    return dir;
  }

  /** Reads the segments on disk; returns the lines it skipped. */
  List<Problem> load() throws IOException {
    List<Problem> problems = new ArrayList<>();
    Files.createDirectories(dir);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().matches("\\d{10}\\.jsonl")).sorted().toList();
    }
    for (int f = 0; f < files.size(); f++) {
      Path file = files.get(f);
      Segment seg = new Segment(Long.parseLong(file.getFileName().toString().substring(0, 10)), file);
      byte[] bytes = Files.readAllBytes(file);
      seg.bytes = bytes.length;
      List<T> loaded = new ArrayList<>();
      int start = 0;
      int line = 0;
      while (start < bytes.length) {
        line++;
        int end = start;
        while (end < bytes.length && bytes[end] != '\n') {
          end++;
        }
        if (end == bytes.length) {
          // No newline: the write of this line was cut short (a kill, a full disk).
          problems.add(new Problem(name, file, line, "torn last line (" + (end - start)
              + " bytes without an end of line, cut short while being written); skipped"));
          if (f == files.size() - 1) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
              ch.truncate(start);
            }
            seg.bytes = start;
          }
          break;
        }
        String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
        if (!text.isBlank()) {
          try {
            loaded.add(codec.decode(Json.read(new StringReader(text))));
          } catch (RuntimeException e) {
            problems.add(new Problem(name, file, line, "not a valid " + name + " entry (" + reason(e) + "); skipped"));
          }
        }
        start = end + 1;
      }
      seg.entries = loaded.size();
      synchronized (this) {
        entries.addAll(loaded);
      }
      segments.addLast(seg);
    }
    trim();
    return problems;
  }

  private static String reason(RuntimeException e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }

  /** Appends the entries, rolling and dropping segments as needed; writes them, does not sync. */
  void append(List<T> batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    List<byte[]> lines = new ArrayList<>(batch.size());
    for (T value : batch) {
      lines.add((JsonText.write(codec.encode(value)) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    List<byte[]> run = new ArrayList<>();
    List<T> runValues = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      byte[] line = lines.get(i);
      Segment seg = segments.peekLast();
      boolean full = seg == null || seg.entries >= limits.segmentEntries()
          || seg.entries > 0 && seg.bytes + line.length > limits.segmentBytes();
      if (full) {
        write(run, runValues);
        roll();
        seg = segments.peekLast();
      } else if (current == null) {
        current = FileChannel.open(seg.file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      }
      run.add(line);
      runValues.add(batch.get(i));
      seg.entries++;
      seg.bytes += line.length;
    }
    write(run, runValues);
    trim();
  }

  private void write(List<byte[]> run, List<T> values) throws IOException {
    if (run.isEmpty()) {
      return;
    }
    int size = 0;
    for (byte[] b : run) {
      size += b.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    for (byte[] b : run) {
      buf.put(b);
    }
    buf.flip();
    while (buf.hasRemaining()) {
      current.write(buf);
    }
    bytesWritten += size;
    dirty = true;
    synchronized (this) {
      entries.addAll(values);
    }
    run.clear();
    values.clear();
  }

  private void roll() throws IOException {
    if (current != null) {
      if (dirty && forceOnRoll) {
        current.force(false);
      }
      dirty = false;
      current.close();
      current = null;
    }
    Segment last = segments.peekLast();
    long number = last == null ? 1 : last.number + 1;
    Segment seg = new Segment(number, dir.resolve(String.format("%010d.jsonl", number)));
    current = FileChannel.open(seg.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    segments.addLast(seg);
  }

  /** Deletes the oldest segments beyond the limits, and their entries from memory. */
  private void trim() throws IOException {
    while (segments.size() > limits.segments()
        || segments.size() > 1 && (totalEntries() > limits.maxEntries() || diskBytes() > limits.maxBytes())) {
      Segment oldest = segments.removeFirst();
      Files.deleteIfExists(oldest.file);
      synchronized (this) {
        for (int i = 0; i < oldest.entries && !entries.isEmpty(); i++) {
          entries.removeFirst();
        }
      }
    }
  }

  private int totalEntries() {
    int n = 0;
    for (Segment s : segments) {
      n += s.entries;
    }
    return n;
  }

  /** Forces what was written to the disk. */
  void sync() throws IOException {
    if (current != null && dirty) {
      current.force(false);
      dirty = false;
    }
  }

  boolean dirty() {
    return dirty;
  }

  void close() throws IOException {
    sync();
    if (current != null) {
      current.close();
      current = null;
    }
  }

  /** @return the entries, oldest first, a copy */
  synchronized List<T> snapshot() {
    return new ArrayList<>(entries);
  }

  /** @return the newest entries that match, at most {@code limit}, oldest first */
  synchronized List<T> newest(java.util.function.Predicate<T> filter, int limit) {
    ArrayDeque<T> out = new ArrayDeque<>();
    for (Iterator<T> it = entries.descendingIterator(); it.hasNext() && out.size() < limit;) {
      T t = it.next();
      if (filter.test(t)) {
        out.addFirst(t);
      }
    }
    return new ArrayList<>(out);
  }

  synchronized T last() {
    return entries.peekLast();
  }

  synchronized int count() {
    return entries.size();
  }

  /** @return the bytes of the segment files now */
  long diskBytes() {
    long n = 0;
    for (Segment s : segments) {
      n += s.bytes;
    }
    return n;
  }

  int segmentCount() {
    return segments.size();
  }

  long bytesWritten() {
    return bytesWritten;
  }
}
