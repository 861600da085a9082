package io.dockevos.feature.internal;

import io.dockevos.common.internal.Json;

import io.dockevos.feature.FeatureException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.felix.cm.json.io.ConfigurationReader;
import org.apache.felix.cm.json.io.Configurations;
import org.apache.felix.feature.impl.FeatureServiceImpl;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureConfiguration;
import org.osgi.service.feature.FeatureExtension;
import org.osgi.service.feature.ID;

/**
 * Reads a feature file with the Felix Feature Service, after checking it field by field, so that a
 * mistake is reported with the file, the line and column, and the field (the Feature Service
 * itself reports a missing or mistyped field as a bare {@code NullPointerException} or {@code
 * ClassCastException}, and drops a bundle entry that is not an object).
 */
final class FeatureReader {
  /** The fields of a feature file (OSGi Compendium 8, 160.2). */
  static final Set<String> FIELDS = Set.of("feature-resource-version", "id", "name", "description", "docURL",
      "license", "scm", "vendor", "complete", "categories", "variables", "bundles", "configurations", "extensions");
  private static final List<String> TEXT_FIELDS = List.of("name", "description", "docURL", "license", "scm", "vendor");

  private FeatureReader() {}

  /**
   * @param bytes the file's content
   * @param source the file or URL, as messages name it
   * @throws FeatureException naming the source, the line and column, the field and what is wrong
   */
  static Descriptor read(byte[] bytes, String source) throws FeatureException {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String json = stripComments(text);
    if (json.isBlank()) {
      throw new FeatureException("Feature file " + source + " is empty; a feature file holds one JSON object");
    }
    Map<String, JsonLocation> where = new LinkedHashMap<>();
    try (Json.ProviderLoader l = Json.providerLoader()) {
      JsonObject root = parse(json, source, where);
      new Checker(source, where).feature(root);
      Feature feature;
      try {
        feature = new FeatureServiceImpl().readFeature(new StringReader(json));
      } catch (IOException | RuntimeException e) {
        // Checked above field by field; this is the Feature Service's own word on what is left.
        throw new FeatureException("Feature file " + source + " is not a valid feature: " + e, e);
      }
      return descriptor(feature, root, source, digest(bytes), text);
    }
  }

  /** Reads the JSON once as events, to learn the line and column of every field, then as an object. */
  private static JsonObject parse(String json, String source, Map<String, JsonLocation> where) throws FeatureException {
    try (JsonParser parser = Json.provider().createParser(new StringReader(json))) {
      Deque<Frame> stack = new ArrayDeque<>();
      boolean first = true;
      while (parser.hasNext()) {
        JsonParser.Event event = parser.next();
        if (first && event != JsonParser.Event.START_OBJECT) {
          JsonLocation at = parser.getLocation();
          throw new FeatureException("Feature file " + source + " is not valid: line " + at.getLineNumber()
              + ", column " + at.getColumnNumber() + ": a feature file holds one JSON object ({ ... })");
        }
        first = false;
        switch (event) {
          case KEY_NAME -> {
            Frame f = stack.peek();
            f.key = parser.getString();
            where.put(Checker.join(f.path, f.key), parser.getLocation());
          }
          case END_OBJECT, END_ARRAY -> stack.pop();
          default -> {
            Frame f = stack.peek();
            String path;
            if (f == null) {
              path = "";
            } else if (f.array) {
              f.index++;
              path = f.path + "[" + f.index + "]";
              where.put(path, parser.getLocation());
            } else {
              path = Checker.join(f.path, f.key);
            }
            if (event == JsonParser.Event.START_OBJECT || event == JsonParser.Event.START_ARRAY) {
              stack.push(new Frame(path, event == JsonParser.Event.START_ARRAY));
            }
          }
        }
      }
    } catch (JsonParsingException e) {
      JsonLocation at = e.getLocation();
      throw new FeatureException("Feature file " + source + " is not valid JSON: "
          + (at == null ? "" : io.dockevos.common.internal.JsonPositions.describe(json, at.getLineNumber(),
              at.getColumnNumber(), io.dockevos.common.internal.JsonPositions.atEnd(e.getMessage())) + ": ")
          + io.dockevos.common.internal.JsonPositions.plain(e.getMessage()), e);
    } catch (jakarta.json.JsonException e) {
      throw new FeatureException("Feature file " + source + " cannot be read: "
          + io.dockevos.common.internal.JsonPositions.plain(e.getMessage()), e);
    }
    return Json.read(new StringReader(json));
  }

  private static final class Frame {
    final String path;
    final boolean array;
    String key;
    int index = -1;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }
  }

  /**
   * Blanks out {@code //} and {@code /* *}{@code /} comments, which feature files may hold, keeping
   * every line break so that lines and columns stay where they were.
   */
  static String stripComments(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '"') {
        int start = i++;
        while (i < n && text.charAt(i) != '"') {
          i += text.charAt(i) == '\\' ? 2 : 1;
        }
        i = Math.min(n, i + 1);
        out.append(text, start, i);
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        while (i < n && text.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        for (; i < end; i++) {
          out.append(text.charAt(i) == '\n' ? '\n' : ' ');
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Descriptor descriptor(Feature f, JsonObject root, String source, String digest, String text) {
    ID id = f.getID();
    Map<String, String> metadata = new LinkedHashMap<>();
    f.getVendor().ifPresent(v -> metadata.put("vendor", v));
    f.getLicense().ifPresent(v -> metadata.put("license", v));
    f.getDocURL().ifPresent(v -> metadata.put("docURL", v));
    f.getSCM().ifPresent(v -> metadata.put("scm", v));
    if (!f.getCategories().isEmpty()) {
      metadata.put("categories", String.join(", ", f.getCategories()));
    }
    if (f.isComplete()) {
      metadata.put("complete", "true");
    }
    List<Descriptor.BundleSpec> bundles = new ArrayList<>();
    for (FeatureBundle b : f.getBundles()) {
      ID bid = b.getID();
      Object order = b.getMetadata().get("start-order");
      bundles.add(new Descriptor.BundleSpec(bid.toString(), bid.getGroupId(), bid.getArtifactId(), bid.getVersion(),
          bid.getType().orElse(null), bid.getClassifier().orElse(null),
          order == null ? 0 : Integer.parseInt(order.toString().trim())));
    }
    List<Descriptor.ConfigSpec> configs = new ArrayList<>();
    JsonObject cfgs = root.getJsonObject("configurations");
    for (FeatureConfiguration c : f.getConfigurations().values()) {
      String key = c.getFactoryPid().map(fp -> fp + "~" + c.getPid().substring(c.getPid().indexOf('~') + 1))
          .orElse(c.getPid());
      configs.add(new Descriptor.ConfigSpec(key, c.getFactoryPid().orElse(null),
          c.getFactoryPid().isPresent() ? key.substring(key.indexOf('~') + 1) : null, new LinkedHashMap<>(c.getValues())));
    }
    // The file's order, which the Feature Service's map does not keep.
    if (cfgs != null) {
      List<String> order = new ArrayList<>(cfgs.keySet());
      configs.sort(java.util.Comparator.comparingInt(c -> order.indexOf(c.pid())));
    }
    List<String> mandatory = new ArrayList<>();
    for (FeatureExtension e : f.getExtensions().values()) {
      if (e.getKind() == FeatureExtension.Kind.MANDATORY) {
        mandatory.add(e.getName());
      }
    }
    return new Descriptor(id.toString(), id.getArtifactId(), id.getVersion(), f.getName().orElse(null),
        f.getDescription().orElse(null), metadata, List.copyOf(bundles), List.copyOf(configs),
        new LinkedHashMap<>(f.getVariables()), List.copyOf(mandatory), source, digest, text);
  }

  /** Checks each field, and names the first that is wrong with its line and column. */
  static final class Checker {
    private final String source;
    private final Map<String, JsonLocation> where;

    Checker(String source, Map<String, JsonLocation> where) {
      this.source = source;
      this.where = where;
    }

    static String join(String path, String key) {
      String k = key.matches("[A-Za-z0-9_$-]+") ? key : "\"" + key + "\"";
      return path.isEmpty() ? k : path + "." + k;
    }

    private FeatureException wrong(String path, String problem) {
      JsonLocation at = where.get(path);
      String line = at == null ? "" : "line " + at.getLineNumber() + ", column " + at.getColumnNumber() + ": ";
      return new FeatureException("Feature file " + source + " is not valid: " + line + "field " + path + " "
          + problem);
    }

    private static String kind(JsonValue v) {
      return switch (v.getValueType()) {
        case OBJECT -> "an object";
        case ARRAY -> "an array";
        case STRING -> "the string " + v;
        case NUMBER -> "the number " + v;
        case TRUE, FALSE -> "the boolean " + v;
        case NULL -> "null";
      };
    }

    void feature(JsonObject root) throws FeatureException {
      for (String key : root.keySet()) {
        if (!FIELDS.contains(key)) {
          throw wrong(join("", key), "is not a field of a feature; a feature has "
              + String.join(", ", new java.util.TreeSet<>(FIELDS)));
        }
      }
      if (!root.containsKey("id")) {
        throw new FeatureException("Feature file " + source + " is not valid: it has no field id; a feature needs"
            + " an \"id\": \"group:artifact:version\"");
      }
      mavenId(root, "id", "id");
      JsonValue frv = root.get("feature-resource-version");
      if (frv != null && (frv.getValueType() != JsonValue.ValueType.STRING
          || !((JsonString) frv).getString().startsWith("1."))) {
        throw wrong("feature-resource-version", "is " + kind(frv) + "; dockevOS reads \"1.0\"");
      }
      for (String field : TEXT_FIELDS) {
        string(root, field, field);
      }
      JsonValue complete = root.get("complete");
      if (complete != null && complete.getValueType() != JsonValue.ValueType.TRUE
          && complete.getValueType() != JsonValue.ValueType.FALSE) {
        throw wrong("complete", "is " + kind(complete) + "; it must be true or false");
      }
      JsonArray categories = array(root, "categories", "categories");
      if (categories != null) {
        for (int i = 0; i < categories.size(); i++) {
          if (categories.get(i).getValueType() != JsonValue.ValueType.STRING) {
            throw wrong("categories[" + i + "]", "is " + kind(categories.get(i)) + "; a category is a string");
          }
        }
      }
      JsonObject variables = object(root, "variables", "variables");
      if (variables != null) {
        for (Map.Entry<String, JsonValue> e : variables.entrySet()) {
          JsonValue.ValueType t = e.getValue().getValueType();
          if (t == JsonValue.ValueType.OBJECT || t == JsonValue.ValueType.ARRAY) {
            throw wrong(join("variables", e.getKey()), "is " + kind(e.getValue())
                + "; a variable is a string, a number, a boolean or null");
          }
        }
      }
      bundles(root);
      configurations(root);
      extensions(root);
    }

    private void bundles(JsonObject root) throws FeatureException {
      JsonArray bundles = array(root, "bundles", "bundles");
      if (bundles == null) {
        return;
      }
      for (int i = 0; i < bundles.size(); i++) {
        String path = "bundles[" + i + "]";
        JsonValue v = bundles.get(i);
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
          throw wrong(path, "is " + kind(v) + "; a bundle is an object such as"
              + " { \"id\": \"group:artifact:version\", \"start-order\": 5 }");
        }
        JsonObject b = v.asJsonObject();
        if (!b.containsKey("id")) {
          throw wrong(path, "has no \"id\"; it needs one, \"group:artifact:version\"");
        }
        mavenId(b, "id", path + ".id");
        for (Map.Entry<String, JsonValue> e : b.entrySet()) {
          JsonValue value = e.getValue();
          String field = join(path, e.getKey());
          if (e.getKey().equals("start-order")) {
            startOrder(field, value);
          } else if (value.getValueType() == JsonValue.ValueType.NUMBER && !((JsonNumber) value).isIntegral()) {
            throw wrong(field, "is " + kind(value) + "; a number in a bundle's metadata must be whole");
          }
        }
      }
    }

    private void startOrder(String field, JsonValue value) throws FeatureException {
      BigDecimal n = null;
      if (value.getValueType() == JsonValue.ValueType.NUMBER) {
        n = ((JsonNumber) value).bigDecimalValue();
      } else if (value.getValueType() == JsonValue.ValueType.STRING
          && ((JsonString) value).getString().trim().matches("\\d{1,9}")) {
        n = new BigDecimal(((JsonString) value).getString().trim());
      }
      if (n == null || n.signum() <= 0 || n.stripTrailingZeros().scale() > 0 || n.compareTo(BigDecimal.valueOf(
          Integer.MAX_VALUE)) > 0) {
        throw wrong(field, "is " + kind(value) + "; a start-order is a whole number from 1 (the bundle's start level)");
      }
    }

    private void configurations(JsonObject root) throws FeatureException {
      JsonObject configs = object(root, "configurations", "configurations");
      if (configs == null) {
        return;
      }
      for (Map.Entry<String, JsonValue> e : configs.entrySet()) {
        String pid = e.getKey();
        String path = join("configurations", pid);
        int tilde = pid.indexOf('~');
        if (pid.isBlank() || tilde == 0 || tilde == pid.length() - 1) {
          throw wrong(path, "is not a PID; a configuration is named \"pid\" or \"factoryPid~name\"");
        }
        if (e.getValue().getValueType() != JsonValue.ValueType.OBJECT) {
          throw wrong(path, "is " + kind(e.getValue()) + "; a configuration is an object of properties");
        }
        ConfigurationReader reader = Configurations.buildReader().withIdentifier(pid).build(e.getValue().asJsonObject());
        try {
          reader.readConfiguration();
        } catch (IOException | RuntimeException ex) {
          throw wrong(path, "cannot be read: " + ex.getMessage());
        }
        if (!reader.getIgnoredErrors().isEmpty()) {
          throw wrong(path, "has " + String.join("; ", reader.getIgnoredErrors()));
        }
      }
    }

    private void extensions(JsonObject root) throws FeatureException {
      JsonObject extensions = object(root, "extensions", "extensions");
      if (extensions == null) {
        return;
      }
      for (Map.Entry<String, JsonValue> e : extensions.entrySet()) {
        String path = join("extensions", e.getKey());
        if (e.getValue().getValueType() != JsonValue.ValueType.OBJECT) {
          throw wrong(path, "is " + kind(e.getValue()) + "; an extension is an object with \"text\", \"artifacts\""
              + " or \"json\"");
        }
        JsonObject x = e.getValue().asJsonObject();
        string(x, "kind", path + ".kind");
        String kind = x.getString("kind", "optional").toLowerCase(Locale.ROOT);
        if (!Set.of("mandatory", "optional", "transient").contains(kind)) {
          throw wrong(path + ".kind", "is \"" + x.getString("kind") + "\"; it is mandatory, optional or transient");
        }
        if (x.containsKey("text")) {
          array(x, "text", path + ".text");
        } else if (x.containsKey("artifacts")) {
          JsonArray artifacts = array(x, "artifacts", path + ".artifacts");
          for (int i = 0; i < artifacts.size(); i++) {
            String ap = path + ".artifacts[" + i + "]";
            if (artifacts.get(i).getValueType() != JsonValue.ValueType.OBJECT) {
              throw wrong(ap, "is " + kind(artifacts.get(i)) + "; an artifact is an object with an \"id\"");
            }
            if (!artifacts.get(i).asJsonObject().containsKey("id")) {
              throw wrong(ap, "has no \"id\"; it needs one, \"group:artifact:version\"");
            }
            mavenId(artifacts.get(i).asJsonObject(), "id", ap + ".id");
          }
        } else if (x.containsKey("json")) {
          object(x, "json", path + ".json");
        } else {
          throw wrong(path, "has neither \"text\", \"artifacts\" nor \"json\"");
        }
      }
    }

    private void mavenId(JsonObject o, String key, String path) throws FeatureException {
      String id = string(o, key, path);
      if (id != null && !isMavenId(id)) {
        throw wrong(path, "is \"" + id + "\", which is not a Maven ID: group:artifact:version, or"
            + " group:artifact:type:version, or group:artifact:type:classifier:version");
      }
    }

    private String string(JsonObject o, String key, String path) throws FeatureException {
      JsonValue v = o.get(key);
      if (v == null) {
        return null;
      }
      if (v.getValueType() != JsonValue.ValueType.STRING) {
        throw wrong(path, "is " + kind(v) + "; it must be a string");
      }
      return ((JsonString) v).getString();
    }

    private JsonArray array(JsonObject o, String key, String path) throws FeatureException {
      JsonValue v = o.get(key);
      if (v == null) {
        return null;
      }
      if (v.getValueType() != JsonValue.ValueType.ARRAY) {
        throw wrong(path, "is " + kind(v) + "; it must be an array [ ... ]");
      }
      return v.asJsonArray();
    }

    private JsonObject object(JsonObject o, String key, String path) throws FeatureException {
      JsonValue v = o.get(key);
      if (v == null) {
        return null;
      }
      if (v.getValueType() != JsonValue.ValueType.OBJECT) {
        throw wrong(path, "is " + kind(v) + "; it must be an object { ... }");
      }
      return v.asJsonObject();
    }
  }

  /** group:artifact[:type[:classifier]]:version, no part empty or blank. */
  static boolean isMavenId(String id) {
    String[] parts = id.split(":", -1);
    if (parts.length < 3 || parts.length > 5) {
      return false;
    }
    for (String p : parts) {
      if (p.isBlank() || !p.equals(p.strip()) || p.contains("/")) {
        return false;
      }
    }
    return true;
  }
}
