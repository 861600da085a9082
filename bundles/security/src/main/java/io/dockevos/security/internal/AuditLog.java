package io.dockevos.security.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import io.dockevos.security.AuditEntry;
import io.dockevos.security.Permission;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit of permission decisions: one JSON object a line in {@code data/security/audit.jsonl},
 * appended and synced for each decision, readable by its owner only. A line cut short by a kill is
 * skipped when the file is read.
 */
final class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private final Path file;
  /**
   * The last decision about each plugin, to audit a repeated denial once; read from the file at the
   * first denial, not at start (the audit only grows).
   */
  private Map<String, AuditEntry> last;

  AuditLog(Path file) {
    this.file = file;
  }

  private Map<String, AuditEntry> last() {
    if (last == null) {
      last = new HashMap<>();
      for (AuditEntry e : read()) {
        last.put(e.plugin(), e);
      }
    }
    return last;
  }

  Path file() {
    return file;
  }

  /** @return whether {@code e} repeats the last decision about its plugin (the same denial, from the same origin) */
  synchronized boolean repeats(AuditEntry e) {
    AuditEntry before = last().get(e.plugin());
    return before != null && before.decision() == e.decision() && before.permissions().equals(e.permissions())
        && java.util.Objects.equals(before.origin(), e.origin());
  }

  synchronized void append(AuditEntry e) throws IOException {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("time", e.time().toEpochMilli());
    o.put("plugin", e.plugin());
    o.put("permissions", e.permissions().stream().map(Permission::toString).toList());
    o.put("decision", e.decision().name());
    o.put("by", e.by());
    o.put("origin", e.origin());
    if (e.reason() != null) {
      o.put("reason", e.reason());
    }
    byte[] line = (Json.value(o).toString() + "\n").getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(file.getParent());
    boolean posix = AtomicFiles.posix(file.getParent());
    FileAttribute<?>[] attrs = posix && !Files.exists(file)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND), attrs)) {
      out.write(ByteBuffer.wrap(line));
      out.force(true);
    }
    if (last != null) {
      last.put(e.plugin(), e);
    }
  }

  /** @return every decision recorded, oldest first */
  synchronized List<AuditEntry> read() {
    List<AuditEntry> result = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return result;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.error("The permission audit {} cannot be read: {}", file, e.toString());
      return result;
    }
    int skipped = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonObject o = Json.read(new StringReader(line));
        result.add(new AuditEntry(Instant.ofEpochMilli(o.getJsonNumber("time").longValue()), o.getString("plugin"),
            o.getJsonArray("permissions").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(s -> Permission.parse(s.getString())).toList(),
            AuditEntry.Decision.valueOf(o.getString("decision")), o.getString("by", "?"), o.getString("origin", "?"),
            o.containsKey("reason") && !o.isNull("reason") ? o.getString("reason") : null));
      } catch (RuntimeException e) {
        skipped++; // a line a kill cut short
      }
    }
    if (skipped > 0) {
      LOG.warn("{} line(s) of the permission audit {} cannot be read and are left out", skipped, file);
    }
    return result;
  }
}
