package io.dockevos.feature.internal;

import io.dockevos.common.internal.AtomicFiles;

import io.dockevos.common.internal.Json;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the feature manager installed, and the repositories it knows, in {@code data/features/}:
 * {@code registry.json}, replaced atomically on each change so that a kill at any moment leaves
 * the old or the new file, and a copy of each installed feature's file in {@code installed/}, so
 * that an installed feature can be shown and uninstalled after its file is gone.
 */
final class FeatureRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureRegistry.class);

  /** One bundle of an installed feature; {@code owned} when the feature installed it. */
  record Bundle(String id, String symbolicName, String version, boolean owned) {
    Bundle withOwned(boolean o) {
      return new Bundle(id, symbolicName, version, o);
    }

    boolean sameBundle(String bsn, String v) {
      return symbolicName.equals(bsn) && version.equals(v);
    }
  }

  /** One installed feature. */
  record Installed(String id, String name, String version, String source, String digest, Instant installed,
      List<Bundle> bundles, List<String> configurations) {
    Installed withBundles(List<Bundle> b) {
      return new Installed(id, name, version, source, digest, installed, List.copyOf(b), configurations);
    }
  }

  private final Path dir;
  private final Path file;
  private final Map<String, Installed> installed = new LinkedHashMap<>();
  private final List<String> repositories = new ArrayList<>();
  private Pending pending;

  /** Sources and repositories inside the home, stored relative to it (a copied or moved home reads its own). */
  private final io.dockevos.common.internal.HomePaths paths;

  FeatureRegistry(Path dir) {
    this(dir, null);
  }

  /** A plain path (as the deploy folder and feature:install FILE give it) inside the home, relative; a URL as it is. */
  private String stored(String source) {
    return source == null || URL.matcher(source).matches() ? source : paths.stored(source);
  }

  private String shown(String source) {
    return source == null || URL.matcher(source).matches() ? source : paths.shown(source);
  }

  private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");

  FeatureRegistry(Path dir, Path home) {
    this.dir = dir;
    this.paths = new io.dockevos.common.internal.HomePaths(home);
    this.file = dir.resolve("registry.json");
    load();
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonObject root = Json.read(in);
      for (JsonValue v : root.getJsonArray("repositories")) {
        repositories.add(shown(((JsonString) v).getString()));
      }
      for (JsonValue v : root.getJsonArray("installed")) {
        JsonObject o = v.asJsonObject();
        List<Bundle> bundles = new ArrayList<>();
        for (JsonValue b : o.getJsonArray("bundles")) {
          JsonObject bo = b.asJsonObject();
          bundles.add(new Bundle(bo.getString("id"), bo.getString("symbolicName"), bo.getString("version"),
              bo.getBoolean("owned")));
        }
        List<String> configs = o.getJsonArray("configurations").getValuesAs(JsonString::getString);
        Installed i = new Installed(o.getString("id"), o.getString("name"), o.getString("version"),
            shown(o.getString("source")), o.getString("digest"), Instant.ofEpochMilli(o.getJsonNumber("installed").longValue()),
            List.copyOf(bundles), List.copyOf(configs));
        installed.put(i.id(), i);
      }
      JsonObject p = root.getJsonObject("pending");
      if (p != null) {
        pending = new Pending(p.getString("feature"), p.getJsonArray("bundles").getValuesAs(JsonString::getString),
            p.getJsonArray("configurations").getValuesAs(JsonString::getString));
      }
    } catch (IOException | RuntimeException e) {
      // Written by rename only, so this is damage from outside: say so, keep a copy, start empty.
      Path broken = file.resolveSibling(file.getFileName() + ".broken");
      LOG.error("The feature registry {} cannot be read ({}); kept as {}, starting with no features installed", file,
          e.toString(), broken);
      installed.clear();
      repositories.clear();
      pending = null;
      try {
        Files.move(file, broken, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  synchronized List<Installed> installed() {
    return List.copyOf(installed.values());
  }

  synchronized Optional<Installed> get(String id) {
    return Optional.ofNullable(installed.get(id));
  }

  /** Records an installed feature, and that its install ended, and keeps a copy of its file. */
  synchronized void put(Installed feature, String text) throws IOException {
    Files.createDirectories(dir.resolve("installed"));
    AtomicFiles.write(copy(feature.id()), text.getBytes(StandardCharsets.UTF_8));
    installed.put(feature.id(), feature);
    Pending before = pending;
    pending = null;
    try {
      save();
    } catch (IOException e) {
      installed.remove(feature.id());
      pending = before;
      throw e;
    }
  }

  synchronized void update(Installed feature) throws IOException {
    installed.put(feature.id(), feature);
    save();
  }

  synchronized void remove(String id) throws IOException {
    if (installed.remove(id) != null) {
      save();
    }
    Files.deleteIfExists(copy(id));
  }

  /** @return the copy of an installed feature's file */
  Path copy(String id) {
    return dir.resolve("installed").resolve(id.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
  }

  synchronized List<String> repositories() {
    return List.copyOf(repositories);
  }

  synchronized void addRepository(String uri) throws IOException {
    if (!repositories.contains(uri)) {
      repositories.add(uri);
      save();
    }
  }

  synchronized boolean removeRepository(String uri) throws IOException {
    boolean removed = repositories.remove(uri);
    if (removed) {
      save();
    }
    return removed;
  }

  /**
   * What an install under way adds: its bundles (each by its location, or by {@code name version}
   * when it is the plan's, which installs no bundle that is there already) and the PIDs of the
   * configurations it created, kept in the registry until the install ends (in the same
   * write that records the installed feature), so that an install cut short by a crash or a kill is
   * undone at the next start.
   */
  record Pending(String feature, List<String> bundles, List<String> configurations) {}

  /** Records what the install under way has added so far. */
  synchronized void pending(Pending p) throws IOException {
    pending = p;
    save();
  }

  synchronized Optional<Pending> pending() {
    return Optional.ofNullable(pending);
  }

  /** The install under way ended (and was undone if it failed). */
  synchronized void donePending() {
    if (pending != null) {
      pending = null;
      try {
        save();
      } catch (IOException e) {
        LOG.error("Cannot write the feature registry {}: {}", file, e.toString());
      }
    }
  }

  /** Where the copy of a repository that is a URL is kept. */
  Path cached(String uri) {
    return dir.resolve("repositories").resolve(Integer.toHexString(uri.hashCode()) + "-"
        + uri.replaceAll("^.*/", "").replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  private void save() throws IOException {
    List<Object> features = new ArrayList<>();
    for (Installed i : installed.values()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", i.id());
      o.put("name", i.name());
      o.put("version", i.version());
      o.put("source", stored(i.source()));
      o.put("digest", i.digest());
      o.put("installed", i.installed().toEpochMilli());
      List<Object> bundles = new ArrayList<>();
      for (Bundle b : i.bundles()) {
        Map<String, Object> bo = new LinkedHashMap<>();
        bo.put("id", b.id());
        bo.put("symbolicName", b.symbolicName());
        bo.put("version", b.version());
        bo.put("owned", b.owned());
        bundles.add(bo);
      }
      o.put("bundles", bundles);
      o.put("configurations", i.configurations());
      features.add(o);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", 1);
    root.put("repositories", repositories.stream().map(this::stored).toList());
    root.put("installed", features);
    if (pending != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("feature", pending.feature());
      p.put("bundles", pending.bundles());
      p.put("configurations", pending.configurations());
      root.put("pending", p);
    }
    AtomicFiles.write(file, (Json.pretty(root) + "\n").getBytes(StandardCharsets.UTF_8));
  }

}
