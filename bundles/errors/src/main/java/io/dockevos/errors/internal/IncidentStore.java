package io.dockevos.errors.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import io.dockevos.error.Incident;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incidents, in memory and in one JSON file that is replaced atomically (a kill at any moment
 * leaves the old file or the new one, never a torn one). Bounded: past {@code max}, the oldest
 * fixed or ignored incidents go first, then the oldest of all. Not thread-safe: the error handler
 * holds its lock around every call.
 */
final class IncidentStore {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentStore.class);
  static final int FORMAT = 1;

  private final Path file;
  private final Map<String, Incident> byId = new LinkedHashMap<>();
  private final Map<String, String> idByFingerprint = new HashMap<>();
  private int max;
  private long nextId = 1;

  IncidentStore(Path file, int max) {
    this.file = file;
    this.max = Math.max(1, max);
  }

  Path file() {
    return file;
  }

  void max(int max) {
    this.max = Math.max(1, max);
    evict();
  }

  /**
   * Reads the file. A file that cannot be read is moved aside, named in the log, and the store
   * starts empty.
   *
   * @return the file it was moved to, or {@code null}
   */
  Path load() {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonObject root = Json.read(in);
      nextId = root.getJsonNumber("nextId").longValue();
      for (JsonValue v : root.getJsonArray("incidents")) {
        Incident i = fromJson(v.asJsonObject());
        byId.put(i.id(), i);
        idByFingerprint.put(i.fingerprint(), i.id());
      }
      evict();
      return null;
    } catch (IOException | RuntimeException e) {
      byId.clear();
      idByFingerprint.clear();
      nextId = 1;
      Path aside = file.resolveSibling(file.getFileName() + ".corrupt-"
          + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC).format(Instant.now()));
      try {
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        LOG.error("The incident store {} cannot be read ({}); it was moved aside to {}, and the error handler starts"
            + " with no incidents", file, e.toString(), aside);
        return aside;
      } catch (IOException m) {
        LOG.error("The incident store {} cannot be read ({}) nor moved aside ({}); the error handler starts with no"
            + " incidents and will replace it", file, e.toString(), m.toString());
        return null;
      }
    }
  }

  Incident get(String id) {
    return byId.get(id);
  }

  Incident byFingerprint(String fingerprint) {
    String id = idByFingerprint.get(fingerprint);
    return id == null ? null : byId.get(id);
  }

  String newId() {
    return "E" + nextId++;
  }

  void put(Incident i) {
    byId.put(i.id(), i);
    idByFingerprint.put(i.fingerprint(), i.id());
    evict();
  }

  Incident remove(String id) {
    Incident i = byId.remove(id);
    if (i != null) {
      idByFingerprint.remove(i.fingerprint(), id);
    }
    return i;
  }

  Collection<Incident> all() {
    return byId.values();
  }

  int size() {
    return byId.size();
  }

  private void evict() {
    if (byId.size() <= max) {
      return;
    }
    Comparator<Incident> oldest = Comparator.comparing(Incident::lastSeen);
    List<Incident> closed = byId.values().stream().filter(IncidentStore::closed).sorted(oldest).toList();
    List<Incident> open = byId.values().stream().filter(i -> !closed(i)).sorted(oldest).toList();
    List<Incident> order = new ArrayList<>(closed);
    order.addAll(open);
    for (int k = 0; byId.size() > max && k < order.size(); k++) {
      remove(order.get(k).id());
    }
  }

  static boolean closed(Incident i) {
    return i.status() == Incident.Status.FIXED || i.status() == Incident.Status.IGNORED;
  }

  /** The whole store as the file holds it. */
  byte[] serialize() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("nextId", nextId);
    root.put("incidents", byId.values().stream().map(IncidentStore::toMap).toList());
    return Json.pretty(root).getBytes(StandardCharsets.UTF_8);
  }

  static void write(Path file, byte[] bytes) throws IOException {
    AtomicFiles.write(file, bytes);
  }

  static Map<String, Object> toMap(Incident i) {
    return io.dockevos.common.internal.IncidentJson.of(i);
  }

  static Incident fromJson(JsonObject o) {
    Map<String, String> props = new LinkedHashMap<>();
    o.getJsonObject("properties").forEach((k, v) -> props.put(k, ((jakarta.json.JsonString) v).getString()));
    return new Incident(o.getString("id"), o.getString("fingerprint"), o.getString("source"), o.getString("summary"),
        o.isNull("detail") ? "" : o.getString("detail"), o.isNull("pluginId") ? null : o.getString("pluginId"),
        Incident.Severity.valueOf(o.getString("severity")), Incident.Status.valueOf(o.getString("status")),
        Instant.parse(o.getString("firstSeen")), Instant.parse(o.getString("lastSeen")), o.getInt("count"), props);
  }
}
