package io.dockevos.plugin.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Version;

/**
 * Reads the clauses of an OSGi manifest header ({@code Export-Package}, {@code Provide-Capability})
 * from a jar that is not installed, to tell whether it would provide what a plugin lacks. The
 * framework parses installed bundles itself; these jars are only candidates.
 */
final class Clauses {
  /** One clause: its names (several for {@code a;b;version=1}), typed attributes and directives. */
  record Clause(List<String> names, Map<String, Object> attributes, Map<String, String> directives) {}

  private Clauses() {}

  static List<Clause> parse(String header) {
    List<Clause> result = new ArrayList<>();
    if (header == null) {
      return result;
    }
    for (String clause : split(header, ',')) {
      List<String> names = new ArrayList<>();
      Map<String, Object> attributes = new LinkedHashMap<>();
      Map<String, String> directives = new LinkedHashMap<>();
      for (String part : split(clause, ';')) {
        int eq = part.indexOf('=');
        if (eq < 0) {
          names.add(part.trim());
          continue;
        }
        boolean directive = eq > 0 && part.charAt(eq - 1) == ':';
        String key = part.substring(0, directive ? eq - 1 : eq).trim();
        String value = unquote(part.substring(eq + 1).trim());
        if (directive) {
          directives.put(key, value);
        } else {
          int colon = key.indexOf(':');
          String type = colon < 0 ? "String" : key.substring(colon + 1).trim();
          attributes.put(colon < 0 ? key : key.substring(0, colon).trim(), typed(type, value));
        }
      }
      if (!names.isEmpty()) {
        result.add(new Clause(names, attributes, directives));
      }
    }
    return result;
  }

  /** The headers whose clauses the framework reads to resolve a bundle, and what their attributes must be. */
  private static final List<String> RANGES = List.of("Import-Package", "DynamicImport-Package", "Require-Bundle",
      "Fragment-Host");

  /**
   * What the framework would refuse in a header, said plainly (it says only "Could not create bundle
   * object"): a quote that is not closed, a version range or version that does not parse, a filter
   * that does not parse.
   *
   * @return {@code null} when the header is well formed
   */
  static String problem(String name, String header) {
    if (header == null) {
      return null;
    }
    if (header.chars().filter(c -> c == '"').count() % 2 != 0) {
      return "its manifest header " + name + " is malformed: a quote (\") is not closed";
    }
    for (String clause : split(header, ',')) {
      for (String part : split(clause, ';')) {
        int eq = part.indexOf('=');
        if (eq < 0) {
          continue;
        }
        boolean directive = eq > 0 && part.charAt(eq - 1) == ':';
        String key = part.substring(0, directive ? eq - 1 : eq).trim();
        String value = unquote(part.substring(eq + 1).trim());
        String why = null;
        try {
          if (key.isEmpty()) {
            why = "'" + part.trim() + "' has no name before its '='";
          } else if (!directive && RANGES.contains(name) && (key.equals("version") || key.equals("bundle-version"))) {
            new org.osgi.framework.VersionRange(value);
          } else if (!directive && name.equals("Export-Package") && key.equals("version")) {
            Version.parseVersion(value);
          } else if (directive && key.equals("filter")) {
            org.osgi.framework.FrameworkUtil.createFilter(value);
          }
        } catch (IllegalArgumentException | org.osgi.framework.InvalidSyntaxException e) {
          why = "'" + value + "' is not a " + (key.equals("filter") ? "filter" : name.equals("Export-Package") ? "version"
              : "version range") + " (" + e.getMessage() + ")";
        }
        if (why != null) {
          return "its manifest header " + name + " is malformed: in the clause '" + clause.trim() + "', " + why;
        }
      }
    }
    return packages(name, header);
  }

  /**
   * A package imported twice, which the framework refuses only at install ("Duplicate import"), and
   * so fails the whole plan of the files dropped together, each file's marker giving this one's cause.
   *
   * @return {@code null} when no package is imported twice
   */
  private static String packages(String name, String header) {
    if (!name.equals("Import-Package")) {
      return null;
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String clause : split(header, ',')) {
      for (String part : split(clause, ';')) {
        String pkg = part.trim();
        if (part.indexOf('=') < 0 && !pkg.isEmpty() && !seen.add(pkg)) {
          return "its manifest header " + name + " is malformed: the package " + pkg + " is imported twice";
        }
      }
    }
    return null;
  }

  private static Object typed(String type, String value) {
    try {
      return switch (type) {
        case "Version" -> Version.parseVersion(value);
        case "Long" -> Long.valueOf(value);
        case "Double" -> Double.valueOf(value);
        case "List<String>", "List" -> List.of(value.split("\\s*,\\s*"));
        case "List<Version>" -> split(value, ',').stream().map(v -> Version.parseVersion(v.trim())).toList();
        default -> value;
      };
    } catch (IllegalArgumentException e) {
      return value;
    }
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  /** Splits at a separator outside double quotes. */
  private static List<String> split(String s, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\\' && quoted && i + 1 < s.length()) {
        current.append(c).append(s.charAt(++i));
        continue;
      }
      if (c == separator && !quoted) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (!current.toString().isBlank()) {
      parts.add(current.toString());
    }
    return parts;
  }
}
