package io.dockevos.plugin.internal.repo;

import io.dockevos.common.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The features of {@code system/features/} that name each jar of {@code system/}. */
final class Features {
  private final Path system;
  /** The names, sizes and times of the feature files last read, so that they are read again only when one changed. */
  private String signature = "";
  private Map<Path, List<String>> byFile = Map.of();

  Features(Path system) {
    this.system = system;
  }

  /** @return the features that name the jar, by name; empty when none does */
  synchronized List<String> naming(Path jar) {
    return byFile.getOrDefault(jar, List.of());
  }

  /** Reads the feature files again when one was added, changed or removed; @return whether one was */
  synchronized boolean refresh() {
    List<Path> files = files();
    StringBuilder s = new StringBuilder();
    for (Path f : files) {
      try {
        s.append(f).append(' ').append(Files.size(f)).append(' ').append(Files.getLastModifiedTime(f).toMillis())
            .append('\n');
      } catch (IOException e) {
        s.append(f).append(" ?\n");
      }
    }
    if (s.toString().equals(signature)) {
      return false;
    }
    signature = s.toString();
    Map<Path, List<String>> result = new HashMap<>();
    for (Path f : files) {
      String feature = f.getFileName().toString().replaceFirst("\\.json$", "");
      try (InputStream in = Files.newInputStream(f)) {
        for (String id : bundleIds(in)) {
          String[] gav = id.split(":");
          if (gav.length >= 3) {
            Path jar = system.resolve(gav[0].replace('.', '/') + "/" + gav[1] + "/" + gav[2] + "/" + gav[1] + "-"
                + gav[2] + ".jar").toAbsolutePath().normalize();
            result.computeIfAbsent(jar, k -> new ArrayList<>()).add(feature);
          }
        }
      } catch (IOException | RuntimeException e) {
        // a broken feature file is reported where features are read
      }
    }
    byFile = result;
    return true;
  }

  private List<Path> files() {
    Path dir = system == null ? null : system.resolve("features");
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The {@code id} of each entry of a feature's {@code bundles}. */
  private static List<String> bundleIds(InputStream in) {
    List<String> ids = new ArrayList<>();
    jakarta.json.JsonArray bundles = Json.read(in).getJsonArray("bundles");
    if (bundles != null) {
      for (jakarta.json.JsonValue v : bundles) {
        if (v.getValueType() == jakarta.json.JsonValue.ValueType.STRING) {
          ids.add(((jakarta.json.JsonString) v).getString());
        } else if (v.getValueType() == jakarta.json.JsonValue.ValueType.OBJECT) {
          ids.add(((jakarta.json.JsonObject) v).getString("id", ""));
        }
      }
    }
    return ids;
  }
}
