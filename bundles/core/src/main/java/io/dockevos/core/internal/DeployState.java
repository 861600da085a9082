package io.dockevos.core.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the deploy folder installed, kept in {@code data/deploy.json} so that a restart (or a kill)
 * can tell a file replaced while the runtime was down from the one its bundle came from: the size
 * and time of each jar as it was installed, and whether its bundle was seen running.
 */
final class DeployState {
  private static final Logger LOG = LoggerFactory.getLogger(DeployFolder.class);

  /** A jar's size and modification time. */
  record Stamp(long size, long modified) {}

  /** What was installed from one file. */
  record Entry(Stamp stamp, boolean started) {}

  private final Path file;
  private final Map<String, Entry> entries = new TreeMap<>();
  private boolean dirty;

  DeployState(Path file) {
    this.file = file;
    try (InputStream in = Files.newInputStream(file)) {
      JsonObject root = Json.read(in);
      JsonObject files = root.getJsonObject("files");
      for (Map.Entry<String, JsonValue> e : files == null ? Set.<Map.Entry<String, JsonValue>>of() : files.entrySet()) {
        JsonObject o = e.getValue().asJsonObject();
        entries.put(e.getKey(), new Entry(new Stamp(number(o, "size"), number(o, "modified")),
            o.getBoolean("started", false)));
      }
    } catch (NoSuchFileException e) {
      // the first start
    } catch (IOException | RuntimeException e) {
      // A state that cannot be read is rebuilt from the bundles and their times (DeployFolder#reconcile).
      LOG.warn("Cannot read {} ({}); comparing deploy/ with the bundles' own times instead", file, e.toString());
    }
  }

  private static long number(JsonObject o, String key) {
    return o.get(key) instanceof JsonNumber n ? n.longValue() : -1;
  }

  synchronized Entry get(String name) {
    return entries.get(name);
  }

  synchronized Set<String> names() {
    return Set.copyOf(entries.keySet());
  }

  synchronized void put(String name, Stamp stamp, boolean started) {
    Entry e = new Entry(stamp, started);
    if (!e.equals(entries.put(name, e))) {
      dirty = true;
    }
  }

  synchronized void started(String name) {
    Entry e = entries.get(name);
    if (e != null && !e.started()) {
      entries.put(name, new Entry(e.stamp(), true));
      dirty = true;
    }
  }

  synchronized void remove(String name) {
    if (entries.remove(name) != null) {
      dirty = true;
    }
  }

  /** Writes the state if it changed, atomically. */
  synchronized void save() {
    if (!dirty) {
      return;
    }
    Map<String, Object> files = new LinkedHashMap<>();
    entries.forEach((name, e) -> files.put(name, Map.of("size", e.stamp().size(), "modified", e.stamp().modified(),
        "started", e.started())));
    try {
      AtomicFiles.write(file, (Json.pretty(Map.of("files", files)) + "\n").getBytes(StandardCharsets.UTF_8));
      dirty = false;
    } catch (IOException e) {
      LOG.error("Cannot write {}: {}", file, e.toString());
    }
  }
}
