package io.dockevos.plugin.internal.repo;

import io.dockevos.common.internal.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Version;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

/**
 * The index of a folder on disk, in a compact binary form: every jar seen (its path, size and time,
 * and whether it is a bundle) with the capabilities and requirements of the bundles, each string
 * written once. It is the same model as an R5 index, but an R5 XML index of 5,000 bundles is 13 MB
 * that bnd's parser reads in seconds, where this one is read in a fraction of that.
 */
final class IndexCache {
  private static final int MAGIC = 0x444b5258; // DKRX
  private static final int FORMAT = 2;
  private static final byte STRING = 0;
  private static final byte VERSION = 1;
  private static final byte LONG = 2;
  private static final byte DOUBLE = 3;
  private static final byte LIST = 4;

  private IndexCache() {}

  /** What the file holds: the jars seen, and the modification time of every folder walked. */
  record Loaded(Map<Path, FolderRepository.Entry> entries, Map<Path, Long> dirs) {}

  static void write(Path file, Path root, Map<Path, FolderRepository.Entry> entries, Map<Path, Long> dirs)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    Writer w = new Writer(new DataOutputStream(bytes));
    w.out.writeInt(MAGIC);
    w.out.writeInt(FORMAT);
    w.string(root.toString());
    w.out.writeInt(dirs.size());
    for (Map.Entry<Path, Long> d : dirs.entrySet()) {
      w.string(root.relativize(d.getKey()).toString());
      w.out.writeLong(d.getValue());
    }
    w.out.writeInt(entries.size());
    for (Map.Entry<Path, FolderRepository.Entry> e : entries.entrySet()) {
      FolderRepository.Entry v = e.getValue();
      w.string(root.relativize(e.getKey()).toString());
      w.out.writeLong(v.size());
      w.out.writeLong(v.modified());
      Resource r = v.resource();
      w.out.writeBoolean(r != null);
      if (r != null) {
        List<Capability> caps = r.getCapabilities(null);
        w.out.writeInt(caps.size());
        for (Capability c : caps) {
          w.string(c.getNamespace());
          w.map(c.getAttributes());
          w.strings(c.getDirectives());
        }
        List<Requirement> reqs = r.getRequirements(null);
        w.out.writeInt(reqs.size());
        for (Requirement q : reqs) {
          w.string(q.getNamespace());
          w.map(q.getAttributes());
          w.strings(q.getDirectives());
        }
      }
    }
    w.out.flush();
    AtomicFiles.write(file, bytes.toByteArray());
  }

  /** @return the entries, or {@code null} when the file is missing, of another format or of another root */
  static Loaded read(Path file, Path root) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 256 * 1024)) {
      Reader r = new Reader(new DataInputStream(in));
      if (r.in.readInt() != MAGIC || r.in.readInt() != FORMAT || !r.string().equals(root.toString())) {
        return null;
      }
      int d = r.in.readInt();
      Map<Path, Long> dirs = new HashMap<>(d * 2);
      for (int i = 0; i < d; i++) {
        dirs.put(root.resolve(r.string()), r.in.readLong());
      }
      int n = r.in.readInt();
      Map<Path, FolderRepository.Entry> result = new HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        Path p = root.resolve(r.string());
        long size = r.in.readLong();
        long modified = r.in.readLong();
        Resource resource = null;
        if (r.in.readBoolean()) {
          Light.Res res = new Light.Res();
          int caps = r.in.readInt();
          List<Capability> cl = new ArrayList<>(caps);
          for (int k = 0; k < caps; k++) {
            cl.add(new Light.Cap(r.string(), r.map(), r.strings(), res));
          }
          int reqs = r.in.readInt();
          List<Requirement> rl = new ArrayList<>(reqs);
          for (int k = 0; k < reqs; k++) {
            rl.add(new Light.Req(r.string(), r.map(), r.strings(), res));
          }
          res.set(cl, rl);
          resource = res;
        }
        result.put(p, new FolderRepository.Entry(size, modified, resource));
      }
      return new Loaded(result, dirs);
    }
  }

  private static final class Writer {
    final DataOutputStream out;
    final Map<String, Integer> ids = new HashMap<>();

    Writer(DataOutputStream out) {
      this.out = out;
    }

    /** A string seen before is its number; a new one is -1 and its text. */
    void string(String s) throws IOException {
      Integer id = ids.get(s);
      if (id != null) {
        out.writeInt(id);
      } else {
        ids.put(s, ids.size());
        out.writeInt(-1);
        out.writeUTF(s);
      }
    }

    void strings(Map<String, String> m) throws IOException {
      out.writeShort(m.size());
      for (Map.Entry<String, String> e : m.entrySet()) {
        string(e.getKey());
        string(e.getValue());
      }
    }

    void map(Map<String, Object> m) throws IOException {
      out.writeShort(m.size());
      for (Map.Entry<String, Object> e : m.entrySet()) {
        string(e.getKey());
        value(e.getValue());
      }
    }

    void value(Object v) throws IOException {
      if (v instanceof Version) {
        out.writeByte(VERSION);
        string(v.toString());
      } else if (v instanceof Long || v instanceof Integer) {
        out.writeByte(LONG);
        out.writeLong(((Number) v).longValue());
      } else if (v instanceof Double || v instanceof Float) {
        out.writeByte(DOUBLE);
        out.writeDouble(((Number) v).doubleValue());
      } else if (v instanceof Collection<?> c) {
        out.writeByte(LIST);
        out.writeInt(c.size());
        for (Object each : c) {
          value(each);
        }
      } else {
        out.writeByte(STRING);
        string(String.valueOf(v));
      }
    }
  }

  private static final class Reader {
    final DataInputStream in;
    final List<String> strings = new ArrayList<>();
    final Map<String, Version> versions = new HashMap<>();

    Reader(DataInputStream in) {
      this.in = in;
    }

    String string() throws IOException {
      int id = in.readInt();
      if (id >= 0) {
        return strings.get(id);
      }
      String s = in.readUTF();
      strings.add(s);
      return s;
    }

    Map<String, String> strings() throws IOException {
      int n = in.readShort();
      if (n == 0) {
        return Map.of();
      }
      Map<String, String> m = new LinkedHashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        m.put(string(), string());
      }
      return Collections.unmodifiableMap(m);
    }

    Map<String, Object> map() throws IOException {
      int n = in.readShort();
      if (n == 0) {
        return Map.of();
      }
      Map<String, Object> m = new LinkedHashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        m.put(string(), value());
      }
      return Collections.unmodifiableMap(m);
    }

    Object value() throws IOException {
      byte tag = in.readByte();
      switch (tag) {
        case VERSION:
          return versions.computeIfAbsent(string(), Version::parseVersion);
        case LONG:
          return in.readLong();
        case DOUBLE:
          return in.readDouble();
        case LIST: {
          int n = in.readInt();
          List<Object> l = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            l.add(value());
          }
          return Collections.unmodifiableList(l);
        }
        case STRING:
          return string();
        default:
          throw new IOException("unknown value tag " + tag);
      }
    }
  }
}
