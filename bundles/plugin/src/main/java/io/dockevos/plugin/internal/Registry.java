package io.dockevos.plugin.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the plugin manager knows of each plugin beyond the framework's own state, by bundle
 * location: where it came from, when, whether it is disabled, and why it last failed. Kept in one
 * JSON file, replaced atomically on each change, so that a kill at any moment leaves either the old
 * or the new file.
 *
 * <p>A source that is a file inside the home is stored relative to the home and read back against
 * the home the runtime runs in, so that a copied or moved home reads its own files; in memory, and
 * to the user, it is the absolute path. Other sources are stored as they are.
 */
final class Registry {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  /**
   * One plugin's record. {@code pending} marks a plugin whose install has not finished: if the
   * runtime stops before it does (a kill), the next start removes it, as a failed install would.
   */
  record Entry(String source, Instant installed, Instant updated, boolean disabled, String reason, boolean pending) {
    Entry(String source, Instant installed, Instant updated, boolean disabled, String reason) {
      this(source, installed, updated, disabled, reason, false);
    }

    Entry withSource(String s) {
      return new Entry(s, installed, updated, disabled, reason, pending);
    }

    Entry withUpdated(Instant t) {
      return new Entry(source, installed, t, disabled, reason, pending);
    }

    Entry withDisabled(boolean d) {
      return new Entry(source, installed, updated, d, reason, pending);
    }

    Entry withReason(String r) {
      return new Entry(source, installed, updated, disabled, r, pending);
    }

    Entry withPending(boolean p) {
      return new Entry(source, installed, updated, disabled, reason, p);
    }
  }

  private final Path file;
  /** Sources inside the home, stored relative to it. */
  private final io.dockevos.common.internal.HomePaths paths;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  Registry(Path file) {
    this(file, null);
  }

  Registry(Path file, Path home) {
    this.file = file;
    this.paths = new io.dockevos.common.internal.HomePaths(home);
    load();
  }

  /** @return a source as it is kept in the file: a file inside the home relative to it, anything else as it is */
  String stored(String source) {
    return paths.stored(source);
  }

  /** @return a source as it is used and shown: a file inside the home as its absolute path, anything else as it is */
  String shown(String source) {
    return paths.shown(source);
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      JsonObject root = Json.read(in);
      JsonObject plugins = root.getJsonObject("plugins");
      if (plugins != null) {
        plugins.forEach((location, v) -> {
          JsonObject o = (JsonObject) v;
          entries.put(location, new Entry(shown(o.getString("source", location)), instant(o, "installed"),
              instant(o, "updated"), o.getBoolean("disabled", false), o.isNull("reason") || !o.containsKey("reason")
                  ? null : o.getString("reason"), o.getBoolean("pending", false)));
        });
      }
    } catch (IOException | RuntimeException e) {
      // The file is written by rename only, so this is damage from outside: say so, keep a copy, start empty.
      Path broken = file.resolveSibling(file.getFileName() + ".broken");
      LOG.error("The plugin registry {} cannot be read ({}); kept as {}, starting with an empty registry", file,
          e.getMessage(), broken);
      try {
        Files.move(file, broken, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  private static Instant instant(JsonObject o, String key) {
    return o.containsKey(key) && !o.isNull(key) ? Instant.ofEpochMilli(o.getJsonNumber(key).longValue()) : null;
  }

  synchronized Entry get(String location) {
    return entries.get(location);
  }

  synchronized void put(String location, Entry entry) {
    entries.put(location, entry.withSource(shown(entry.source())));
    save();
  }

  /** Records several plugins with one write of the file. */
  synchronized void putAll(Map<String, Entry> more) {
    if (!more.isEmpty()) {
      more.forEach((location, e) -> entries.put(location, e.withSource(shown(e.source()))));
      save();
    }
  }

  /** Records and forgets plugins with one write of the file. */
  synchronized void change(Map<String, Entry> put, java.util.Collection<String> remove) {
    boolean changed = !put.isEmpty();
    put.forEach((location, e) -> entries.put(location, e.withSource(shown(e.source()))));
    for (String location : remove) {
      changed |= entries.remove(location) != null;
    }
    if (changed) {
      save();
    }
  }

  synchronized void remove(String location) {
    if (entries.remove(location) != null) {
      save();
    }
  }

  synchronized Map<String, Entry> all() {
    return Map.copyOf(entries);
  }

  private void save() {
    Map<String, Object> plugins = new LinkedHashMap<>();
    entries.forEach((location, e) -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("source", stored(e.source()));
      o.put("installed", e.installed() == null ? null : e.installed().toEpochMilli());
      o.put("updated", e.updated() == null ? null : e.updated().toEpochMilli());
      o.put("disabled", e.disabled());
      o.put("reason", e.reason() == null ? JsonValue.NULL : e.reason());
      if (e.pending()) {
        o.put("pending", true);
      }
      plugins.put(location, o);
    });
    try {
      AtomicFiles.write(file, (Json.pretty(Map.of("version", 1, "plugins", plugins)) + "\n")
          .getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.error("Cannot write the plugin registry {}: {}", file, e.toString());
    }
  }
}
