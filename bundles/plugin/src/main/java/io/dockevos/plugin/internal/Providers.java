package io.dockevos.plugin.internal;

import io.dockevos.common.internal.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * Finds bundles that are not installed but would satisfy a requirement: in the distribution's
 * {@code system/} repository (and the features that name them), and in the local Maven
 * repository. The Maven repository can be large, so only the folders whose group matches a
 * prefix of the missing package are read.
 */
final class Providers {
  /** What a candidate jar offers, read from its manifest once per path and time. */
  private record Candidate(String symbolicName, Version version, List<Map<String, Object>> packages,
      Map<String, List<Map<String, Object>>> capabilities, long modified) {}

  private final Path system;
  private final Path maven;
  private final Map<Path, Candidate> cache = new ConcurrentHashMap<>();

  Providers(Path system, Path maven) {
    this.system = system;
    this.maven = maven;
  }

  /**
   * @return each provider found: the jars of {@code system/} (or the features that name them), then
   *     those of the local Maven repository
   * @throws IllegalArgumentException when the filter is not valid
   */
  List<io.dockevos.plugin.Provider> providers(String namespace, String f) {
    Filter filter;
    try {
      filter = f == null ? null : FrameworkUtil.createFilter(f);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("not a valid filter: " + f + ": " + e.getMessage(), e);
    }
    Map<String, io.dockevos.plugin.Provider> found = new java.util.LinkedHashMap<>();
    Map<Path, List<String>> features = featuresByFile();
    for (Path jar : jars(system, null)) {
      if (matches(jar, namespace, filter)) {
        Candidate c = candidate(jar);
        List<String> in = features.getOrDefault(jar, List.of());
        if (in.isEmpty()) {
          found.putIfAbsent("system:" + jar, new io.dockevos.plugin.Provider(io.dockevos.plugin.Provider.Kind.SYSTEM,
              c.symbolicName(), c.version().toString(), "system/" + system.relativize(jar), jar.toString()));
        } else {
          in.forEach(feature -> found.putIfAbsent("feature:" + feature, new io.dockevos.plugin.Provider(
              io.dockevos.plugin.Provider.Kind.FEATURE, c.symbolicName(), c.version().toString(), feature, feature)));
        }
      }
    }
    for (Path jar : jars(maven, packageOf(namespace, filter))) {
      if (matches(jar, namespace, filter)) {
        Candidate c = candidate(jar);
        found.putIfAbsent("maven:" + jar, new io.dockevos.plugin.Provider(io.dockevos.plugin.Provider.Kind.MAVEN,
            c.symbolicName(), c.version().toString(), jar.toString(), coordinates(jar)));
      }
    }
    return new ArrayList<>(found.values());
  }

  /** {@code mvn:group/artifact/version} for a jar in the Maven layout of the local repository. */
  private String coordinates(Path jar) {
    Path rel = maven.relativize(jar);
    int n = rel.getNameCount();
    if (n < 4) {
      return jar.toString();
    }
    String version = rel.getName(n - 2).toString();
    String artifact = rel.getName(n - 3).toString();
    String group = rel.subpath(0, n - 3).toString().replace(java.io.File.separatorChar, '.');
    return "mvn:" + group + "/" + artifact + "/" + version;
  }

  private static String packageOf(String namespace, Filter filter) {
    if (!PackageNamespace.PACKAGE_NAMESPACE.equals(namespace) || filter == null) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(osgi\\.wiring\\.package=([^)*]+)\\)")
        .matcher(filter.toString());
    return m.find() ? m.group(1) : null;
  }

  /** Every jar under {@code root}; in the Maven repository only under the group folders of the package. */
  private static List<Path> jars(Path root, String pkg) {
    if (root == null || !Files.isDirectory(root)) {
      return List.of();
    }
    List<Path> roots = new ArrayList<>();
    if (pkg == null) {
      roots.add(root);
    } else {
      String[] segments = pkg.split("\\.");
      // org.example.api.impl: org/example/api/impl, org/example/api, org/example; never a bare org/ or com/
      for (int n = segments.length; n >= 2; n--) {
        Path dir = root.resolve(String.join("/", java.util.Arrays.copyOf(segments, n)));
        if (Files.isDirectory(dir)) {
          roots.add(dir);
          break;
        }
      }
    }
    List<Path> result = new ArrayList<>();
    for (Path r : roots) {
      try (Stream<Path> files = Files.walk(r, pkg == null ? Integer.MAX_VALUE : 4)) {
        files.filter(p -> p.toString().endsWith(".jar") && !p.toString().endsWith("-sources.jar")
            && !p.toString().endsWith("-javadoc.jar") && Files.isRegularFile(p)).limit(2000).forEach(result::add);
      } catch (IOException | java.io.UncheckedIOException e) {
        // an unreadable folder offers nothing
      }
    }
    return result;
  }

  private boolean matches(Path jar, String namespace, Filter filter) {
    Candidate c = candidate(jar);
    if (c == null || filter == null) {
      return false;
    }
    if (PackageNamespace.PACKAGE_NAMESPACE.equals(namespace)) {
      return c.packages().stream().anyMatch(filter::matches);
    }
    if (BundleNamespace.BUNDLE_NAMESPACE.equals(namespace)) {
      return filter.matches(Map.of(BundleNamespace.BUNDLE_NAMESPACE, c.symbolicName(),
          Constants.BUNDLE_VERSION_ATTRIBUTE, c.version()));
    }
    return c.capabilities().getOrDefault(namespace, List.of()).stream().anyMatch(filter::matches);
  }

  private Candidate candidate(Path jar) {
    long modified;
    try {
      modified = Files.getLastModifiedTime(jar).toMillis();
    } catch (IOException e) {
      return null;
    }
    Candidate c = cache.get(jar);
    if (c != null && c.modified() == modified) {
      return c;
    }
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Manifest mf = file.getManifest();
      Attributes main = mf == null ? null : mf.getMainAttributes();
      String bsn = main == null ? null : main.getValue(Constants.BUNDLE_SYMBOLICNAME);
      if (bsn == null) {
        return null;
      }
      String name = bsn.split(";")[0].trim();
      Version version = Version.parseVersion(main.getValue(Constants.BUNDLE_VERSION) == null ? "0"
          : main.getValue(Constants.BUNDLE_VERSION).trim());
      List<Map<String, Object>> packages = new ArrayList<>();
      for (Clauses.Clause clause : Clauses.parse(main.getValue(Constants.EXPORT_PACKAGE))) {
        for (String pkg : clause.names()) {
          Map<String, Object> attrs = new HashMap<>(clause.attributes());
          Object v = attrs.getOrDefault(Constants.VERSION_ATTRIBUTE, "0");
          attrs.put(Constants.VERSION_ATTRIBUTE, v instanceof Version ? v : Version.parseVersion(v.toString()));
          attrs.put(PackageNamespace.PACKAGE_NAMESPACE, pkg);
          attrs.put(Constants.BUNDLE_SYMBOLICNAME_ATTRIBUTE, name);
          attrs.put(Constants.BUNDLE_VERSION_ATTRIBUTE, version);
          packages.add(attrs);
        }
      }
      Map<String, List<Map<String, Object>>> capabilities = new HashMap<>();
      for (Clauses.Clause clause : Clauses.parse(main.getValue(Constants.PROVIDE_CAPABILITY))) {
        for (String ns : clause.names()) {
          capabilities.computeIfAbsent(ns, k -> new ArrayList<>()).add(clause.attributes());
        }
      }
      c = new Candidate(name, version, packages, capabilities, modified);
      cache.put(jar, c);
      return c;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The features in {@code system/features/} that name each jar of {@code system/}. */
  private Map<Path, List<String>> featuresByFile() {
    Map<Path, List<String>> result = new HashMap<>();
    Path dir = system == null ? null : system.resolve("features");
    if (dir == null || !Files.isDirectory(dir)) {
      return result;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        String feature = f.getFileName().toString().replaceFirst("\\.json$", "");
        try (InputStream in = Files.newInputStream(f)) {
          for (String id : bundleIds(in)) {
            String[] gav = id.split(":");
            if (gav.length >= 3) {
              Path jar = system.resolve(gav[0].replace('.', '/') + "/" + gav[1] + "/" + gav[2] + "/" + gav[1] + "-"
                  + gav[2] + ".jar");
              result.computeIfAbsent(jar, k -> new ArrayList<>()).add(feature);
            }
          }
        } catch (IOException | RuntimeException e) {
          // a broken feature file is reported where features are read
        }
      }
    } catch (IOException e) {
      // no features
    }
    return result;
  }

  /** The {@code id} of each entry of a feature's {@code bundles}. */
  private static List<String> bundleIds(InputStream in) {
    List<String> ids = new ArrayList<>();
    jakarta.json.JsonArray bundles = Json.read(in).getJsonArray("bundles");
    if (bundles != null) {
      for (jakarta.json.JsonValue v : bundles) {
        if (v.getValueType() == jakarta.json.JsonValue.ValueType.STRING) {
          ids.add(((jakarta.json.JsonString) v).getString());
        } else if (v.getValueType() == jakarta.json.JsonValue.ValueType.OBJECT) {
          ids.add(((jakarta.json.JsonObject) v).getString("id", ""));
        }
      }
    }
    return ids;
  }
}
