package io.dockevos.plugin.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The install pipeline's journal ({@code data/plugins/journal.json}): written before a plan touches
 * the framework and again before its registry write, deleted when the plan is done. After a kill
 * the next start reads it: a plan that was {@link State#APPLYING} is undone (every bundle it
 * installed is removed), one that was {@link State#COMMITTING} is completed (its registry entries
 * are written).
 */
final class Journal {
  enum State {
    APPLYING, COMMITTING
  }

  /**
   * What the journal holds.
   *
   * @param origin who asked for the plan
   * @param what the sources the change named, for the log
   * @param state how far it got
   * @param locations the location of every bundle the plan installs
   * @param sources the source recorded for each location (COMMITTING only)
   */
  record Entry(String origin, String what, State state, List<String> locations, Map<String, String> sources) {}

  private final Path file;

  Journal(Path file) {
    this.file = file;
  }

  void write(Entry e) throws IOException {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("version", 1);
    o.put("origin", e.origin());
    o.put("what", e.what());
    o.put("state", e.state().name());
    o.put("locations", e.locations());
    o.put("sources", e.sources());
    AtomicFiles.write(file, (Json.pretty(o) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** @return the journal of a plan that did not finish, if there is one */
  Entry read() throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(file)) {
      JsonObject o = Json.read(in);
      List<String> locations = new ArrayList<>();
      for (JsonValue v : o.getJsonArray("locations")) {
        locations.add(((JsonString) v).getString());
      }
      Map<String, String> sources = new LinkedHashMap<>();
      JsonObject s = o.getJsonObject("sources");
      if (s != null) {
        s.forEach((k, v) -> sources.put(k, ((JsonString) v).getString()));
      }
      return new Entry(o.getString("origin", "?"), o.getString("what", "?"), State.valueOf(o.getString("state")), locations, sources);
    } catch (RuntimeException e) {
      throw new IOException("the journal " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  void delete() throws IOException {
    Files.deleteIfExists(file);
  }

  Path file() {
    return file;
  }
}
