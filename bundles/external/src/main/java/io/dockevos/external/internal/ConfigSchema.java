package io.dockevos.external.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code config} of {@code plugin.yaml}: a JSON Schema of the plugin's configuration, with
 * defaults. It turns the properties of a Configuration Admin configuration (strings, from a
 * {@code .cfg} or {@code config:set}, or typed values) into the JSON values the plugin receives:
 * each property converted to its field's type, the defaults filled in, and every value checked.
 * The keywords it knows: {@code type} (string, integer, number, boolean, array of strings, object),
 * {@code properties}, {@code required}, {@code default}, {@code enum}, {@code minimum},
 * {@code maximum}, {@code pattern}, {@code additionalProperties: false}.
 */
final class ConfigSchema {
  private final Map<String, Object> schema;

  /** @param schema {@code config} of plugin.yaml, as JSON values in Java; an empty map for none */
  ConfigSchema(Map<String, Object> schema) {
    this.schema = schema == null ? Map.of() : schema;
  }

  /** The outcome: the configuration, or the errors that make it invalid. */
  record Result(Map<String, Object> config, List<String> errors) {
    boolean valid() {
      return errors.isEmpty();
    }
  }

  /** @return the defaults alone (what the plugin gets without a configuration) */
  Result defaults() {
    return apply(Map.of());
  }

  /**
   * @param properties a configuration's properties (Configuration Admin's own, {@code service.pid}
   *     and the like, are left out)
   */
  @SuppressWarnings("unchecked")
  Result apply(Map<String, ?> properties) {
    Map<String, Object> props = properties(schema);
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, Object> e : props.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> field && field.containsKey("default")) {
        out.put(e.getKey(), field.get("default"));
      }
    }
    for (Map.Entry<String, ?> e : properties.entrySet()) {
      String key = e.getKey();
      if (isAdmins(key)) {
        continue;
      }
      Object field = props.get(key);
      if (field == null) {
        if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
          errors.add("field '" + key + "' is not in the plugin's config schema (its fields: "
              + String.join(", ", props.keySet()) + ")");
        } else {
          out.put(key, plain(e.getValue()));
        }
        continue;
      }
      Object value = convert(key, e.getValue(), (Map<String, Object>) field, errors);
      if (value != null) {
        out.put(key, value);
      }
    }
    Object required = schema.get("required");
    if (required instanceof List<?> names) {
      for (Object n : names) {
        if (!out.containsKey(String.valueOf(n))) {
          errors.add("field '" + n + "' is required and has no default");
        }
      }
    }
    return new Result(out, List.copyOf(errors));
  }

  private static boolean isAdmins(String key) {
    return key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")
        || key.startsWith(".") || key.equals("dockevos.external.instance");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(Map<String, Object> schema) {
    Object p = schema.get("properties");
    return p instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** @return the value as its field's type, or null (with an error) when it is not one */
  private static Object convert(String key, Object raw, Map<String, Object> field, List<String> errors) {
    String type = field.get("type") instanceof String t ? t : null;
    Object v = plain(raw);
    String where = "field '" + key + "'";
    Object value;
    try {
      value = type == null ? v : switch (type) {
        case "string" -> v instanceof String ? v : fail(where, type, v);
        case "integer" -> integer(v, where, type);
        case "number" -> v instanceof Number n ? n.doubleValue() : v instanceof String s ? Double.parseDouble(s.strip())
            : fail(where, type, v);
        case "boolean" -> v instanceof Boolean ? v : v instanceof String s && (s.strip().equalsIgnoreCase("true")
            || s.strip().equalsIgnoreCase("false")) ? Boolean.parseBoolean(s.strip()) : fail(where, type, v);
        case "array" -> v instanceof List<?> ? v : v instanceof String s ? List.of(s.split("\\s*,\\s*")) : fail(where, type, v);
        default -> v;
      };
    } catch (NumberFormatException e) {
      errors.add(where + ": expected " + article(type) + ", got " + describe(v));
      return null;
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
      return null;
    }
    if (field.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
      errors.add(where + ": expected one of " + allowed + ", got " + describe(value));
      return null;
    }
    if (value instanceof Number n) {
      if (field.get("minimum") instanceof Number min && n.doubleValue() < min.doubleValue()) {
        errors.add(where + ": " + value + " is less than the minimum " + min);
        return null;
      }
      if (field.get("maximum") instanceof Number max && n.doubleValue() > max.doubleValue()) {
        errors.add(where + ": " + value + " is more than the maximum " + max);
        return null;
      }
    }
    if (value instanceof String s && field.get("pattern") instanceof String p && !s.matches(p)) {
      errors.add(where + ": '" + s + "' does not match " + p);
      return null;
    }
    return value;
  }

  private static Object integer(Object v, String where, String type) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      return ((Number) v).longValue();
    }
    if (v instanceof String s) {
      return Long.parseLong(s.strip());
    }
    return fail(where, type, v);
  }

  private static Object fail(String where, String type, Object v) {
    throw new IllegalArgumentException(where + ": expected " + article(type) + ", got " + describe(v));
  }

  /** Arrays of Configuration Admin (String[], int[], ...) as lists; the rest as it is. */
  private static Object plain(Object v) {
    if (v != null && v.getClass().isArray()) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) {
        list.add(java.lang.reflect.Array.get(v, i));
      }
      return list;
    }
    if (v instanceof java.util.Collection<?> c && !(v instanceof List<?>)) {
      return new ArrayList<>(c);
    }
    return v;
  }

  private static String describe(Object v) {
    if (v instanceof String s) {
      return "the string '" + s + "'";
    }
    return v == null ? "nothing" : "the " + v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + v;
  }

  private static String article(String type) {
    return switch (type) {
      case "integer" -> "an integer";
      case "array" -> "a list (comma separated)";
      case "object" -> "a mapping";
      default -> "a " + type;
    };
  }
}
