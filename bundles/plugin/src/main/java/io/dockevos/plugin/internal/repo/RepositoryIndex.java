package io.dockevos.plugin.internal.repo;

import aQute.bnd.osgi.resource.CapReqBuilder;
import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Downloads;
import io.dockevos.common.internal.Json;
import io.dockevos.install.Repositories;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.namespace.IdentityNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository that plans draw from, as OSGi resources: the bundles of {@code system/}, of the
 * local Maven repository, and of the R5 indexes a user registered. Resources are built by bnd
 * (manifest to capabilities, R5 XML both ways); the two folders are indexed on disk under the state
 * folder and refreshed by what changed (size and time of each jar), so a warm start does not open
 * the jars again. Capabilities are indexed by namespace and by the value of the namespace attribute
 * (a package name, a symbolic name), so that {@link #findProviders} is a map look-up and a filter
 * match on a few capabilities.
 *
 * <p>Thread-safe: queries read an immutable snapshot; refreshes and registrations replace it.
 */
public final class RepositoryIndex implements Repositories, io.dockevos.plugin.internal.plan.Catalog {
  public static final String SYSTEM = "system";
  public static final String MAVEN_LOCAL = "maven-local";
  static final String REGISTRATIONS = "indexes.json";
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryIndex.class);
  private static final Map<List<Path>, RepositoryIndex> SHARED = new ConcurrentHashMap<>();
  private static final Set<String> NOT_OFFERED = Set.of(IdentityNamespace.IDENTITY_NAMESPACE, "osgi.wiring.bundle",
      "osgi.wiring.host", "osgi.content");

  /** Where a resource comes from. */
  private record Origin(String repository, Provider.Kind kind, String location) {}

  /** The capabilities of one namespace: by the value of the namespace attribute, and all of them. */
  private record NamespaceIndex(Map<String, List<Capability>> byValue, List<Capability> all) {}

  /** What queries read: replaced whole when something changed. */
  private record Snapshot(List<RepositoryInfo> infos, List<Resource> resources, Map<Resource, Origin> origins,
      Map<String, NamespaceIndex> namespaces) {}

  /** A registered R5 index, read at registration, at start, and again when its file changed. */
  private static final class IndexRepository {
    final String name;
    final String location;
    /** Registered with {@code --insecure}: it may be read, and its bundles fetched, over plain http:. */
    final boolean insecure;
    volatile List<Resource> resources;
    long modified;

    IndexRepository(String name, String location, boolean insecure, List<Resource> resources, long modified) {
      this.name = name;
      this.location = location;
      this.insecure = insecure;
      this.resources = resources;
      this.modified = modified;
    }
  }

  /**
   * What a registered index says of a bundle it offers at a URL.
   *
   * @param index the index's name
   * @param sha256 the SHA-256 it gives ({@code osgi.content}), or {@code null}
   * @param insecure whether the index was registered with {@code --insecure}
   */
  public record Offered(String index, String sha256, boolean insecure) {}

  /** The limits of a download of an index; set by the repository service from the framework properties. */
  private volatile Downloads.Limits limits = Downloads.Limits.DEFAULT;

  private final Path system;
  private final Path mavenLocal;
  private final Path registrations;
  private final FolderRepository systemRepo;
  private final FolderRepository mavenRepo;
  private final Features features;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final List<IndexRepository> indexes = new ArrayList<>();
  private volatile Snapshot snapshot;
  private volatile long lastRefresh;
  private final Map<String, Filter> filters = new ConcurrentHashMap<>();

  /**
   * Reads nothing yet: the first query (or {@link #refresh()}) loads the indexes on disk and looks
   * for what changed.
   *
   * @param system the distribution's {@code system/} folder
   * @param mavenLocal the local Maven repository
   * @param stateDir where the indexes of both folders and the registrations are kept; {@code null}
   *     to keep nothing on disk
   */
  public RepositoryIndex(Path system, Path mavenLocal, Path stateDir) {
    this.system = system == null ? null : system.toAbsolutePath().normalize();
    this.mavenLocal = mavenLocal == null ? null : mavenLocal.toAbsolutePath().normalize();
    this.registrations = stateDir == null ? null : stateDir.resolve(REGISTRATIONS);
    this.systemRepo = new FolderRepository(SYSTEM, this.system, stateDir);
    this.mavenRepo = new FolderRepository(MAVEN_LOCAL, this.mavenLocal, stateDir);
    this.features = new Features(this.system);
  }

  /** @return the local Maven repository: {@code maven.repo.local}, else {@code ~/.m2/repository} */
  public static Path defaultMavenLocal() {
    String repo = System.getProperty("maven.repo.local");
    return repo != null && !repo.isBlank() ? Path.of(repo)
        : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /** Makes this index the one {@link #shared} returns for its two folders. */
  public void share() {
    SHARED.put(key(system, mavenLocal), this);
  }

  /** Undoes {@link #share()}, if this index is still the shared one. */
  public void unshare() {
    SHARED.remove(key(system, mavenLocal), this);
  }

  /** @return the index the repository service made for these folders, if it runs */
  public static Optional<RepositoryIndex> shared(Path system, Path mavenLocal) {
    return Optional.ofNullable(SHARED.get(key(system, mavenLocal)));
  }

  private static List<Path> key(Path system, Path maven) {
    return List.of(system == null ? Path.of("") : system.toAbsolutePath().normalize(),
        maven == null ? Path.of("") : maven.toAbsolutePath().normalize());
  }

  // --- the planner's view ---

  /**
   * @return the capabilities of every repository that satisfy the requirement (its namespace and
   *     {@code filter} directive; all of the namespace when it has no filter), those of {@code
   *     system/} first, then the local Maven repository, then the registered indexes; a new list
   * @throws IllegalArgumentException when the filter is not valid, naming it
   */
  public List<Capability> findProviders(Requirement requirement) {
    String namespace = requirement.getNamespace();
    NamespaceIndex index = snapshot().namespaces().get(namespace);
    if (index == null) {
      return new ArrayList<>();
    }
    String f = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
    if (f == null) {
      return new ArrayList<>(index.all());
    }
    Filter filter = filter(f);
    String value = value(namespace, f);
    List<Capability> candidates = value == null ? index.all() : index.byValue().getOrDefault(value, List.of());
    List<Capability> result = new ArrayList<>();
    for (Capability c : candidates) {
      if (filter.matches(c.getAttributes())) {
        result.add(c);
      }
    }
    return result;
  }

  /**
   * @return what {@code plugin:install} (the plugin manager's sources) takes to install the
   *     resource: the jar's absolute path for {@code system/} and the local Maven repository, the URL
   *     of the bundle (resolved against the index's own URL) for a registered index
   * @throws IllegalArgumentException when the resource has no {@code osgi.content} URL
   */
  public String source(Resource r) {
    String url = FolderRepository.url(r);
    if (url == null) {
      throw new IllegalArgumentException("The resource " + identity(r) + " has no osgi.content URL to install it from");
    }
    Origin o = snapshot().origins().get(r);
    Path p = o != null && o.kind() == Provider.Kind.INDEX ? null : FolderRepository.path(r);
    return p != null ? p.toString() : url;
  }

  /** @return the {@code .pom} beside a jar in the Maven layout ({@code g/a/v/a-v.jar}), when it is there */
  public Optional<Path> pom(Resource r) {
    Path jar = FolderRepository.path(r);
    if (jar == null || jar.getParent() == null || jar.getParent().getParent() == null) {
      return Optional.empty();
    }
    Path dir = jar.getParent();
    String version = dir.getFileName().toString();
    String artifact = dir.getParent().getFileName().toString();
    Path pom = dir.resolve(artifact + "-" + version + ".pom");
    return Files.isRegularFile(pom) ? Optional.of(pom) : Optional.empty();
  }

  /** @return where the resource is, for a person, and how to install it: the first of {@link #providers(Resource)} */
  public Provider provider(Resource r) {
    return providers(r).get(0);
  }

  /**
   * @return where the resource is and how to install it: one {@link Provider.Kind#FEATURE} for
   *     each feature of {@code system/features/} that names the jar, else one of its kind
   */
  public List<Provider> providers(Resource r) {
    Origin o = snapshot().origins().get(r);
    String[] id = identity(r);
    Path jar = FolderRepository.path(r);
    if (o == null) {
      return List.of(new Provider(Provider.Kind.INDEX, id[0], id[1], "?", source(r)));
    }
    return switch (o.kind()) {
      case SYSTEM, FEATURE -> {
        List<String> in = jar == null ? List.of() : features.naming(jar);
        if (in.isEmpty()) {
          yield List.of(new Provider(Provider.Kind.SYSTEM, id[0], id[1], "system/" + relative(system, jar),
              source(r)));
        }
        yield in.stream().map(feature -> new Provider(Provider.Kind.FEATURE, id[0], id[1], feature, feature)).toList();
      }
      case MAVEN -> List.of(new Provider(Provider.Kind.MAVEN, id[0], id[1], String.valueOf(jar), coordinates(jar)));
      case INDEX -> List.of(new Provider(Provider.Kind.INDEX, id[0], id[1], o.repository() + " (" + o.location() + ")",
          source(r)));
    };
  }

  /** @return the name of the repository the resource comes from, or {@code null} when it is none of these */
  public String repository(Resource r) {
    Origin o = snapshot().origins().get(r);
    return o == null ? null : o.repository();
  }

  /**
   * Looks again at the jars of {@code system/} and of the local Maven repository (size and time of
   * each; only new or changed jars are read), at the feature files, and at the files of registered
   * indexes. Cheap when nothing changed: no jar is opened and the snapshot is kept.
   */
  public void refresh() {
    synchronized (lock) {
      boolean first = snapshot == null;
      if (first) {
        loadRegistrations();
      }
      boolean changed = systemRepo.refresh();
      changed |= mavenRepo.refresh();
      changed |= features.refresh();
      changed |= rereadChangedIndexes();
      if (changed || first) {
        rebuild();
      }
      lastRefresh = System.nanoTime();
    }
  }

  /** {@link #refresh()} unless one ran within {@code age}: for callers that ask many questions in a row. */
  @Override
  public void checkForChanges() {
    if (snapshot != null) {
      refresh();
    }
  }

  public void refreshIfOlderThan(Duration age) {
    if (snapshot == null || System.nanoTime() - lastRefresh > age.toNanos()) {
      refresh();
    }
  }

  /** @return how many jar manifests were read since this index was made: an unchanged jar is not read again */
  int manifestReads() {
    return systemRepo.reads() + mavenRepo.reads();
  }

  private Snapshot snapshot() {
    Snapshot s = snapshot;
    if (s == null) {
      refresh();
      s = snapshot;
    }
    return s;
  }

  /** Rebuilds the snapshot from the repositories; under {@link #lock}. */
  private void rebuild() {
    List<RepositoryInfo> infos = new ArrayList<>();
    List<Resource> all = new ArrayList<>();
    Map<Resource, Origin> origins = new IdentityHashMap<>();
    Map<String, Map<String, List<Capability>>> byValue = new HashMap<>();
    Map<String, List<Capability>> byNamespace = new HashMap<>();
    List<Object[]> repos = new ArrayList<>();
    repos.add(new Object[] {SYSTEM, String.valueOf(system), Provider.Kind.SYSTEM, systemRepo.resources()});
    repos.add(new Object[] {MAVEN_LOCAL, String.valueOf(mavenLocal), Provider.Kind.MAVEN, mavenRepo.resources()});
    for (IndexRepository i : indexes) {
      repos.add(new Object[] {i.name, i.location, Provider.Kind.INDEX, i.resources});
    }
    for (Object[] repo : repos) {
      @SuppressWarnings("unchecked")
      List<Resource> resources = (List<Resource>) repo[3];
      Origin origin = new Origin((String) repo[0], (Provider.Kind) repo[2], (String) repo[1]);
      infos.add(new RepositoryInfo((String) repo[0], (String) repo[1], resources.size()));
      for (Resource r : resources) {
        if (origins.putIfAbsent(r, origin) != null) {
          continue;
        }
        all.add(r);
        for (Capability c : r.getCapabilities(null)) {
          String ns = c.getNamespace();
          byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(c);
          Object v = c.getAttributes().get(ns);
          if (v instanceof Collection<?> values) {
            for (Object each : values) {
              byValue.computeIfAbsent(ns, k -> new HashMap<>()).computeIfAbsent(String.valueOf(each),
                  k -> new ArrayList<>(2)).add(c);
            }
          } else if (v != null) {
            byValue.computeIfAbsent(ns, k -> new HashMap<>()).computeIfAbsent(v.toString(), k -> new ArrayList<>(2))
                .add(c);
          }
        }
      }
    }
    Map<String, NamespaceIndex> namespaces = new HashMap<>();
    byNamespace.forEach((ns, caps) -> namespaces.put(ns, new NamespaceIndex(byValue.getOrDefault(ns, Map.of()),
        Collections.unmodifiableList(caps))));
    snapshot = new Snapshot(List.copyOf(infos), Collections.unmodifiableList(all),
        Collections.unmodifiableMap(origins), namespaces);
  }

  // --- filters ---

  private Filter filter(String f) {
    Filter filter = filters.get(f);
    if (filter == null) {
      try {
        filter = FrameworkUtil.createFilter(f);
      } catch (InvalidSyntaxException e) {
        throw new IllegalArgumentException("not a valid filter: " + f + ": " + e.getMessage(), e);
      }
      if (filters.size() > 10_000) {
        filters.clear();
      }
      filters.put(f, filter);
    }
    return filter;
  }

  /**
   * @return the value the filter requires of the namespace attribute, when it is a plain equality on
   *     its own or a direct term of a top-level {@code &} (as in every package or bundle
   *     requirement); {@code null} when the filter does not pin one, and every capability of the
   *     namespace must be matched
   */
  static String value(String namespace, String filter) {
    String f = filter.trim();
    if (f.startsWith("(&") && f.endsWith(")")) {
      int depth = 0;
      int start = -1;
      for (int i = 2; i < f.length() - 1; i++) {
        char c = f.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == '(') {
          if (depth++ == 0) {
            start = i;
          }
        } else if (c == ')' && --depth == 0) {
          String v = equality(namespace, f.substring(start, i + 1));
          if (v != null) {
            return v;
          }
        }
      }
      return null;
    }
    return equality(namespace, f);
  }

  private static String equality(String namespace, String term) {
    String head = "(" + namespace + "=";
    if (!term.startsWith(head) || !term.endsWith(")")) {
      return null;
    }
    String v = term.substring(head.length(), term.length() - 1);
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '*' || c == '\\' || c == '(' || c == ')' || Character.isWhitespace(c)) {
        return null;
      }
    }
    return v.isEmpty() ? null : v;
  }

  // --- Repositories ---

  @Override
  public List<RepositoryInfo> list() {
    return snapshot().infos();
  }

  /** Sets the limits of every download of an index. */
  public void limits(Downloads.Limits l) {
    this.limits = l;
  }

  /**
   * @return what the registered index that offers a bundle at {@code url} says of it; empty when no
   *     registered index offers it ({@code system/} and the local Maven repository offer files)
   */
  public Optional<Offered> offered(String url) {
    synchronized (lock) {
      snapshot();
      for (IndexRepository i : indexes) {
        for (Resource r : i.resources) {
          if (url.equals(FolderRepository.url(r))) {
            return Optional.of(new Offered(i.name, digest(r), i.insecure));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** @return the SHA-256 of a resource's first {@code osgi.content} capability, or {@code null} */
  private static String digest(Resource r) {
    for (Capability c : r.getCapabilities("osgi.content")) {
      Object sha = c.getAttributes().get("osgi.content");
      if (sha != null && sha.toString().matches("[0-9a-fA-F]{64}")) {
        return sha.toString();
      }
    }
    return null;
  }

  @Override
  public RepositoryInfo add(String location) throws PluginException {
    return add(location, false);
  }

  /**
   * Registers an index; a plain {@code http:} one only with {@code insecure}, which also lets its
   * bundles come over plain {@code http:}.
   */
  public RepositoryInfo add(String location, boolean insecure) throws PluginException {
    if (location == null || location.isBlank()) {
      throw new PluginException("No index given: name an R5 index file (XML, plain or gzipped) or its URL");
    }
    String where = IndexFiles.normalize(location.trim());
    if (!insecure && where.regionMatches(true, 0, "http:", 0, 5)) {
      throw new PluginException("Cannot add the index " + where + ": " + Downloads.NOT_SECURE
          + "; use https:, or give --insecure to register it anyway");
    }
    synchronized (lock) {
      snapshot();
      for (IndexRepository i : indexes) {
        if (i.location.equals(where)) {
          throw new PluginException("The index " + where + " is already registered, as " + i.name);
        }
      }
      IndexFiles.Parsed parsed = IndexFiles.parse(where, limits);
      String name = uniqueName(parsed.name() != null && !parsed.name().isBlank() ? parsed.name().trim()
          : IndexFiles.baseName(where));
      IndexRepository repo = new IndexRepository(name, where, insecure, parsed.resources(), IndexFiles.modified(where));
      indexes.add(repo);
      try {
        saveRegistrations();
      } catch (IOException e) {
        indexes.remove(repo);
        throw new PluginException("Cannot record the index " + where + " in " + registrations + ": " + e, e);
      }
      rebuild();
      return new RepositoryInfo(name, where, parsed.resources().size());
    }
  }

  @Override
  public RepositoryInfo remove(String ref) throws PluginException {
    synchronized (lock) {
      snapshot();
      String r = ref == null ? "" : ref.trim();
      IndexRepository found = null;
      for (IndexRepository i : indexes) {
        if (i.name.equals(r) || i.location.equals(r) || i.location.equals(IndexFiles.normalize(r))) {
          found = i;
          break;
        }
      }
      if (found == null) {
        if (SYSTEM.equals(r) || MAVEN_LOCAL.equals(r)) {
          throw new PluginException("The repository " + r + " is built in and cannot be removed");
        }
        throw new PluginException("No registered index is named or located " + r + " (repo:list shows them)");
      }
      indexes.remove(found);
      try {
        saveRegistrations();
      } catch (IOException e) {
        indexes.add(found);
        throw new PluginException("Cannot record the removal of " + found.name + " in " + registrations + ": " + e, e);
      }
      rebuild();
      return new RepositoryInfo(found.name, found.location, found.resources.size());
    }
  }

  @Override
  public List<Offer> search(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Snapshot s = snapshot();
    List<Offer> result = new ArrayList<>();
    for (Resource r : s.resources()) {
      if (t.isEmpty() || matchesText(r, t)) {
        result.add(offer(r, s));
      }
    }
    return result;
  }

  @Override
  public List<Offer> search(String namespace, String filter) {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("No namespace given, for example osgi.wiring.package");
    }
    CapReqBuilder b = new CapReqBuilder(namespace.trim());
    if (filter != null && !filter.isBlank()) {
      filter(filter.trim());
      b.addDirective(Namespace.REQUIREMENT_FILTER_DIRECTIVE, filter.trim());
    }
    Snapshot s = snapshot();
    Map<Resource, Boolean> seen = new IdentityHashMap<>();
    List<Offer> result = new ArrayList<>();
    for (Capability c : findProviders(b.buildSyntheticRequirement())) {
      if (seen.put(c.getResource(), Boolean.TRUE) == null) {
        result.add(offer(c.getResource(), s));
      }
    }
    return result;
  }

  private static boolean matchesText(Resource r, String t) {
    if (identity(r)[0].toLowerCase(Locale.ROOT).contains(t)) {
      return true;
    }
    Path p = FolderRepository.path(r);
    if (p != null && p.getFileName().toString().toLowerCase(Locale.ROOT).contains(t)) {
      return true;
    }
    for (Capability c : r.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
      Object pkg = c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
      if (pkg != null && pkg.toString().toLowerCase(Locale.ROOT).contains(t)) {
        return true;
      }
    }
    return false;
  }

  private Offer offer(Resource r, Snapshot s) {
    String[] id = identity(r);
    Origin o = s.origins().get(r);
    String source;
    try {
      source = source(r);
    } catch (IllegalArgumentException e) {
      source = "";
    }
    return new Offer(id[0], id[1], provides(r), o == null ? "" : o.repository(), source);
  }

  /** @return what the resource provides, one capability a line: {@code package com.x 1.2.0}, {@code osgi.extender osgi.component 1.5.0} */
  static List<String> provides(Resource r) {
    List<String> lines = new ArrayList<>();
    for (Capability c : r.getCapabilities(null)) {
      String ns = c.getNamespace();
      if (NOT_OFFERED.contains(ns)) {
        continue;
      }
      Map<String, Object> a = c.getAttributes();
      Object value = a.get(ns);
      if (value == null && "osgi.service".equals(ns)) {
        value = a.get("objectClass");
      }
      Object version = a.get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
      String name = PackageNamespace.PACKAGE_NAMESPACE.equals(ns) ? "package" : ns;
      lines.add(name + (value == null ? "" : " " + (value instanceof Collection<?> col ? String.join(",",
          col.stream().map(String::valueOf).toList()) : value)) + (version == null ? "" : " " + version));
    }
    return lines;
  }

  /** @return the symbolic name and version of a resource, from its identity capability */
  static String[] identity(Resource r) {
    for (Capability c : r.getCapabilities(IdentityNamespace.IDENTITY_NAMESPACE)) {
      Object name = c.getAttributes().get(IdentityNamespace.IDENTITY_NAMESPACE);
      Object version = c.getAttributes().get(IdentityNamespace.CAPABILITY_VERSION_ATTRIBUTE);
      return new String[] {String.valueOf(name), version == null ? "0.0.0" : version.toString()};
    }
    return new String[] {"?", "0.0.0"};
  }

  private static String relative(Path root, Path p) {
    if (p == null) {
      return "?";
    }
    return root != null && p.startsWith(root) ? root.relativize(p).toString().replace('\\', '/') : p.toString();
  }

  /** {@code mvn:group/artifact/version} for a jar in the Maven layout of the local repository. */
  private String coordinates(Path jar) {
    if (jar == null || mavenLocal == null || !jar.startsWith(mavenLocal)) {
      return String.valueOf(jar);
    }
    Path rel = mavenLocal.relativize(jar);
    int n = rel.getNameCount();
    if (n < 4) {
      return jar.toString();
    }
    String version = rel.getName(n - 2).toString();
    String artifact = rel.getName(n - 3).toString();
    String group = rel.subpath(0, n - 3).toString().replace(java.io.File.separatorChar, '.');
    String file = rel.getName(n - 1).toString();
    String base = artifact + "-" + version;
    String classifier = file.startsWith(base + "-") ? file.substring(base.length() + 1, file.length() - 4) : "";
    return "mvn:" + group + "/" + artifact + "/" + version + (classifier.isEmpty() ? "" : "/jar/" + classifier);
  }

  // --- registered indexes ---

  private String uniqueName(String wanted) {
    String name = wanted;
    for (int n = 2; SYSTEM.equals(name) || MAVEN_LOCAL.equals(name) || named(name); n++) {
      name = wanted + "-" + n;
    }
    return name;
  }

  private boolean named(String name) {
    return indexes.stream().anyMatch(i -> i.name.equals(name));
  }

  /** Under {@link #lock}: reads the registered indexes; one that cannot be read is kept, empty, and logged. */
  private void loadRegistrations() {
    indexes.clear();
    if (registrations == null || !Files.isRegularFile(registrations)) {
      return;
    }
    try (InputStream in = Files.newInputStream(registrations)) {
      jakarta.json.JsonArray list = Json.read(in).getJsonArray("indexes");
      if (list == null) {
        return;
      }
      for (jakarta.json.JsonValue v : list) {
        jakarta.json.JsonObject o = v.asJsonObject();
        String name = o.getString("name", "");
        String location = o.getString("location", "");
        boolean insecure = o.getBoolean("insecure", false);
        List<Resource> resources = List.of();
        try {
          resources = IndexFiles.parse(location, limits).resources();
        } catch (PluginException e) {
          LOG.warn("The registered index {} offers nothing until it can be read: {}", name, e.getMessage());
        }
        indexes.add(new IndexRepository(name, location, insecure, resources, IndexFiles.modified(location)));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot read the registered indexes from {}: {}", registrations, e.toString());
    }
  }

  /** Under {@link #lock}: reads again the index files whose time changed; @return whether one did */
  private boolean rereadChangedIndexes() {
    boolean changed = false;
    for (IndexRepository i : indexes) {
      long m = IndexFiles.modified(i.location);
      if (m != -1 && m != i.modified) {
        i.modified = m;
        try {
          i.resources = IndexFiles.parse(i.location, limits).resources();
        } catch (PluginException e) {
          LOG.warn("The index {} changed and cannot be read; it offers nothing until it can: {}", i.name,
              e.getMessage());
          i.resources = List.of();
        }
        changed = true;
      }
    }
    return changed;
  }

  private void saveRegistrations() throws IOException {
    if (registrations == null) {
      return;
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (IndexRepository i : indexes) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", i.name);
      m.put("location", i.location);
      if (i.insecure) {
        m.put("insecure", true);
      }
      list.add(m);
    }
    AtomicFiles.write(registrations, Json.pretty(Map.of("indexes", list)).getBytes(StandardCharsets.UTF_8));
  }
}
