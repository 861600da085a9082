package io.dockevos.plugin.internal;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.InputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** JSON through jakarta.json (Parsson at run time), for the registry, feature files and {@code --json} output. */
final class Json {
  private static volatile JsonProvider provider;

  private Json() {}

  /** jakarta.json finds its provider (Parsson) through the context class loader. */
  static JsonProvider provider() {
    JsonProvider p = provider;
    if (p == null) {
      Thread t = Thread.currentThread();
      ClassLoader before = t.getContextClassLoader();
      t.setContextClassLoader(JsonProvider.class.getClassLoader());
      try {
        p = provider = JsonProvider.provider();
      } finally {
        t.setContextClassLoader(before);
      }
    }
    return p;
  }

  static JsonObject read(InputStream in) {
    try (JsonReader reader = provider().createReader(in)) {
      return reader.readObject();
    }
  }

  /** The {@code id} of each entry of a feature's {@code bundles}. */
  static List<String> bundleIds(InputStream in) {
    List<String> ids = new ArrayList<>();
    JsonArray bundles = read(in).getJsonArray("bundles");
    if (bundles != null) {
      for (JsonValue v : bundles) {
        if (v.getValueType() == JsonValue.ValueType.STRING) {
          ids.add(((jakarta.json.JsonString) v).getString());
        } else if (v.getValueType() == JsonValue.ValueType.OBJECT) {
          ids.add(((JsonObject) v).getString("id", ""));
        }
      }
    }
    return ids;
  }

  /** Converts maps, lists, records' values, numbers, booleans and strings; anything else becomes its string. */
  static JsonValue value(Object o) {
    JsonProvider p = provider();
    if (o == null) {
      return JsonValue.NULL;
    } else if (o instanceof JsonValue v) {
      return v;
    } else if (o instanceof Boolean b) {
      return b ? JsonValue.TRUE : JsonValue.FALSE;
    } else if (o instanceof Integer || o instanceof Long) {
      return p.createValue(((Number) o).longValue());
    } else if (o instanceof Number n) {
      return p.createValue(n.doubleValue());
    } else if (o instanceof Map<?, ?> m) {
      jakarta.json.JsonObjectBuilder b = p.createObjectBuilder();
      m.forEach((k, v) -> b.add(String.valueOf(k), value(v)));
      return b.build();
    } else if (o instanceof Collection<?> c) {
      jakarta.json.JsonArrayBuilder b = p.createArrayBuilder();
      c.forEach(v -> b.add(value(v)));
      return b.build();
    }
    return p.createValue(String.valueOf(o));
  }

  /** @return the value as indented JSON text */
  static String pretty(Object o) {
    StringWriter out = new StringWriter();
    try (jakarta.json.JsonWriter w = provider()
        .createWriterFactory(Map.of(jakarta.json.stream.JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
      JsonValue v = value(o);
      w.write(v);
    }
    return out.toString().strip();
  }
}
