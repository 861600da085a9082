package io.dockevos.mcp.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The confirmations that {@code plugin_install}'s plans hand out: each is good once, for its own
 * source, for a while. At most {@value #MAX} are kept; the oldest go first.
 */
final class Confirmations {
  static final int MAX = 100;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final LongSupplier clock;

  private record Pending(String source, long at) {}

  Confirmations(Duration ttl) {
    this(ttl, System::nanoTime);
  }

  Confirmations(Duration ttl, LongSupplier clock) {
    this.ttlNanos = ttl.toNanos();
    this.clock = clock;
  }

  /** @return a new confirmation for the source */
  synchronized String offer(String source) {
    long now = clock.getAsLong();
    pending.values().removeIf(p -> now - p.at() > ttlNanos);
    while (pending.size() >= MAX) {
      Iterator<Map.Entry<String, Pending>> oldest = pending.entrySet().stream()
          .sorted((a, b) -> Long.compare(a.getValue().at(), b.getValue().at())).iterator();
      pending.remove(oldest.next().getKey());
    }
    byte[] bytes = new byte[6];
    random.nextBytes(bytes);
    String id = HexFormat.of().formatHex(bytes);
    pending.put(id, new Pending(source, now));
    return id;
  }

  /** @return whether the confirmation was offered for this source and is still good; it is used up */
  synchronized boolean take(String id, String source) {
    Pending p = pending.get(id);
    if (p == null || clock.getAsLong() - p.at() > ttlNanos || !p.source().equals(source)) {
      return false;
    }
    pending.remove(id);
    return true;
  }
}
