package io.dockevos.common.internal;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Map;

/** JSON through jakarta.json (Parsson, on the framework class path): registries, feature files and {@code --json} output. */
public final class Json {
  private static volatile JsonProvider provider;

  private Json() {}

  /** jakarta.json finds its provider (Parsson) through the context class loader. */
  public static JsonProvider provider() {
    JsonProvider p = provider;
    if (p == null) {
      try (ProviderLoader l = providerLoader()) {
        p = provider = JsonProvider.provider();
      }
    }
    return p;
  }

  /** Sets the context class loader back when closed. */
  public static final class ProviderLoader implements AutoCloseable {
    private final ClassLoader before;

    private ProviderLoader(ClassLoader before) {
      this.before = before;
    }

    @Override
    public void close() {
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  /**
   * Lets code that looks jakarta.json up by itself (the Felix Feature Service and cm.json call
   * {@code Json.createReader}) find Parsson, until the result is closed.
   */
  public static ProviderLoader providerLoader() {
    Thread t = Thread.currentThread();
    ProviderLoader l = new ProviderLoader(t.getContextClassLoader());
    t.setContextClassLoader(JsonProvider.class.getClassLoader());
    return l;
  }

  public static JsonObject read(Reader in) {
    try (JsonReader reader = provider().createReader(in)) {
      return reader.readObject();
    }
  }

  public static JsonObject read(InputStream in) {
    try (JsonReader reader = provider().createReader(in)) {
      return reader.readObject();
    }
  }

  /**
   * Converts maps, collections, arrays, numbers, booleans, strings and JSON values; anything else
   * becomes its string.
   */
  public static JsonValue value(Object o) {
    JsonProvider p = provider();
    if (o == null) {
      return JsonValue.NULL;
    } else if (o instanceof JsonValue v) {
      return v;
    } else if (o instanceof Boolean b) {
      return b ? JsonValue.TRUE : JsonValue.FALSE;
    } else if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
      return p.createValue(((Number) o).longValue());
    } else if (o instanceof java.math.BigDecimal d) {
      return p.createValue(d);
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
    } else if (o.getClass().isArray()) {
      jakarta.json.JsonArrayBuilder b = p.createArrayBuilder();
      for (int i = 0; i < java.lang.reflect.Array.getLength(o); i++) {
        b.add(value(java.lang.reflect.Array.get(o, i)));
      }
      return b.build();
    }
    return p.createValue(String.valueOf(o));
  }

  /** @return the JSON value as Java: maps (in order), lists, strings, longs or doubles, booleans, null */
  @SuppressWarnings("unchecked")
  public static <T> T toJava(JsonValue v) {
    return (T) switch (v.getValueType()) {
      case OBJECT -> {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        v.asJsonObject().forEach((k, x) -> m.put(k, toJava(x)));
        yield m;
      }
      case ARRAY -> v.asJsonArray().stream().map(Json::toJava).toList();
      case STRING -> ((jakarta.json.JsonString) v).getString();
      case NUMBER -> {
        jakarta.json.JsonNumber n = (jakarta.json.JsonNumber) v;
        yield n.isIntegral() ? (Object) n.longValue() : (Object) n.doubleValue();
      }
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case NULL -> null;
    };
  }

  /** @return the value as indented JSON text */
  public static String pretty(Object o) {
    StringWriter out = new StringWriter();
    try (jakarta.json.JsonWriter w = provider().createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true))
        .createWriter(out)) {
      w.write(value(o));
    }
    return out.toString().strip();
  }
}
