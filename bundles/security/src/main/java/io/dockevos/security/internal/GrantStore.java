package io.dockevos.security.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import io.dockevos.security.Grant;
import io.dockevos.security.Permission;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grants, by the plugin's symbolic name, in one JSON file that only its owner can read,
 * replaced atomically on each change; and the permissions that plans being applied hold for a while
 * (provisional, in memory only). What each plugin holds is kept as a snapshot that the service hooks
 * read on every look-up without a lock.
 */
final class GrantStore {
  private static final Logger LOG = LoggerFactory.getLogger(GrantStore.class);

  private final Path file;
  private final Map<String, List<Grant>> grants = new LinkedHashMap<>();
  /** Permissions held while a plan is applied: one list for each open handle. */
  private final Map<String, List<List<Permission>>> provisional = new HashMap<>();
  /** What each plugin holds now, granted or provisional: the hooks' view. */
  private volatile Map<String, List<Permission>> held = Map.of();

  GrantStore(Path file) {
    this.file = file;
    load();
    snapshot();
  }

  Path file() {
    return file;
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      JsonObject root = Json.read(in);
      JsonObject plugins = root.getJsonObject("plugins");
      if (plugins == null) {
        return;
      }
      for (Map.Entry<String, JsonValue> e : plugins.entrySet()) {
        List<Grant> list = new ArrayList<>();
        for (JsonValue v : e.getValue().asJsonArray()) {
          JsonObject o = v.asJsonObject();
          List<Permission> perms = o.getJsonArray("permissions").getValuesAs(jakarta.json.JsonString.class).stream()
              .map(s -> Permission.parse(s.getString())).toList();
          list.add(new Grant(e.getKey(), perms, o.getString("by", "?"),
              Instant.ofEpochMilli(o.getJsonNumber("at").longValue()), o.getString("origin", "?")));
        }
        grants.put(e.getKey(), list);
      }
    } catch (IOException | RuntimeException e) {
      // Written by rename only: this is damage from outside. Plugins then hold nothing (the safe side): say so.
      grants.clear();
      Path broken = file.resolveSibling(file.getFileName() + ".broken");
      LOG.error("The permission grants {} cannot be read ({}); kept as {}. Plugins hold no permissions until they are"
          + " granted again (security:grant)", file, e.getMessage(), broken);
      try {
        Files.move(file, broken, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  /** @return what the plugin holds now: its grants and what a plan being applied lets it hold */
  List<Permission> held(String plugin) {
    return plugin == null ? List.of() : held.getOrDefault(plugin, List.of());
  }

  /** @return what was granted to the plugin and recorded, each once */
  synchronized List<Permission> granted(String plugin) {
    Set<Permission> result = new LinkedHashSet<>();
    grants.getOrDefault(plugin, List.of()).forEach(g -> result.addAll(g.permissions()));
    return List.copyOf(result);
  }

  synchronized List<Grant> grants(String plugin) {
    return List.copyOf(grants.getOrDefault(plugin, List.of()));
  }

  synchronized List<Grant> all() {
    List<Grant> result = new ArrayList<>();
    grants.values().forEach(result::addAll);
    return result;
  }

  /**
   * Records a grant of what the plugin does not hold yet as a grant of its own.
   *
   * @return the grant recorded, with only what it adds; {@code null} when it adds nothing
   */
  synchronized Grant add(String plugin, Collection<Permission> permissions, String by, String origin)
      throws IOException {
    List<Permission> adds = Permission.missing(granted(plugin), permissions);
    if (adds.isEmpty()) {
      return null;
    }
    Grant g = new Grant(plugin, adds, by, Instant.ofEpochMilli(System.currentTimeMillis()), origin);
    List<Grant> list = new ArrayList<>(grants.getOrDefault(plugin, List.of()));
    list.add(g);
    Map<String, List<Grant>> before = copy();
    grants.put(plugin, list);
    saveOrRestore(before);
    return g;
  }

  /**
   * Takes permissions back from every grant of the plugin.
   *
   * @param permissions as they were granted; empty for all
   * @return what was taken back
   * @throws IllegalArgumentException naming a permission the plugin holds as no grant of its own
   */
  synchronized List<Permission> remove(String plugin, Collection<Permission> permissions) throws IOException {
    List<Permission> granted = granted(plugin);
    List<Permission> taken = permissions.isEmpty() ? granted : List.copyOf(new LinkedHashSet<>(permissions));
    for (Permission p : taken) {
      if (!granted.contains(p)) {
        String through = granted.stream().filter(g -> g.implies(p)).map(Permission::toString).findFirst().orElse(null);
        throw new IllegalArgumentException(plugin + " holds no grant of " + p + (through != null
            ? "; it holds it through " + through + ": revoke that" : granted.isEmpty() ? "; it holds no grants"
            : "; it holds " + Permission.join(granted)));
      }
    }
    if (taken.isEmpty()) {
      return List.of();
    }
    Map<String, List<Grant>> before = copy();
    List<Grant> left = new ArrayList<>();
    for (Grant g : grants.getOrDefault(plugin, List.of())) {
      List<Permission> rest = g.permissions().stream().filter(p -> !taken.contains(p)).toList();
      if (!rest.isEmpty()) {
        left.add(new Grant(g.plugin(), rest, g.by(), g.at(), g.origin()));
      }
    }
    if (left.isEmpty()) {
      grants.remove(plugin);
    } else {
      grants.put(plugin, left);
    }
    saveOrRestore(before);
    return taken;
  }

  /** Lets the plugin hold the permissions until the returned handle runs. */
  synchronized Runnable hold(String plugin, Collection<Permission> permissions) {
    List<Permission> list = List.copyOf(permissions);
    provisional.computeIfAbsent(plugin, k -> new ArrayList<>()).add(list);
    snapshot();
    return () -> {
      synchronized (this) {
        List<List<Permission>> open = provisional.get(plugin);
        if (open != null && open.remove(list) && open.isEmpty()) {
          provisional.remove(plugin);
        }
        snapshot();
      }
    };
  }

  private Map<String, List<Grant>> copy() {
    Map<String, List<Grant>> c = new LinkedHashMap<>();
    grants.forEach((k, v) -> c.put(k, List.copyOf(v)));
    return c;
  }

  /** Writes the file; when it cannot be written, the change is undone, so that what is held is what is recorded. */
  private void saveOrRestore(Map<String, List<Grant>> before) throws IOException {
    try {
      save();
    } catch (IOException e) {
      grants.clear();
      grants.putAll(before);
      throw e;
    } finally {
      snapshot();
    }
  }

  private void snapshot() {
    Map<String, List<Permission>> s = new HashMap<>();
    Set<String> names = new LinkedHashSet<>(grants.keySet());
    names.addAll(provisional.keySet());
    for (String name : names) {
      Set<Permission> all = new LinkedHashSet<>();
      grants.getOrDefault(name, List.of()).forEach(g -> all.addAll(g.permissions()));
      provisional.getOrDefault(name, List.of()).forEach(all::addAll);
      s.put(name, List.copyOf(all));
    }
    held = Map.copyOf(s);
  }

  private void save() throws IOException {
    Map<String, Object> plugins = new LinkedHashMap<>();
    grants.forEach((plugin, list) -> plugins.put(plugin, list.stream().map(g -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("permissions", g.permissions().stream().map(Permission::toString).toList());
      o.put("by", g.by());
      o.put("at", g.at().toEpochMilli());
      o.put("origin", g.origin());
      return o;
    }).toList()));
    AtomicFiles.write(file, (Json.pretty(Map.of("version", 1, "plugins", plugins)) + "\n")
        .getBytes(StandardCharsets.UTF_8), true);
  }
}
