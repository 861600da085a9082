package io.dockevos.assist.internal;

import io.dockevos.assist.AppliedFix;
import io.dockevos.assist.Risk;
import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every applied fix, in {@code data/assist/fixes.json}: the last {@code size} kept, the whole file
 * replaced atomically on each fix, so that a kill at any moment leaves the old list or the new one.
 * Read at its first use, not at start.
 */
final class FixHistory {
  private static final Logger LOG = LoggerFactory.getLogger(FixHistory.class);
  private final Path file;
  private final int size;
  private List<AppliedFix> entries;

  FixHistory(Path file, int size) {
    this.file = file;
    this.size = Math.max(1, size);
  }

  int size() {
    return size;
  }

  Path file() {
    return file;
  }

  synchronized List<AppliedFix> all() {
    return List.copyOf(loaded());
  }

  synchronized void add(AppliedFix fix) {
    List<AppliedFix> list = loaded();
    list.add(fix);
    while (list.size() > size) {
      list.remove(0);
    }
    List<Map<String, Object>> json = new ArrayList<>();
    for (AppliedFix f : list) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", f.at().toString());
      m.put("incident", f.incidentId());
      m.put("fix", f.fix());
      m.put("risk", f.risk().name());
      m.put("by", f.by());
      m.put("worked", f.worked());
      m.put("rolledBack", f.rolledBack());
      m.put("result", f.result());
      json.add(m);
    }
    try {
      AtomicFiles.write(file, (Json.pretty(Map.of("fixes", json)) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.error("Cannot write the fix history {}: {}", file, e.toString());
    }
  }

  private List<AppliedFix> loaded() {
    if (entries == null) {
      entries = new ArrayList<>();
      if (Files.isRegularFile(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          for (JsonValue v : Json.read(in).getJsonArray("fixes")) {
            JsonObject o = v.asJsonObject();
            entries.add(new AppliedFix(Instant.parse(o.getString("at")), o.getString("incident", ""),
                o.getString("fix", ""), Risk.valueOf(o.getString("risk", "SAFE")), o.getString("by", ""),
                o.getBoolean("worked", false), o.getBoolean("rolledBack", false), o.getString("result", "")));
          }
        } catch (IOException | RuntimeException e) {
          LOG.error("The fix history {} cannot be read ({}); it starts anew, and the old file is kept as {}.bad", file,
              e.toString(), file.getFileName());
          try {
            Files.move(file, file.resolveSibling(file.getFileName() + ".bad"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          } catch (IOException ignored) {
            // it is overwritten at the next fix
          }
          entries.clear();
        }
      }
      while (entries.size() > size) {
        entries.remove(0);
      }
    }
    return entries;
  }
}
