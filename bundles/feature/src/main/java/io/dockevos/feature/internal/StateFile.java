package io.dockevos.feature.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.feature.DesiredState;
import io.dockevos.feature.FeatureException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The desired-state file, read and checked: a feature file whose bundles and configurations are the
 * instance's own, and whose text extension {@value DesiredState#FEATURES_EXTENSION} names the features to
 * install, one a line.
 *
 * @param file the file
 * @param digest the SHA-256 of its bytes
 * @param features the features it names, in its order
 * @param plugins the feature of its bundles (its id's artifact with {@code -plugins}), as the bytes of a
 *     feature file: the same bytes for the same bundles, whatever else the file names
 * @param configurations the feature of its configurations (with {@code -configurations}), the same way: a
 *     changed configuration replaces this feature only, and the plugins keep running
 */
record StateFile(Path file, String digest, List<String> features, byte[] plugins, byte[] configurations) {

  /**
   * @return the file, or {@code null} when there is none
   * @throws FeatureException naming the file, the line and field, and what is wrong
   */
  static StateFile read(Path file) throws FeatureException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new FeatureException("Cannot read the state file " + file + ": " + e, e);
    }
    return parse(file, bytes);
  }

  static StateFile parse(Path file, byte[] bytes) throws FeatureException {
    String source = "state file " + file;
    try {
      FeatureReader.read(bytes, file.toString());
    } catch (FeatureException e) {
      throw new FeatureException("The " + source + " is not a valid feature file: " + e.getMessage(), e);
    }
    try (Json.ProviderLoader l = Json.providerLoader()) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      JsonObject root = Json.read(new StringReader(FeatureReader.stripComments(text.startsWith("\uFEFF") ? text.substring(1) : text)));
      List<String> features = new ArrayList<>();
      JsonObject extensions = root.containsKey("extensions") ? root.getJsonObject("extensions") : null;
      JsonObjectBuilder rest = Json.provider().createObjectBuilder();
      if (extensions != null) {
        for (Map.Entry<String, JsonValue> e : extensions.entrySet()) {
          if (!e.getKey().equals(DesiredState.FEATURES_EXTENSION)) {
            rest.add(e.getKey(), e.getValue());
            continue;
          }
          JsonObject x = e.getValue().asJsonObject();
          if (!x.containsKey("text")) {
            throw new FeatureException("The " + source + " names its features wrongly: extensions."
                + DesiredState.FEATURES_EXTENSION + " is a text extension, {\"kind\": \"optional\", \"text\": [\"NAME\","
                + " ...]}, one feature name (or name/version) a line");
          }
          for (JsonValue v : x.getJsonArray("text")) {
            String name = v instanceof JsonString s ? s.getString().strip() : v.toString();
            if (!name.isEmpty() && !name.startsWith("#") && !features.contains(name)) {
              features.add(name);
            }
          }
        }
      }
      JsonObject others = rest.build();
      byte[] plugins = part(root, others, "plugins", "bundles");
      byte[] configurations = part(root, others, "configurations", "configurations");
      return new StateFile(file, digest(bytes), List.copyOf(features), plugins, configurations);
    }
  }

  /**
   * @return the feature file of one part of the state: its {@code field} only (bundles or configurations),
   *     with the file's variables and other extensions, under the file's id with {@code -suffix} on its artifact
   */
  private static byte[] part(JsonObject root, JsonObject extensions, String suffix, String field) {
    JsonObjectBuilder part = Json.provider().createObjectBuilder(root);
    String[] id = root.getString("id").split(":");
    id[1] = id[1] + "-" + suffix;
    part.add("id", String.join(":", id));
    part.remove(field.equals("bundles") ? "configurations" : "bundles");
    part.remove("extensions");
    if (!extensions.isEmpty()) {
      part.add("extensions", extensions);
    }
    return (Json.pretty(part.build()) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
