package io.dockevos.external.internal;

import io.dockevos.common.internal.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a {@code plugin.yaml} and validates it against its published JSON Schema
 * ({@code /plugin.schema.json} in this bundle, the one in the docs): the schema itself drives the
 * check, over SnakeYAML's node tree, so that every error names the field and its line. The keywords
 * it knows are the ones the schema uses: {@code type}, {@code enum}, {@code properties},
 * {@code additionalProperties}, {@code required}, {@code items}, {@code pattern}, {@code minimum}.
 */
final class PluginYaml {
  static final String FILE = "plugin.yaml";
  static final String SCHEMA = "/plugin.schema.json";
  /** A plugin.yaml is a page of text; a bigger one is refused before it is parsed. */
  static final int MAX_BYTES = 256 * 1024;
  private static volatile JsonObject schema;

  private PluginYaml() {}

  /** The published schema, as this bundle holds it. */
  static JsonObject schema() {
    JsonObject s = schema;
    if (s == null) {
      try (InputStream in = PluginYaml.class.getResourceAsStream(SCHEMA)) {
        s = schema = Json.read(in);
      } catch (IOException e) {
        throw new IllegalStateException("the bundle lacks " + SCHEMA, e);
      }
    }
    return s;
  }

  /**
   * @return the plugin that {@code file} describes
   * @throws InvalidPluginException naming the file, and each field that is wrong with its line
   */
  static PluginDescriptor read(Path file) throws InvalidPluginException {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new InvalidPluginException(file + ": it is larger than " + MAX_BYTES / 1024 + " KB; a plugin.yaml is"
            + " a page of text");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidPluginException("Cannot read " + file + ": " + e);
    }
    return parse(file, text);
  }

  static PluginDescriptor parse(Path file, String text) throws InvalidPluginException {
    Node root;
    try (Reader in = new java.io.StringReader(text)) {
      LoaderOptions options = new LoaderOptions();
      options.setMaxAliasesForCollections(10);
      options.setAllowDuplicateKeys(false);
      options.setCodePointLimit(MAX_BYTES);
      root = new Yaml(options).compose(in);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new InvalidPluginException(file + " line " + line + ": it is not valid YAML: " + e.getProblem());
    } catch (YAMLException | IOException e) {
      throw new InvalidPluginException(file + ": it is not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      throw new InvalidPluginException(file + ": it is empty; it needs at least name, version and command");
    }
    List<String> errors = new ArrayList<>();
    check(root, schema(), "", errors);
    if (root instanceof MappingNode m) {
      permissions(m, errors);
    }
    if (errors.isEmpty() && root instanceof MappingNode m) {
      String runtime = scalar(m, "runtime");
      if (runtime == null || runtime.equals("process")) {
        if (scalar(m, "command") == null) {
          errors.add("line " + line(root) + ": field 'command' is missing: a process plugin names the program to run");
        }
      } else if (scalar(m, "image") == null) {
        errors.add("line " + line(root) + ": field 'image' is missing: a container plugin names the image to run");
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidPluginException(file + " is not a valid plugin.yaml:\n  " + String.join("\n  ", errors)
          + "\n(its schema: plugin.schema.json, see docs/external-plugins.md)");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> v = (Map<String, Object>) value(root);
    return descriptor(file, v);
  }

  /** Each permission is one of bundle plugins' ({@link io.dockevos.security.Permission}). */
  private static void permissions(MappingNode m, List<String> errors) {
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("permissions")
          && t.getValueNode() instanceof SequenceNode seq) {
        int i = 0;
        for (Node item : seq.getValue()) {
          if (item instanceof ScalarNode sc) {
            try {
              io.dockevos.security.Permission.parse(sc.getValue());
            } catch (RuntimeException e) {
              errors.add("line " + line(item) + ": field 'permissions[" + i + "]': " + e.getMessage());
            }
          }
          i++;
        }
      }
    }
  }

  private static int line(Node n) {
    return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }

  private static String scalar(MappingNode m, String key) {
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key) && t.getValueNode() instanceof ScalarNode v
          && !v.getTag().equals(Tag.NULL)) {
        return v.getValue();
      }
    }
    return null;
  }

  /** @return the JSON type of a node: object, array, string, integer, number, boolean or null */
  private static String type(Node n) {
    if (n instanceof MappingNode) {
      return "object";
    }
    if (n instanceof SequenceNode) {
      return "array";
    }
    Tag t = n.getTag();
    return t.equals(Tag.INT) ? "integer" : t.equals(Tag.FLOAT) ? "number" : t.equals(Tag.BOOL) ? "boolean"
        : t.equals(Tag.NULL) ? "null" : "string";
  }

  private static String describe(Node n) {
    String type = type(n);
    return switch (type) {
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "null" -> "nothing";
      default -> "the " + type + " " + ((ScalarNode) n).getValue();
    };
  }

  private static void check(Node n, JsonObject s, String path, List<String> errors) {
    String where = "line " + line(n) + ": " + (path.isEmpty() ? "the document" : "field '" + path + "'");
    String type = type(n);
    if (s.containsKey("enum")) {
      List<String> allowed = s.getJsonArray("enum").getValuesAs(JsonString.class).stream().map(JsonString::getString)
          .toList();
      if (!(n instanceof ScalarNode sc) || !allowed.contains(sc.getValue())) {
        errors.add(where + ": expected one of " + String.join(", ", allowed) + ", got " + describe(n));
      }
      return;
    }
    if (s.containsKey("type")) {
      String want = s.getString("type");
      boolean ok = want.equals(type) || want.equals("number") && type.equals("integer");
      if (!ok) {
        errors.add(where + ": expected " + article(want) + ", got " + describe(n)
            + (want.equals("string") && n instanceof ScalarNode ? " (quote it)" : ""));
        return;
      }
    }
    if (n instanceof ScalarNode sc) {
      if (s.containsKey("pattern") && !sc.getValue().matches(s.getString("pattern"))) {
        errors.add(where + ": '" + sc.getValue() + "' does not match " + s.getString("pattern")
            + hint(s));
      }
      if (s.containsKey("minimum") && !type.equals("string")) {
        double min = s.getJsonNumber("minimum").doubleValue();
        if (Double.parseDouble(sc.getValue()) < min) {
          errors.add(where + ": " + sc.getValue() + " is less than " + s.getJsonNumber("minimum"));
        }
      }
    } else if (n instanceof SequenceNode seq && s.containsKey("items")) {
      int i = 0;
      for (Node item : seq.getValue()) {
        check(item, s.getJsonObject("items"), path + "[" + i++ + "]", errors);
      }
    } else if (n instanceof MappingNode m) {
      JsonObject props = s.containsKey("properties") ? s.getJsonObject("properties") : JsonValue.EMPTY_JSON_OBJECT;
      JsonValue additional = s.get("additionalProperties");
      List<String> seen = new ArrayList<>();
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          errors.add("line " + line(t.getKeyNode()) + ": a key of " + (path.isEmpty() ? "the document" : "'" + path
              + "'") + " is not a plain name");
          continue;
        }
        String key = k.getValue();
        String child = path.isEmpty() ? key : path + "." + key;
        seen.add(key);
        if (props.containsKey(key)) {
          check(t.getValueNode(), props.getJsonObject(key), child, errors);
        } else if (additional instanceof JsonObject a) {
          check(t.getValueNode(), a, child, errors);
        } else if (additional == JsonValue.FALSE) {
          errors.add("line " + line(k) + ": unknown field '" + child + "'" + suggestion(key, props)
              + " (the fields" + (path.isEmpty() ? "" : " of " + path) + ": " + String.join(", ", props.keySet()) + ")");
        }
      }
      if (s.containsKey("required")) {
        for (JsonString r : s.getJsonArray("required").getValuesAs(JsonString.class)) {
          if (!seen.contains(r.getString())) {
            errors.add("line " + line(n) + ": field '" + (path.isEmpty() ? "" : path + ".") + r.getString()
                + "' is missing");
          }
        }
      }
    }
  }

  private static String hint(JsonObject s) {
    return s.containsKey("description") ? " (" + s.getString("description") + ")"
        : s.getString("pattern").endsWith("(ms|s|m)$") ? " (a duration such as 500ms, 10s or 5m)" : "";
  }

  /** @return {@code ", did you mean 'command'?"} for a key one or two edits from a field */
  private static String suggestion(String key, JsonObject props) {
    for (String p : props.keySet()) {
      if (distance(key.toLowerCase(Locale.ROOT), p.toLowerCase(Locale.ROOT)) <= 2) {
        return ", did you mean '" + p + "'?";
      }
    }
    return "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String article(String type) {
    return switch (type) {
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "integer" -> "an integer";
      default -> "a " + type;
    };
  }

  /** The node as JSON values in Java: Map, List, String, Long, Double, Boolean, null. */
  static Object value(Node n) {
    if (n instanceof MappingNode m) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        map.put(((ScalarNode) t.getKeyNode()).getValue(), value(t.getValueNode()));
      }
      return map;
    }
    if (n instanceof SequenceNode s) {
      List<Object> list = new ArrayList<>();
      s.getValue().forEach(item -> list.add(value(item)));
      return list;
    }
    String v = ((ScalarNode) n).getValue();
    return switch (type(n)) {
      case "integer" -> Long.decode(v.replace("_", ""));
      case "number" -> Double.parseDouble(v.replace("_", ""));
      case "boolean" -> Boolean.parseBoolean(v.toLowerCase(Locale.ROOT)) || v.equalsIgnoreCase("yes")
          || v.equalsIgnoreCase("on");
      case "null" -> null;
      default -> v;
    };
  }

  @SuppressWarnings("unchecked")
  private static PluginDescriptor descriptor(Path file, Map<String, Object> v) {
    Map<String, Object> h = (Map<String, Object>) v.getOrDefault("health", Map.of());
    Map<String, Object> r = (Map<String, Object>) v.getOrDefault("resources", Map.of());
    Map<String, Object> re = (Map<String, Object>) v.getOrDefault("restart", Map.of());
    PluginDescriptor.Health health = new PluginDescriptor.Health(duration(h.get("interval"), "10s"),
        duration(h.get("timeout"), "5s"), ((Number) h.getOrDefault("failureThreshold", 3L)).intValue(),
        duration(h.get("startTimeout"), "10s"));
    PluginDescriptor.Resources resources = new PluginDescriptor.Resources(bytes((String) r.get("memory")),
        r.get("cpus") == null ? null : ((Number) r.get("cpus")).doubleValue(),
        r.get("pids") == null ? null : ((Number) r.get("pids")).intValue(),
        r.get("files") == null ? null : ((Number) r.get("files")).intValue());
    PluginDescriptor.Restart restart = new PluginDescriptor.Restart((String) re.getOrDefault("policy", "on-failure"),
        duration(re.get("initialBackoff"), "1s"), duration(re.get("maxBackoff"), "60s"),
        ((Number) re.getOrDefault("maxFailures", 5L)).intValue(), duration(re.get("window"), "5m"),
        duration(re.get("healthyAfter"), "30s"));
    Map<String, String> env = new LinkedHashMap<>();
    ((Map<String, Object>) v.getOrDefault("env", Map.of())).forEach((k, x) -> env.put(k, String.valueOf(x)));
    return new PluginDescriptor(file, (String) v.get("name"), (String) v.get("version"),
        (String) v.getOrDefault("description", ""), (String) v.getOrDefault("runtime", "process"),
        (String) v.get("command"), strings(v.get("args")), (String) v.get("image"), env, strings(v.get("permissions")),
        (Map<String, Object>) v.getOrDefault("config", Map.of()), health, resources, restart, strings(v.get("requires")),
        Boolean.TRUE.equals(v.get("factory")));
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object o) {
    return o == null ? List.of() : ((List<Object>) o).stream().map(String::valueOf).toList();
  }

  /** {@code 500ms}, {@code 10s}, {@code 5m}. */
  static Duration duration(Object text, String otherwise) {
    String s = text == null ? otherwise : text.toString();
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return s.endsWith("m") ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
  }

  /** {@code 256m}, {@code 1g}, {@code 65536k}, or bytes. */
  static Long bytes(String s) {
    if (s == null) {
      return null;
    }
    char unit = s.charAt(s.length() - 1);
    long n = Long.parseLong(Character.isDigit(unit) ? s : s.substring(0, s.length() - 1));
    return switch (unit) {
      case 'k' -> n << 10;
      case 'm' -> n << 20;
      case 'g' -> n << 30;
      default -> n;
    };
  }

}
