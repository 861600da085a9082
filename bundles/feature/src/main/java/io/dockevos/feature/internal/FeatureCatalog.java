package io.dockevos.feature.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Downloads;
import io.dockevos.common.internal.FileKinds;
import io.dockevos.feature.FeatureException;
import io.dockevos.feature.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What features are known, and finding one: the files of {@code system/features/}, the registered
 * repositories (added, listed and removed here), the boot features the launcher named, and the
 * copies of the installed ones that the {@link FeatureRegistry} keeps.
 */
final class FeatureCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureCatalog.class);

  /** Where the boot features come from when {@code system/features/} does not have them. */
  interface BootSource {
    /** @return the launcher's list of boot features, comma-separated */
    String names();

    /** @return an embedding program's feature file on the framework class path, or null */
    URL resource(String path);
  }

  private final Path home;
  private final Path system;
  private final FeatureRegistry registry;
  private final BootSource boot;
  private final Downloads.Limits limits;

  /** @param limits the limits of a download of a repository's feature file */
  FeatureCatalog(Path home, Path system, FeatureRegistry registry, BootSource boot, Downloads.Limits limits) {
    this.home = home;
    this.system = system;
    this.registry = registry;
    this.boot = boot;
    this.limits = limits;
  }

  /** The features of system/features/ and the repositories, and the files among them that cannot be read. */
  record Catalog(List<Descriptor> features, List<String> problems, Map<String, String> brokenByName) {}

  Catalog catalog() {
    List<Descriptor> features = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, String> broken = new LinkedHashMap<>();
    Path dir = system.resolve("features");
    if (Files.isDirectory(dir)) {
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*.json")) {
        list.forEach(files::add);
      } catch (IOException e) {
        problems.add("The folder " + dir + " cannot be listed: " + e);
      }
      Collections.sort(files);
      for (Path f : files) {
        try {
          features.add(FeatureReader.read(Files.readAllBytes(f), f.toString()));
        } catch (FeatureException | IOException e) {
          String why = e instanceof FeatureException ? e.getMessage() : "Feature file " + f + " cannot be read: " + e;
          problems.add(why);
          broken.put(f.getFileName().toString().replaceFirst("\\.json$", ""), why);
        }
      }
    }
    for (String uri : registry.repositories()) {
      try {
        features.add(readRepository(uri));
      } catch (FeatureException e) {
        problems.add("Repository " + uri + ": " + e.getMessage());
      }
    }
    return new Catalog(features, problems, broken);
  }

  /** A repository's feature: its file as it is now, or the copy of its URL made when it was added. */
  private Descriptor readRepository(String uri) throws FeatureException {
    if (uri.startsWith("file:")) {
      Path file = Path.of(URI.create(uri));
      if (!Files.isRegularFile(file)) {
        throw new FeatureException("its file " + file + " is gone; feature:repo-remove " + uri + " forgets it");
      }
      try {
        return FeatureReader.read(Files.readAllBytes(file), file.toString());
      } catch (IOException e) {
        throw new FeatureException("Feature file " + file + " cannot be read: " + e, e);
      }
    }
    Path cached = registry.cached(uri);
    try {
      return FeatureReader.read(Files.readAllBytes(cached), uri);
    } catch (IOException e) {
      throw new FeatureException("its copy " + cached + " cannot be read (" + e + "); feature:repo-add " + uri
          + " downloads it again", e);
    }
  }

  /** The boot features of this start: read once, on first use (the launcher read the same files). */
  private volatile List<Descriptor> bootFeatures;

  List<Descriptor> bootFeatures() {
    List<Descriptor> b = bootFeatures;
    if (b == null) {
      b = List.copyOf(readBootFeatures());
      bootFeatures = b;
    }
    return b;
  }

  /** @return the boot feature of that ID, if it is one */
  Optional<Descriptor> boot(String id) {
    return bootFeatures().stream().filter(d -> d.id().equals(id)).findFirst();
  }

  /** The boot features, as the launcher names them, read from system/features/ or the class path. */
  private List<Descriptor> readBootFeatures() {
    List<Descriptor> result = new ArrayList<>();
    for (String name : boot.names().split(",")) {
      if (name.isBlank()) {
        continue;
      }
      String n = name.trim();
      Path file = system.resolve("features").resolve(n + ".json");
      try {
        if (Files.isRegularFile(file)) {
          result.add(FeatureReader.read(Files.readAllBytes(file), file.toString()));
        } else {
          URL url = boot.resource("system/features/" + n + ".json");
          if (url != null) {
            try (InputStream in = url.openStream()) {
              result.add(FeatureReader.read(in.readAllBytes(), url.toString()));
            }
          }
        }
      } catch (FeatureException | IOException e) {
        LOG.warn("Boot feature {} cannot be read: {}", n, e.getMessage());
      }
    }
    return result;
  }

  /** The copy of an installed feature's file that the registry keeps, or null when it is damaged. */
  Descriptor copyOf(FeatureRegistry.Installed rec) {
    Path copy = registry.copy(rec.id());
    try {
      return FeatureReader.read(Files.readAllBytes(copy), rec.source());
    } catch (IOException | FeatureException e) {
      LOG.warn("The copy {} of installed feature {} cannot be read: {}", copy, rec.id(), e.getMessage());
      return null;
    }
  }

  // ---- finding a feature -------------------------------------------------------------------------

  /** Whether a reference names a file or URL rather than a feature. */
  static boolean isLocation(String ref) {
    return ref.matches("(?i)(file|https?):.*") || ref.endsWith(".json");
  }

  static boolean matches(Descriptor d, String ref) {
    return ref.equals(d.id()) || ref.equals(d.name()) || ref.equals(d.name() + "/" + d.version());
  }

  /**
   * The feature that {@code ref} names: a file or URL, or a name, name/version or ID.
   *
   * @param installedCopy for an installed feature, the copy kept when it was installed rather than
   *     its file as it is now (which may have changed since)
   */
  Descriptor find(String ref, boolean installedCopy) throws FeatureException {
    String r = ref == null ? "" : ref.trim();
    if (r.isEmpty()) {
      throw new FeatureException("No feature given: name one (feature:list shows them), or give a feature file");
    }
    if (isLocation(r)) {
      return readLocation(r, "Cannot read feature file ");
    }
    Catalog catalog = catalog();
    List<Descriptor> current = new ArrayList<>(bootFeatures());
    current.addAll(catalog.features());
    List<Descriptor> copies = new ArrayList<>();
    for (FeatureRegistry.Installed rec : registry.installed()) {
      Descriptor copy = copyOf(rec);
      if (copy != null) {
        copies.add(copy);
      }
    }
    List<Descriptor> matches = new ArrayList<>();
    current.stream().filter(d -> matches(d, r)).forEach(matches::add);
    copies.stream().filter(d -> matches(d, r)).forEach(matches::add);
    if (!matches.isEmpty()) {
      // The highest version of a name; of its ID, the copy or the current file, as asked.
      String id = matches.stream().max((a, b) -> compareVersions(a.version(), b.version())).get().id();
      List<Descriptor> same = matches.stream().filter(d -> d.id().equals(id)).toList();
      Optional<Descriptor> copy = copies.stream().filter(d -> d.id().equals(id)).findFirst();
      return installedCopy && copy.isPresent() ? copy.get() : same.get(0);
    }
    String name = r.contains("/") ? r.substring(0, r.indexOf('/')) : r;
    if (catalog.brokenByName().containsKey(name)) {
      throw new FeatureException(catalog.brokenByName().get(name));
    }
    Set<String> names = new TreeSet<>();
    current.forEach(d -> names.add(d.name()));
    copies.forEach(d -> names.add(d.name()));
    throw new FeatureException("No feature named " + r + ". Available: " + (names.isEmpty() ? "none"
        : String.join(", ", names)) + " (feature:list shows them; feature:repo-add FILE|URL adds more)");
  }

  /** Reads a feature file or URL; every failure names the location. */
  Descriptor readLocation(String location, String prefix) throws FeatureException {
    String scheme = location.matches("(?i)(file|https?):.*") ? location.substring(0, location.indexOf(':'))
        .toLowerCase() : "";
    if (scheme.startsWith("http")) {
      return FeatureReader.read(download(location, prefix, false, "use https:, or register it with feature:repo-add"
          + " --insecure " + location + " and install the feature by name"), location);
    }
    Path file;
    try {
      file = scheme.isEmpty() ? home.resolve(location).normalize() : Path.of(URI.create(location));
    } catch (IllegalArgumentException e) {
      throw new FeatureException(prefix + location + ": it is not a file path or a file: URL (" + e.getMessage() + ")");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new FeatureException(prefix + location + ": " + file + " is " + FileKinds.kind(file)
          + ", not a regular file");
    }
    if (!Files.isRegularFile(file)) {
      throw new FeatureException(prefix + location + ": there is no file " + file
          + (scheme.isEmpty() && !Path.of(location).isAbsolute() ? " (a relative path is read from the dockevOS home, "
              + home + ")" : ""));
    }
    try {
      return FeatureReader.read(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new FeatureException(prefix + file + ": " + e, e);
    }
  }

  /**
   * Downloads a feature file, within the limits of every download.
   *
   * @param insecure whether a plain http: URL is accepted
   * @param advice what to do about a plain http: URL that is not
   */
  private byte[] download(String url, String prefix, boolean insecure, String advice) throws FeatureException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new FeatureException(prefix + url + ": it is not a valid URL (" + e.getMessage() + ")", e);
    }
    if (!insecure && Downloads.plainHttp(uri)) {
      throw new FeatureException(prefix + url + ": " + Downloads.NOT_SECURE + "; " + advice);
    }
    try {
      return Downloads.toBytes(uri, limits);
    } catch (Downloads.Failure e) {
      throw new FeatureException(prefix + url + ": " + e.getMessage(), e);
    }
  }

  /** Compares Maven versions by their numeric parts first: 1.10 is after 1.9, 1.0-SNAPSHOT before 1.0. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String p = i < x.length ? x[i] : null;
      String q = i < y.length ? y[i] : null;
      if (p == null || q == null) {
        // 1.0 > 1.0-SNAPSHOT; 1.0.1 > 1.0
        String rest = p == null ? q : p;
        int sign = rest.matches("\\d+") ? 1 : -1;
        return p == null ? -sign : sign;
      }
      int c;
      if (p.matches("\\d{1,18}") && q.matches("\\d{1,18}")) {
        c = Long.compare(Long.parseLong(p), Long.parseLong(q));
      } else {
        c = p.compareTo(q);
      }
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  // ---- repositories ------------------------------------------------------------------------------

  /** A location as the registry keeps it: a URL as given, a file as its absolute file: URI. */
  private String normalize(String location) throws FeatureException {
    String l = location == null ? "" : location.trim();
    if (l.isEmpty()) {
      throw new FeatureException("No repository given: name a feature file, or a file:, http: or https: URL");
    }
    if (l.matches("(?i)https?:.*")) {
      return l;
    }
    java.util.regex.Matcher scheme = java.util.regex.Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*").matcher(l);
    if (scheme.matches() && !scheme.group(1).equalsIgnoreCase("file") && (l.contains("://")
        || !Files.exists(home.resolve(l)))) {
      throw new FeatureException("Cannot add repository " + l + ": unknown kind of source '" + scheme.group(1)
          + ":'; use a feature file's path, a file:, http: or https: URL");
    }
    try {
      Path file = l.matches("(?i)file:.*") ? fileUrl(l) : home.resolve(l);
      return file.toAbsolutePath().normalize().toUri().toString();
    } catch (IllegalArgumentException e) {
      throw new FeatureException("Cannot add repository " + l + ": it is not a file path or a URL (" + e.getMessage()
          + ")");
    }
  }

  /**
   * @return the file that a {@code file:} URL names
   * @throws FeatureException for a URL with a host: a file: URL names a file on this machine
   */
  private static Path fileUrl(String l) throws FeatureException {
    URI uri = URI.create(l);
    if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
      throw new FeatureException("Cannot add repository " + l + ": a file: URL names a file on this machine and takes"
          + " no host ('" + uri.getRawAuthority() + "'); write file:///PATH, or the path itself");
    }
    return Path.of(uri);
  }

  /** @param insecure whether a plain http: URL is accepted ({@code feature:repo-add --insecure}) */
  Repository addRepository(String location, boolean insecure) throws FeatureException {
    String uri = normalize(location);
    String prefix = "Cannot add repository ";
    Descriptor d;
    byte[] bytes = null;
    try {
      if (uri.startsWith("file:")) {
        d = readLocation(uri, prefix);
      } else {
        bytes = download(uri, prefix, insecure, "use https:, or give --insecure to add it anyway");
        d = FeatureReader.read(bytes, uri);
      }
    } catch (FeatureException e) {
      throw e.getMessage().startsWith(prefix) ? e : new FeatureException(prefix + uri + ": " + e.getMessage(), e);
    }
    if (bytes != null) {
      try {
        AtomicFiles.write(registry.cached(uri), bytes);
      } catch (IOException e) {
        throw new FeatureException(prefix + uri + ": its copy " + registry.cached(uri) + " cannot be written: " + e, e);
      }
    }
    try {
      registry.addRepository(uri);
    } catch (IOException e) {
      throw new FeatureException(prefix + uri + ": the registry cannot be written: " + e, e);
    }
    LOG.info("Added feature repository {}: {}", uri, d.id());
    return new Repository(uri, List.of(d.id()), null);
  }

  Repository removeRepository(String location) throws FeatureException {
    String l = location == null ? "" : location.trim();
    String uri = registry.repositories().contains(l) ? l : normalize(l);
    Repository before = repositories().stream().filter(r -> r.uri().equals(uri)).findFirst()
        .orElseThrow(() -> new FeatureException("No repository " + l + " is registered; feature:repo-list shows them"));
    try {
      registry.removeRepository(uri);
      Files.deleteIfExists(registry.cached(uri));
    } catch (IOException e) {
      throw new FeatureException("Cannot remove repository " + uri + ": " + e, e);
    }
    return before;
  }

  List<Repository> repositories() {
    List<Repository> result = new ArrayList<>();
    for (String uri : registry.repositories()) {
      try {
        result.add(new Repository(uri, List.of(readRepository(uri).id()), null));
      } catch (FeatureException e) {
        result.add(new Repository(uri, List.of(), e.getMessage()));
      }
    }
    return result;
  }
}
