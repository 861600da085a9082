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
   * @param replaced the bundles it updates or uninstalls
   * @param configurations the PIDs of the configurations it creates (an archive's), each recorded
   *     before it is created: undoing the plan deletes them
   */
  record Entry(String origin, String what, State state, List<String> locations, Map<String, String> sources,
      List<Replaced> replaced, List<String> configurations) {
    Entry(String origin, String what, State state, List<String> locations, Map<String, String> sources,
        List<Replaced> replaced) {
      this(origin, what, state, locations, sources, replaced, List.of());
    }

    Entry(String origin, String what, State state, List<String> locations, Map<String, String> sources) {
      this(origin, what, state, locations, sources, List.of());
    }

    /** @return this entry, with the PIDs of the configurations created so far */
    Entry creating(List<String> pids) {
      return new Entry(origin, what, state, locations, sources, replaced, List.copyOf(pids));
    }
  }

  /**
   * A bundle that the plan updates or uninstalls, with what undoing or completing that needs.
   *
   * @param uninstall whether the plan uninstalls it (else it updates it)
   * @param location its bundle location
   * @param name its symbolic name
   * @param previous a copy of its jar before the plan, or {@code null} when there is none to go back to
   * @param next a copy of the new jar (an update), kept as the plugin's copy when the plan commits
   * @param source the source recorded for it: the new one of an update
   * @param startLevel its start level
   * @param active whether it ran before the plan
   * @param data where its data area waits while it is uninstalled, or {@code null}
   * @param keepData whether an uninstall keeps its data and configurations
   * @param pids its configurations, deleted when an uninstall commits without keepData
   */
  record Replaced(boolean uninstall, String location, String name, String previous, String next, String source,
      int startLevel, boolean active, String data, boolean keepData, List<String> pids) {}

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
    List<Object> replaced = new ArrayList<>();
    for (Replaced r : e.replaced()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("op", r.uninstall() ? "UNINSTALL" : "UPDATE");
      x.put("location", r.location());
      x.put("name", r.name());
      x.put("previous", r.previous() == null ? JsonValue.NULL : r.previous());
      x.put("next", r.next() == null ? JsonValue.NULL : r.next());
      x.put("source", r.source() == null ? JsonValue.NULL : r.source());
      x.put("startLevel", r.startLevel());
      x.put("active", r.active());
      x.put("data", r.data() == null ? JsonValue.NULL : r.data());
      x.put("keepData", r.keepData());
      x.put("pids", r.pids());
      replaced.add(x);
    }
    o.put("replaced", replaced);
    o.put("configurations", e.configurations());
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
      List<Replaced> replaced = new ArrayList<>();
      jakarta.json.JsonArray r = o.getJsonArray("replaced");
      if (r != null) {
        for (JsonValue v : r) {
          JsonObject x = v.asJsonObject();
          List<String> pids = new ArrayList<>();
          x.getJsonArray("pids").forEach(p -> pids.add(((JsonString) p).getString()));
          replaced.add(new Replaced("UNINSTALL".equals(x.getString("op")), x.getString("location"),
              x.getString("name"), text(x, "previous"), text(x, "next"), text(x, "source"), x.getInt("startLevel"),
              x.getBoolean("active"), text(x, "data"), x.getBoolean("keepData"), pids));
        }
      }
      List<String> configurations = new ArrayList<>();
      jakarta.json.JsonArray c = o.getJsonArray("configurations");
      if (c != null) {
        c.forEach(p -> configurations.add(((JsonString) p).getString()));
      }
      return new Entry(o.getString("origin", "?"), o.getString("what", "?"), State.valueOf(o.getString("state")),
          locations, sources, replaced, configurations);
    } catch (RuntimeException e) {
      throw new IOException("the journal " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static String text(JsonObject o, String key) {
    return o.containsKey(key) && !o.isNull(key) ? o.getString(key) : null;
  }

  void delete() throws IOException {
    Files.deleteIfExists(file);
  }

  Path file() {
    return file;
  }
}
