package io.dockevos.hardware.internal;

import io.dockevos.common.internal.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What hw:check knows of each system tool, read from {@code tools.json} in this bundle. */
final class ToolCatalog {
  /**
   * @param versionArgs the arguments that make it print its version; empty for a tool that has none
   *     (its version then comes from the Debian package that installed it)
   * @param debianHint how to install it on Debian
   * @param otherHint how to install it elsewhere
   * @param debianPackage the Debian package that installs it, or {@code null}
   */
  record Tool(String name, List<String> versionArgs, String debianHint, String otherHint, String debianPackage) {}

  private final Map<String, Tool> tools = new TreeMap<>();
  private final boolean debian;

  ToolCatalog(boolean debian) {
    this.debian = debian;
    try (InputStream in = ToolCatalog.class.getResourceAsStream("tools.json")) {
      JsonObject o = Json.read(in);
      for (Map.Entry<String, JsonValue> e : o.entrySet()) {
        if (e.getKey().startsWith("//")) {
          continue;
        }
        JsonObject t = e.getValue().asJsonObject();
        tools.put(e.getKey(), new Tool(e.getKey(),
            t.getJsonArray("version").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList(),
            t.getString("debian"), t.getString("other"), t.getString("package", null)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tools.json", e);
    }
  }

  /** Whether this machine is Debian or a relative (Ubuntu): its /etc/os-release says so. */
  static boolean isDebian() {
    try {
      String release = Files.readString(Path.of("/etc/os-release"));
      return release.matches("(?s).*\\bID(_LIKE)?=\"?[a-z ]*(debian|ubuntu).*");
    } catch (IOException e) {
      return false;
    }
  }

  Tool tool(String name) {
    Tool t = tools.get(name);
    return t != null ? t : new Tool(name, List.of("--version"), null, null, null);
  }

  /** How to install the tool, in plain words. */
  String hint(String name) {
    Tool t = tools.get(name);
    if (t == null) {
      return debian ? "no package is known for '" + name + "': look for one with apt-cache search " + name
          : "no package is known for '" + name + "': install it with your package manager";
    }
    return debian ? t.debianHint() : t.otherHint();
  }

  java.util.Set<String> known() {
    return tools.keySet();
  }
}
