package io.dockevos.feature.internal;

import io.dockevos.common.internal.AtomicFiles;

import io.dockevos.api.Host;
import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureDetails;
import io.dockevos.feature.FeatureEvents;
import io.dockevos.feature.FeatureException;
import io.dockevos.feature.FeatureManager;
import io.dockevos.feature.FeatureState;
import io.dockevos.feature.Repository;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginManager.InstallOption;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feature manager: feature files read with the Felix Feature Service, their bundles installed
 * through the plugin manager, resolved together and started in their start order, all or nothing,
 * and their configurations given to Configuration Admin.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = FeatureManager.class, immediate = true)
public final class FeatureManagerImpl implements FeatureManager {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureManagerImpl.class);
  /** The framework property in which the launcher names the features it booted. */
  static final String BOOTED_PROPERTY = "dockevos.features.booted";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(1);
  private static final String NOTHING_REMAINS = "Nothing the install added remains installed.";

  private final BundleContext context;
  private final PluginManager plugins;
  private final ConfigurationAdmin configAdmin;
  private final Path home;
  private final Path system;
  private final FeatureRegistry registry;
  private final BundleFinder finder;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;

  @Activate
  public FeatureManagerImpl(BundleContext context, @Reference PluginManager plugins,
      @Reference ConfigurationAdmin configAdmin) {
    this.context = context;
    this.plugins = plugins;
    this.configAdmin = configAdmin;
    this.home = Path.of(property(Host.HOME_PROPERTY, ".")).toAbsolutePath().normalize();
    Path data = Path.of(property(Host.DATA_PROPERTY, home.resolve("data").toString()));
    this.system = home.resolve("system");
    this.registry = new FeatureRegistry(data.resolve("features"));
    this.finder = new BundleFinder(system, BundleFinder.localRepository());
    undoInterruptedInstall();
  }

  /** An install that a crash or a kill cut short is undone, as a failed one would have been. */
  private void undoInterruptedInstall() {
    Optional<FeatureRegistry.Pending> pending = registry.pending();
    if (pending.isEmpty()) {
      return;
    }
    FeatureRegistry.Pending p = pending.get();
    LOG.warn("The install of feature {} was cut short when the runtime stopped; removing what it had added: {} bundles,"
        + " {} configurations", p.feature(), p.bundles().size(), p.configurations().size());
    for (String location : p.bundles()) {
      Bundle b = context.getBundle(location);
      if (b != null) {
        try {
          plugins.uninstall(String.valueOf(b.getBundleId()), true);
        } catch (PluginException | RuntimeException e) {
          LOG.error("Cannot remove {} of the interrupted install of {}: {}", location, p.feature(), e.toString());
        }
      }
    }
    for (String pid : p.configurations()) {
      deleteConfiguration(pid);
    }
    registry.donePending();
  }

  private String property(String key, String fallback) {
    String v = context.getProperty(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  // ---- what is known -----------------------------------------------------------------------------

  /** The features of system/features/ and the repositories, and the files among them that cannot be read. */
  private record Catalog(List<Descriptor> features, List<String> problems, Map<String, String> brokenByName) {}

  private Catalog catalog() {
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

  private List<Descriptor> bootFeatures() {
    List<Descriptor> boot = bootFeatures;
    if (boot == null) {
      boot = List.copyOf(readBootFeatures());
      bootFeatures = boot;
    }
    return boot;
  }

  /** The boot features, as the launcher names them, read from system/features/ or the class path. */
  private List<Descriptor> readBootFeatures() {
    String names = context.getProperty(BOOTED_PROPERTY);
    if (names == null) {
      names = property("dockevos.features.boot", "") + "," + property("dockevos.features.shell", "");
    }
    List<Descriptor> result = new ArrayList<>();
    for (String name : names.split(",")) {
      if (name.isBlank()) {
        continue;
      }
      String n = name.trim();
      Path file = system.resolve("features").resolve(n + ".json");
      try {
        if (Files.isRegularFile(file)) {
          result.add(FeatureReader.read(Files.readAllBytes(file), file.toString()));
        } else {
          // An embedding program's features jar: on the framework class path, which the system bundle sees.
          URL url = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getResource("system/features/" + n + ".json");
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

  /** The framework's bundles by symbolic name and version. */
  private Map<String, Bundle> bundlesByIdentity() {
    Map<String, Bundle> result = new HashMap<>();
    for (Bundle b : context.getBundles()) {
      if (b.getSymbolicName() != null) {
        result.put(key(b.getSymbolicName(), b.getVersion().toString()), b);
      }
    }
    return result;
  }

  private static String key(String symbolicName, String version) {
    return symbolicName + "/" + version;
  }

  private static boolean isFragment(Bundle b) {
    BundleRevision rev = b.adapt(BundleRevision.class);
    return rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }

  private static boolean running(Bundle b) {
    return b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING || (isFragment(b)
        && b.getState() == Bundle.RESOLVED);
  }

  private FeatureState state(FeatureRegistry.Installed rec, Map<String, Bundle> bundles) {
    for (FeatureRegistry.Bundle fb : rec.bundles()) {
      Bundle b = bundles.get(key(fb.symbolicName(), fb.version()));
      if (b == null || !running(b)) {
        return FeatureState.INCOMPLETE;
      }
    }
    return FeatureState.INSTALLED;
  }

  private static Feature feature(Descriptor d, FeatureState state, String source, Instant installed) {
    return new Feature(d.id(), d.name(), d.version(), d.title(), d.description(), state, source, d.bundles().size(),
        installed);
  }

  private Feature feature(FeatureRegistry.Installed rec, Map<String, Bundle> bundles) {
    Descriptor d = copyOf(rec);
    FeatureState state = state(rec, bundles);
    return d != null ? feature(d, state, rec.source(), rec.installed())
        : new Feature(rec.id(), rec.name(), rec.version(), null, null, state, rec.source(), rec.bundles().size(),
            rec.installed());
  }

  /** The copy of an installed feature's file that the registry keeps, or null when it is damaged. */
  private Descriptor copyOf(FeatureRegistry.Installed rec) {
    Path copy = registry.copy(rec.id());
    try {
      Descriptor d = FeatureReader.read(Files.readAllBytes(copy), rec.source());
      return d;
    } catch (IOException | FeatureException e) {
      LOG.warn("The copy {} of installed feature {} cannot be read: {}", copy, rec.id(), e.getMessage());
      return null;
    }
  }

  @Override
  public List<Feature> installed() {
    Map<String, Bundle> bundles = bundlesByIdentity();
    List<Feature> result = new ArrayList<>();
    Set<String> boot = new LinkedHashSet<>();
    for (Descriptor d : bootFeatures()) {
      if (boot.add(d.id())) {
        result.add(feature(d, FeatureState.BOOT, d.source(), null));
      }
    }
    registry.installed().stream().filter(r -> !boot.contains(r.id()))
        .sorted(Comparator.comparing(FeatureRegistry.Installed::name).thenComparing(FeatureRegistry.Installed::version))
        .forEach(r -> result.add(feature(r, bundles)));
    return result;
  }

  @Override
  public List<Feature> available() {
    Map<String, Bundle> bundles = bundlesByIdentity();
    Set<String> boot = new TreeSet<>();
    bootFeatures().forEach(d -> boot.add(d.id()));
    Map<String, Feature> result = new LinkedHashMap<>();
    for (Descriptor d : catalog().features()) {
      if (result.containsKey(d.id())) {
        continue;
      }
      Optional<FeatureRegistry.Installed> rec = registry.get(d.id());
      FeatureState state = boot.contains(d.id()) ? FeatureState.BOOT
          : rec.map(r -> state(r, bundles)).orElse(FeatureState.AVAILABLE);
      result.put(d.id(), feature(d, state, rec.map(FeatureRegistry.Installed::source).orElse(d.source()),
          rec.map(FeatureRegistry.Installed::installed).orElse(null)));
    }
    List<Feature> list = new ArrayList<>(result.values());
    list.sort(Comparator.comparing(Feature::name).thenComparing(Feature::version, FeatureManagerImpl::compareVersions));
    return list;
  }

  @Override
  public List<String> problems() {
    return catalog().problems();
  }

  // ---- finding a feature -------------------------------------------------------------------------

  /** Whether a reference names a file or URL rather than a feature. */
  static boolean isLocation(String ref) {
    return ref.matches("(?i)(file|https?):.*") || ref.endsWith(".json");
  }

  /**
   * The feature that {@code ref} names: a file or URL, or a name, name/version or ID.
   *
   * @param installedCopy for an installed feature, the copy kept when it was installed rather than
   *     its file as it is now (which may have changed since)
   */
  private Descriptor find(String ref, boolean installedCopy) throws FeatureException {
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

  private static boolean matches(Descriptor d, String ref) {
    return ref.equals(d.id()) || ref.equals(d.name()) || ref.equals(d.name() + "/" + d.version());
  }

  /** Reads a feature file or URL; every failure names the location. */
  private Descriptor readLocation(String location, String prefix) throws FeatureException {
    String scheme = location.matches("(?i)(file|https?):.*") ? location.substring(0, location.indexOf(':'))
        .toLowerCase() : "";
    if (scheme.startsWith("http")) {
      return FeatureReader.read(download(location, prefix), location);
    }
    Path file;
    try {
      file = scheme.isEmpty() ? home.resolve(location).normalize() : Path.of(URI.create(location));
    } catch (IllegalArgumentException e) {
      throw new FeatureException(prefix + location + ": it is not a file path or a file: URL (" + e.getMessage() + ")");
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

  private static byte[] download(String url, String prefix) throws FeatureException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    try {
      HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(DOWNLOAD_TIMEOUT)
          .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new FeatureException(prefix + url + ": the server answered HTTP " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      String why = e instanceof java.net.http.HttpConnectTimeoutException ? "no answer within "
          + CONNECT_TIMEOUT.toSeconds() + " s" : e instanceof java.net.ConnectException ? "the connection was refused"
          : e.toString();
      throw new FeatureException(prefix + url + ": " + why, e);
    } catch (IllegalArgumentException e) {
      throw new FeatureException(prefix + url + ": it is not a valid URL (" + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FeatureException(prefix + url + ": interrupted", e);
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

  // ---- install -----------------------------------------------------------------------------------

  /** One bundle of a feature being installed: its jar, what it is, and its bundle once there. */
  private static final class Planned {
    final Descriptor.BundleSpec spec;
    final Path jar;
    final BundleFinder.Identity identity;
    Bundle bundle;
    boolean owned;

    Planned(Descriptor.BundleSpec spec, Path jar, BundleFinder.Identity identity) {
      this.spec = spec;
      this.jar = jar;
      this.identity = identity;
    }

    String label() {
      return identity + " (" + spec.id() + ")";
    }
  }

  @Override
  public synchronized Feature install(String ref, Progress progress) throws FeatureException {
    Progress p = progress == null ? Progress.NONE : progress;
    Descriptor d = find(ref, false);
    for (Descriptor boot : bootFeatures()) {
      if (boot.id().equals(d.id())) {
        return feature(boot, FeatureState.BOOT, boot.source(), null);
      }
    }
    Optional<FeatureRegistry.Installed> same = registry.get(d.id());
    if (same.isPresent() && same.get().digest().equals(d.digest())) {
      Map<String, Bundle> bundles = bundlesByIdentity();
      if (state(same.get(), bundles) == FeatureState.INSTALLED) {
        return feature(same.get(), bundles);
      }
      LOG.info("Feature {} is incomplete; installing what it misses", d.label());
      return doInstall(d, p, same.get());
    }
    // A changed file, or another feature from the same file (deploy/): the new one replaces the old.
    FeatureRegistry.Installed replaced = same.orElseGet(() -> isLocation(ref.trim()) ? registry.installed().stream()
        .filter(i -> i.source().equals(d.source())).findFirst().orElse(null) : null);
    if (replaced == null) {
      return doInstall(d, p, null);
    }
    Descriptor old = copyOf(replaced);
    LOG.info("Feature {} replaces {} {}", d.label(), replaced.name(), replaced.version());
    uninstall(replaced);
    try {
      return doInstall(d, p, null);
    } catch (FeatureException e) {
      String back;
      try {
        if (old == null) {
          throw new FeatureException("its copy is damaged");
        }
        doInstall(old, Progress.NONE, null);
        back = " The previous " + replaced.name() + " " + replaced.version() + " was put back.";
      } catch (FeatureException again) {
        back = " Putting the previous " + replaced.name() + " " + replaced.version() + " back failed too: "
            + again.getMessage();
      }
      throw new FeatureException(e.getMessage() + back, e);
    }
  }

  private Feature doInstall(Descriptor d, Progress progress, FeatureRegistry.Installed repair)
      throws FeatureException {
    String what = "Cannot install feature " + d.label() + ": ";
    if (!d.mandatoryExtensions().isEmpty()) {
      throw failed(d, what + "it has the mandatory extension " + String.join(", ", d.mandatoryExtensions())
          + ", and dockevOS installs only bundles and configurations. Nothing was installed.");
    }
    List<Planned> plan = plan(d, what);
    Map<String, Bundle> present = bundlesByIdentity();
    for (Planned b : plan) {
      b.bundle = present.get(key(b.identity.symbolicName(), b.identity.version().toString()));
      b.owned = b.bundle == null || (repair != null && repair.bundles().stream()
          .anyMatch(r -> r.owned() && r.sameBundle(b.identity.symbolicName(), b.identity.version().toString())));
    }
    List<Bundle> added = new ArrayList<>();
    List<Bundle> startedShared = new ArrayList<>();
    List<Runnable> undoConfigs = new ArrayList<>();
    List<String> createdConfigs = new ArrayList<>();
    int n = plan.size();
    try {
      journal(d, added, createdConfigs);
      for (int i = 0; i < n; i++) {
        Planned b = plan.get(i);
        if (b.bundle != null) {
          progress.step(i + 1, n, "bundle " + (i + 1) + "/" + n + ": " + b.label() + " is installed already");
          continue;
        }
        progress.step(i + 1, n, "installing bundle " + (i + 1) + "/" + n + ": " + b.label());
        Plugin installed;
        try {
          installed = plugins.install(b.jar.toString(), InstallOption.NO_RESOLVE);
        } catch (PluginException e) {
          throw new FeatureException(what + "bundle " + b.spec.id() + ": " + e.getMessage(), e);
        }
        b.bundle = context.getBundle(installed.id());
        added.add(b.bundle);
        journal(d, added, createdConfigs);
        if (b.spec.startOrder() > 0) {
          b.bundle.adapt(BundleStartLevel.class).setStartLevel(b.spec.startOrder());
        }
      }
      resolve(plan, what);
      applyConfigurations(d, undoConfigs, createdConfigs);
      journal(d, added, createdConfigs);
      List<Planned> order = new ArrayList<>(plan);
      int defaultLevel = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class)
          .getInitialBundleStartLevel();
      order.sort(Comparator.comparingInt(b -> b.spec.startOrder() > 0 ? b.spec.startOrder() : defaultLevel));
      order.removeIf(b -> isFragment(b.bundle) || b.bundle.getState() == Bundle.ACTIVE);
      for (int i = 0; i < order.size(); i++) {
        Planned b = order.get(i);
        progress.step(i + 1, order.size(), "starting bundle " + (i + 1) + "/" + order.size() + ": " + b.label());
        try {
          plugins.start(String.valueOf(b.bundle.getBundleId()));
        } catch (PluginException e) {
          String prefix = "Cannot start " + b.identity.symbolicName() + ": ";
          String why = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
          throw new FeatureException(what + "bundle " + b.spec.id() + ": " + why + ".", e);
        }
        if (!added.contains(b.bundle)) {
          startedShared.add(b.bundle);
        }
      }
      List<FeatureRegistry.Bundle> records = new ArrayList<>();
      for (Planned b : plan) {
        records.add(new FeatureRegistry.Bundle(b.spec.id(), b.identity.symbolicName(), b.identity.version().toString(),
            b.owned));
      }
      FeatureRegistry.Installed rec = new FeatureRegistry.Installed(d.id(), d.name(), d.version(), d.source(),
          d.digest(), repair != null ? repair.installed() : Instant.ofEpochMilli(System.currentTimeMillis()),
          List.copyOf(records), d.configurations().stream().map(Descriptor.ConfigSpec::pid).toList());
      try {
        registry.put(rec, d.text());
      } catch (IOException e) {
        throw new FeatureException(what + "the record of installed features, " + registry.copy(d.id()).getParent()
            + ", cannot be written: " + e);
      }
      LOG.info("Installed feature {} from {}: {} bundles ({} new), {} configurations", d.label(), d.source(), n,
          added.size(), d.configurations().size());
      post(FeatureEvents.INSTALLED, d.id(), d.name(), null);
      return feature(rec, bundlesByIdentity());
    } catch (FeatureException | RuntimeException e) {
      rollback(d, added, startedShared, undoConfigs);
      registry.donePending();
      String message = e instanceof FeatureException ? e.getMessage() : what + e;
      throw failed(d, message + (message.contains("\n") ? "\n" : " ") + NOTHING_REMAINS, e);
    }
  }

  /** Finds every bundle's jar and reads what it is; fails naming every bundle that cannot be found. */
  private List<Planned> plan(Descriptor d, String what) throws FeatureException {
    List<Planned> plan = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    // The level the framework runs at, or rises to while it starts.
    int active = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class).getStartLevel();
    try {
      active = Math.max(active, Integer.parseInt(property(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1").trim()));
    } catch (NumberFormatException e) {
      // the framework itself refuses such a value
    }
    Set<String> seen = new java.util.HashSet<>();
    for (Descriptor.BundleSpec spec : d.bundles()) {
      Optional<Path> jar = finder.find(spec);
      if (jar.isEmpty()) {
        problems.add("bundle " + spec.id() + " is neither in " + finder.places(spec));
        continue;
      }
      BundleFinder.Identity identity;
      try {
        identity = BundleFinder.identify(jar.get());
      } catch (IOException e) {
        problems.add("bundle " + spec.id() + ": " + e.getMessage());
        continue;
      }
      if (spec.startOrder() > active) {
        problems.add("bundle " + spec.id() + " has start-order " + spec.startOrder()
            + ", above the framework's start level " + active + ", so it would never start");
        continue;
      }
      if (seen.add(key(identity.symbolicName(), identity.version().toString()))) {
        plan.add(new Planned(spec, jar.get(), identity));
      }
    }
    if (!problems.isEmpty()) {
      throw failed(d, what + String.join("; ", problems) + ". Nothing was installed.");
    }
    return plan;
  }

  /** Resolves the feature's bundles together; fails naming each that does not resolve, with what it misses. */
  private void resolve(List<Planned> plan, String what) throws FeatureException {
    List<Bundle> bundles = plan.stream().map(b -> b.bundle).toList();
    FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    if (wiring.resolveBundles(bundles)) {
      return;
    }
    List<String> causes = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (Planned b : plan) {
      if (b.bundle.getState() != Bundle.INSTALLED) {
        continue;
      }
      List<MissingRequirement> missing = plugins.missingRequirements(b.bundle.getBundleId());
      if (missing.isEmpty()) {
        waiting.add(b.label());
        continue;
      }
      StringBuilder s = new StringBuilder("bundle ").append(b.label()).append(" does not resolve; it requires:");
      for (MissingRequirement m : missing) {
        s.append("\n  - ").append(m.explained());
      }
      causes.add(s.toString());
    }
    if (causes.isEmpty()) {
      causes.add("bundles " + String.join(", ", waiting) + " do not resolve, although each of their requirements has"
          + " a provider: the providers conflict (a uses constraint); the resolver's account is in the log");
    } else if (!waiting.isEmpty()) {
      causes.add("so " + String.join(", ", waiting) + ", which need" + (waiting.size() == 1 ? "s" : "")
          + " them, do" + (waiting.size() == 1 ? "es" : "") + " not resolve either");
    }
    throw new FeatureException(what + String.join("\n", causes));
  }

  /** Records what the install has added so far, for {@link #undoInterruptedInstall}. */
  private void journal(Descriptor d, List<Bundle> added, List<String> createdConfigs) throws FeatureException {
    try {
      registry.pending(new FeatureRegistry.Pending(d.id(), added.stream().map(Bundle::getLocation).toList(),
          List.copyOf(createdConfigs)));
    } catch (IOException e) {
      throw new FeatureException("Cannot install feature " + d.label() + ": the record of the install under way, "
          + registry.copy(d.id()).getParent().resolveSibling("registry.json") + ", cannot be written: " + e, e);
    }
  }

  /**
   * Gives the feature's configurations to Configuration Admin; each undo puts one back as it was,
   * and the PID of each that did not exist before goes into {@code created}.
   */
  private void applyConfigurations(Descriptor d, List<Runnable> undo, List<String> created) throws FeatureException {
    for (Descriptor.ConfigSpec c : d.configurations()) {
      try {
        Configuration config = c.factoryPid() == null ? configAdmin.getConfiguration(c.pid(), "?")
            : configAdmin.getFactoryConfiguration(c.factoryPid(), c.name(), "?");
        Dictionary<String, Object> before = config.getProperties();
        if (before == null) {
          created.add(config.getPid());
        }
        Hashtable<String, Object> values = new Hashtable<>();
        c.values().forEach((k, v) -> values.put(k, v instanceof String s ? expand(s, d.variables()) : v));
        config.updateIfDifferent(values);
        undo.add(() -> {
          try {
            if (before == null) {
              config.delete();
            } else {
              config.update(before);
            }
          } catch (IOException | IllegalStateException e) {
            LOG.warn("Cannot put configuration {} back: {}", c.pid(), e.toString());
          }
        });
      } catch (IOException | IllegalStateException e) {
        throw new FeatureException("Cannot install feature " + d.label() + ": configuration " + c.pid()
            + " cannot be applied: " + e.getMessage(), e);
      }
    }
  }

  /** {@code ${name}} from the feature's variables, then the framework properties, then the system properties. */
  private String expand(String value, Map<String, Object> variables) {
    if (value.indexOf("${") < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      int start = value.indexOf("${", i);
      int end = start < 0 ? -1 : value.indexOf('}', start);
      if (start < 0 || end < 0) {
        out.append(value, i, value.length());
        break;
      }
      out.append(value, i, start);
      String name = value.substring(start + 2, end);
      Object v = variables.containsKey(name) ? variables.get(name) : context.getProperty(name);
      out.append(v == null ? "${" + name + "}" : v);
      i = end + 1;
    }
    return out.toString();
  }

  private void rollback(Descriptor d, List<Bundle> added, List<Bundle> startedShared, List<Runnable> undoConfigs) {
    List<Bundle> reverse = new ArrayList<>(added);
    Collections.reverse(reverse);
    for (Bundle b : reverse) {
      try {
        plugins.uninstall(String.valueOf(b.getBundleId()), true);
      } catch (PluginException | RuntimeException e) {
        LOG.error("Cannot remove {} after the failed install of feature {}: {}", b, d.label(), e.toString());
      }
    }
    for (Bundle b : startedShared) {
      try {
        b.stop();
      } catch (BundleException | IllegalStateException e) {
        LOG.warn("Cannot stop {} again: {}", b, e.toString());
      }
    }
    List<Runnable> undo = new ArrayList<>(undoConfigs);
    Collections.reverse(undo);
    undo.forEach(Runnable::run);
  }

  private FeatureException failed(Descriptor d, String reason) {
    return failed(d, reason, null);
  }

  private FeatureException failed(Descriptor d, String reason, Throwable cause) {
    LOG.error("{}", reason);
    post(FeatureEvents.FAILED, d.id(), d.name(), reason);
    return new FeatureException(reason, cause);
  }

  // ---- uninstall ---------------------------------------------------------------------------------

  @Override
  public synchronized Feature uninstall(String ref) throws FeatureException {
    String r = ref == null ? "" : ref.trim();
    for (Descriptor boot : bootFeatures()) {
      if (matches(boot, r)) {
        throw new FeatureException("Cannot uninstall " + boot.label() + ": it is a boot feature, part of the runtime"
            + " itself");
      }
    }
    List<FeatureRegistry.Installed> matches = registry.installed().stream().filter(i -> r.equals(i.id())
        || r.equals(i.name()) || r.equals(i.name() + "/" + i.version()) || r.equals(i.source())).toList();
    if (matches.isEmpty()) {
      List<String> names = registry.installed().stream().map(i -> i.name() + " " + i.version()).toList();
      throw new FeatureException("Feature " + r + " is not installed. Installed: " + (names.isEmpty()
          ? "none besides the boot features" : String.join(", ", names)));
    }
    if (matches.size() > 1) {
      throw new FeatureException("Several versions of " + r + " are installed: " + matches.stream()
          .map(FeatureRegistry.Installed::version).toList() + "; name one as " + r + "/VERSION");
    }
    Map<String, Bundle> bundles = bundlesByIdentity();
    Feature before = feature(matches.get(0), bundles);
    uninstall(matches.get(0));
    return before;
  }

  private void uninstall(FeatureRegistry.Installed rec) throws FeatureException {
    List<String> problems = new ArrayList<>();
    Map<String, Bundle> bundles = bundlesByIdentity();
    List<FeatureRegistry.Installed> others = new ArrayList<>(registry.installed());
    others.removeIf(o -> o.id().equals(rec.id()));
    List<FeatureRegistry.Bundle> owned = new ArrayList<>(rec.bundles());
    owned.removeIf(b -> !b.owned());
    Collections.reverse(owned);
    for (FeatureRegistry.Bundle fb : owned) {
      Optional<FeatureRegistry.Installed> heir = others.stream().filter(o -> o.bundles().stream()
          .anyMatch(ob -> ob.sameBundle(fb.symbolicName(), fb.version()))).findFirst();
      if (heir.isPresent()) {
        // Another installed feature needs it: it stays, and that feature removes it when it goes.
        FeatureRegistry.Installed h = heir.get();
        List<FeatureRegistry.Bundle> list = h.bundles().stream().map(ob -> ob.sameBundle(fb.symbolicName(),
            fb.version()) ? ob.withOwned(true) : ob).toList();
        FeatureRegistry.Installed updated = h.withBundles(list);
        others.set(others.indexOf(h), updated);
        try {
          registry.update(updated);
        } catch (IOException e) {
          problems.add("the registry cannot be written: " + e);
        }
        continue;
      }
      Bundle b = bundles.get(key(fb.symbolicName(), fb.version()));
      if (b == null) {
        continue;
      }
      try {
        plugins.uninstall(String.valueOf(b.getBundleId()), true);
      } catch (PluginException | RuntimeException e) {
        problems.add("bundle " + fb.id() + " (" + fb.symbolicName() + " " + fb.version() + "): " + e.getMessage());
      }
    }
    Set<String> keptPids = new java.util.HashSet<>();
    others.forEach(o -> keptPids.addAll(o.configurations()));
    for (Descriptor boot : bootFeatures()) {
      boot.configurations().forEach(c -> keptPids.add(c.pid()));
    }
    for (String pid : rec.configurations()) {
      if (!keptPids.contains(pid)) {
        String problem = deleteConfiguration(pid);
        if (problem != null) {
          problems.add(problem);
        }
      }
    }
    try {
      registry.remove(rec.id());
    } catch (IOException e) {
      problems.add("the registry cannot be written: " + e);
    }
    post(FeatureEvents.UNINSTALLED, rec.id(), rec.name(), null);
    LOG.info("Uninstalled feature {} {}", rec.name(), rec.version());
    if (!problems.isEmpty()) {
      throw new FeatureException("Uninstalled feature " + rec.name() + " " + rec.version() + ", but not all of it: "
          + String.join("; ", problems));
    }
  }

  /** @return null, or why the configuration cannot be deleted */
  private String deleteConfiguration(String pid) {
    try {
      Configuration[] configs = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
      if (configs != null) {
        for (Configuration c : configs) {
          c.delete();
        }
      }
      return null;
    } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
      return "configuration " + pid + ": " + e.getMessage();
    }
  }

  private static String escape(String value) {
    return value.replace("\\", "\\5c").replace("(", "\\28").replace(")", "\\29").replace("*", "\\2a");
  }

  // ---- details -----------------------------------------------------------------------------------

  @Override
  public FeatureDetails details(String ref) throws FeatureException {
    Descriptor d = find(ref, true);
    Map<String, Bundle> present = bundlesByIdentity();
    Optional<FeatureRegistry.Installed> rec = registry.get(d.id());
    boolean boot = bootFeatures().stream().anyMatch(b -> b.id().equals(d.id()));
    Map<Long, Plugin> pluginsById = new HashMap<>();
    plugins.list().forEach(p -> pluginsById.put(p.id(), p));
    List<FeatureDetails.BundleEntry> bundles = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Descriptor.BundleSpec spec : d.bundles()) {
      Optional<Path> jar = finder.find(spec);
      String bsn = null;
      String version = null;
      if (jar.isPresent()) {
        try {
          BundleFinder.Identity id = BundleFinder.identify(jar.get());
          bsn = id.symbolicName();
          version = id.version().toString();
        } catch (IOException e) {
          problems.add("bundle " + spec.id() + ": " + e.getMessage());
        }
      }
      Optional<FeatureRegistry.Bundle> recorded = rec.flatMap(r -> r.bundles().stream()
          .filter(b -> b.id().equals(spec.id())).findFirst());
      if (bsn == null && recorded.isPresent()) {
        bsn = recorded.get().symbolicName();
        version = recorded.get().version();
      }
      Bundle b = bsn == null ? null : present.get(key(bsn, version));
      Plugin p = b == null ? null : pluginsById.get(b.getBundleId());
      boolean installedFeature = rec.isPresent() || boot;
      if (jar.isEmpty() && b == null) {
        problems.add("bundle " + spec.id() + " is neither in " + finder.places(spec));
      } else if (installedFeature && b == null) {
        problems.add("bundle " + spec.id() + " (" + bsn + " " + version + ") is not installed; feature:install "
            + d.name() + " installs it again");
      } else if (installedFeature && !running(b)) {
        problems.add("bundle " + spec.id() + " (" + bsn + " " + version + ") is " + (p == null ? "not active"
            : p.state()) + (p != null && p.reason() != null ? ": " + p.reason() : "") + "; plugin:diag "
            + b.getBundleId() + " says why");
      }
      bundles.add(new FeatureDetails.BundleEntry(spec.id(), spec.startOrder(), jar.map(Path::toString).orElse(null),
          bsn, version, b == null ? -1 : b.getBundleId(), p == null ? null : p.state().name(),
          recorded.map(FeatureRegistry.Bundle::owned).orElse(false)));
    }
    List<FeatureDetails.ConfigurationEntry> configs = d.configurations().stream()
        .map(c -> new FeatureDetails.ConfigurationEntry(c.pid(), Collections.unmodifiableMap(c.values()))).toList();
    FeatureState state = boot ? FeatureState.BOOT : rec.map(r -> state(r, present)).orElse(FeatureState.AVAILABLE);
    Feature f = feature(d, state, rec.map(FeatureRegistry.Installed::source).orElse(d.source()),
        rec.map(FeatureRegistry.Installed::installed).orElse(null));
    return new FeatureDetails(f, d.metadata(), bundles, configs, problems);
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
    try {
      Path file = l.matches("(?i)file:.*") ? Path.of(URI.create(l)) : home.resolve(l);
      return file.toAbsolutePath().normalize().toUri().toString();
    } catch (IllegalArgumentException e) {
      throw new FeatureException("Cannot add repository " + l + ": it is not a file path or a URL (" + e.getMessage()
          + ")");
    }
  }

  @Override
  public synchronized Repository addRepository(String location) throws FeatureException {
    String uri = normalize(location);
    String prefix = "Cannot add repository ";
    Descriptor d;
    byte[] bytes = null;
    try {
      if (uri.startsWith("file:")) {
        d = readLocation(uri, prefix);
      } else {
        bytes = download(uri, prefix);
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

  @Override
  public synchronized Repository removeRepository(String location) throws FeatureException {
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

  @Override
  public List<Repository> repositories() {
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

  // ---- events ------------------------------------------------------------------------------------

  private void post(String topic, String id, String name, String reason) {
    EventAdmin ea = events;
    if (ea == null) {
      return;
    }
    Map<String, Object> props = new HashMap<>();
    props.put(FeatureEvents.FEATURE_ID, id);
    props.put(FeatureEvents.FEATURE_NAME, name);
    if (reason != null) {
      props.put(FeatureEvents.REASON, reason);
    }
    ea.postEvent(new Event(topic, props));
  }
}
