package io.dockevos.feature.internal;

import io.dockevos.api.Host;
import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureDetails;
import io.dockevos.feature.FeatureEvents;
import io.dockevos.feature.FeatureException;
import io.dockevos.feature.FeatureManager;
import io.dockevos.feature.FeaturePlan;
import io.dockevos.feature.FeatureState;
import io.dockevos.feature.Repository;
import io.dockevos.install.Change;
import io.dockevos.install.Installer;
import io.dockevos.install.Plan;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.FrameworkStartLevel;
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
 * The feature manager: feature files read with the Felix Feature Service ({@link FeatureCatalog}),
 * the bundles of each that are not installed yet planned as one change ({@link FeaturePlanner}) and
 * installed through the plugin manager's {@link Installer}, all or nothing, with their
 * configurations ({@link FeatureApplier}), and recorded ({@link FeatureRegistry}).
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = FeatureManager.class, immediate = true)
public final class FeatureManagerImpl implements FeatureManager {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureManagerImpl.class);
  /** The framework property in which the launcher names the features it booted. */
  static final String BOOTED_PROPERTY = "dockevos.features.booted";

  private final BundleContext context;
  private final PluginManager plugins;
  private final FeatureRegistry registry;
  private final BundleFinder finder;
  private final FeatureCatalog catalog;
  private final FeaturePlanner planner;
  private final FeatureApplier applier;
  private final Installer installer;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;

  @Activate
  public FeatureManagerImpl(BundleContext context, @Reference PluginManager plugins, @Reference Installer installer,
      @Reference ConfigurationAdmin configAdmin) {
    this.context = context;
    this.plugins = plugins;
    this.installer = installer;
    Path home = Path.of(property(Host.HOME_PROPERTY, ".")).toAbsolutePath().normalize();
    Path data = Path.of(property(Host.DATA_PROPERTY, home.resolve("data").toString()));
    Path system = home.resolve("system");
    this.registry = new FeatureRegistry(data.resolve("features"), home);
    this.finder = new BundleFinder(system, BundleFinder.localRepository());
    this.catalog = new FeatureCatalog(home, system, registry, new FeatureCatalog.BootSource() {
      @Override
      public String names() {
        String names = context.getProperty(BOOTED_PROPERTY);
        return names != null ? names
            : property("dockevos.features.boot", "") + "," + property("dockevos.features.shell", "");
      }

      @Override
      public URL resource(String path) {
        // An embedding program's features jar: on the framework class path, which the system bundle sees.
        return context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getResource(path);
      }
    }, io.dockevos.common.internal.Downloads.Limits.of(context::getProperty));
    this.planner = new FeaturePlanner(finder);
    this.applier = new FeatureApplier(context, plugins, installer, configAdmin, registry);
    applier.undoInterruptedInstall();
  }

  private String property(String key, String fallback) {
    String v = context.getProperty(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  // ---- what is known -----------------------------------------------------------------------------

  private FeatureState state(FeatureRegistry.Installed rec, Map<String, Bundle> bundles) {
    for (FeatureRegistry.Bundle fb : rec.bundles()) {
      Bundle b = bundles.get(InstalledBundles.key(fb.symbolicName(), fb.version()));
      if (b == null || !InstalledBundles.running(b)) {
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
    Descriptor d = catalog.copyOf(rec);
    FeatureState state = state(rec, bundles);
    return d != null ? feature(d, state, rec.source(), rec.installed())
        : new Feature(rec.id(), rec.name(), rec.version(), null, null, state, rec.source(), rec.bundles().size(),
            rec.installed());
  }

  private Map<String, Bundle> bundles() {
    return InstalledBundles.byIdentity(context);
  }

  @Override
  public List<Feature> installed() {
    Map<String, Bundle> bundles = bundles();
    List<Feature> result = new ArrayList<>();
    Set<String> boot = new LinkedHashSet<>();
    for (Descriptor d : catalog.bootFeatures()) {
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
    Map<String, Bundle> bundles = bundles();
    Set<String> boot = new TreeSet<>();
    catalog.bootFeatures().forEach(d -> boot.add(d.id()));
    Map<String, Feature> result = new LinkedHashMap<>();
    for (Descriptor d : catalog.catalog().features()) {
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
    list.sort(Comparator.comparing(Feature::name).thenComparing(Feature::version, FeatureCatalog::compareVersions));
    return list;
  }

  @Override
  public List<String> problems() {
    return catalog.catalog().problems();
  }

  // ---- install -----------------------------------------------------------------------------------

  /** What an install of {@code ref} is about: the feature, and what is installed of it or before it. */
  private record Target(Descriptor feature, Descriptor boot, FeatureRegistry.Installed same,
      FeatureRegistry.Installed replaced) {
    /** Installed already with the same file: nothing to do, unless it is incomplete. */
    boolean unchanged() {
      return same != null && same.digest().equals(feature.digest());
    }
  }

  private Target target(String ref) throws FeatureException {
    Descriptor d = catalog.find(ref, false);
    Optional<Descriptor> boot = catalog.boot(d.id());
    if (boot.isPresent() && !boot.get().digest().equals(d.digest())) {
      // Another file that takes the boot feature's id (issue 17, row 5): it would be taken for the
      // boot feature, which is installed, and nothing of its own would happen.
      throw new FeatureException("Cannot install the feature of " + d.source() + ": its id " + d.id() + " is the boot"
          + " feature's (" + boot.get().name() + ", from " + boot.get().source() + "), which is installed and cannot be"
          + " replaced. Give the feature an id of its own.");
    }
    if (boot.isPresent()) {
      return new Target(d, boot.get(), null, null);
    }
    Optional<FeatureRegistry.Installed> same = registry.get(d.id());
    if (same.isPresent() && same.get().digest().equals(d.digest())) {
      return new Target(d, null, same.get(), null);
    }
    // A changed file, or another feature from the same file (deploy/): the new one replaces the old.
    FeatureRegistry.Installed replaced = same.orElseGet(() -> FeatureCatalog.isLocation(ref.trim())
        ? registry.installed().stream().filter(i -> i.source().equals(d.source())).findFirst().orElse(null) : null);
    return new Target(d, null, null, replaced);
  }

  /** The level the framework runs at, or rises to while it starts: a bundle above it would never start. */
  private int activeLevel() {
    int active = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class).getStartLevel();
    try {
      active = Math.max(active, Integer.parseInt(property(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1").trim()));
    } catch (NumberFormatException e) {
      // the framework itself refuses such a value
    }
    return active;
  }

  private FeaturePlanner.Result prepare(Descriptor d, FeatureRegistry.Installed repair) throws FeatureException {
    return planner.plan(d, activeLevel(), bundles().keySet(), repair);
  }

  @Override
  public synchronized FeaturePlan plan(String ref) throws FeatureException {
    Target t = target(ref);
    Map<String, Bundle> bundles = bundles();
    if (t.boot() != null) {
      return new FeaturePlan(feature(t.boot(), FeatureState.BOOT, t.boot().source(), null), nothing(t.boot()),
          List.of(), null);
    }
    if (t.unchanged() && state(t.same(), bundles) == FeatureState.INSTALLED) {
      return new FeaturePlan(feature(t.same(), bundles), nothing(t.feature()), t.same().bundles().stream()
          .map(b -> InstalledBundles.key(b.symbolicName(), b.version())).toList(), null);
    }
    FeaturePlanner.Result fp = prepare(t.feature(), t.same());
    Plan plan = fp.change().items().isEmpty() ? nothing(t.feature()) : applier.plan(fp);
    Feature f = t.same() != null ? feature(t.same(), bundles) : feature(t.feature(), FeatureState.AVAILABLE,
        t.feature().source(), null);
    return new FeaturePlan(f, FeatureApplier.withConfigurations(plan, t.feature()),
        fp.present().stream().map(FeaturePlanner.Planned::key).toList(),
        t.replaced() == null ? null : t.replaced().name() + " " + t.replaced().version());
  }

  private static Plan nothing(Descriptor d) {
    return new Plan(new Change(List.of(), Change.Scope.GIVEN, Set.of(), "feature:install " + d.name()), List.of(),
        List.of(), List.of(), List.of(), List.of());
  }

  @Override
  public synchronized Feature install(String ref, Progress progress) throws FeatureException {
    Progress p = progress == null ? Progress.NONE : progress;
    Target t = target(ref);
    Descriptor d = t.feature();
    if (t.boot() != null) {
      return feature(t.boot(), FeatureState.BOOT, t.boot().source(), null);
    }
    if (t.unchanged()) {
      Map<String, Bundle> bundles = bundles();
      if (state(t.same(), bundles) == FeatureState.INSTALLED) {
        return feature(t.same(), bundles);
      }
      LOG.info("Feature {} is incomplete; installing what it misses", d.label());
      return doInstall(d, p, t.same());
    }
    FeatureRegistry.Installed replaced = t.replaced();
    if (replaced == null) {
      return doInstall(d, p, null);
    }
    Descriptor old = catalog.copyOf(replaced);
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

  /** Plans the feature's missing bundles (one resolve), then installs it; every failure is published. */
  private Feature doInstall(Descriptor d, Progress progress, FeatureRegistry.Installed repair)
      throws FeatureException {
    try {
      FeaturePlanner.Result fp = prepare(d, repair);
      Plan plan = fp.change().items().isEmpty() ? nothing(d) : applier.plan(fp);
      FeatureRegistry.Installed rec = applier.install(fp, plan, progress, repair);
      post(FeatureEvents.INSTALLED, d.id(), d.name(), null);
      return feature(rec, bundles());
    } catch (FeatureException e) {
      LOG.error("{}", e.getMessage());
      post(FeatureEvents.FAILED, d.id(), d.name(), e.getMessage());
      throw e;
    }
  }

  // ---- uninstall ---------------------------------------------------------------------------------

  @Override
  public synchronized Feature uninstall(String ref) throws FeatureException {
    FeatureRegistry.Installed rec = installedFeature(ref);
    Feature before = feature(rec, bundles());
    uninstall(rec);
    return before;
  }

  @Override
  public io.dockevos.install.Plan planUninstall(String ref) throws FeatureException {
    FeatureRegistry.Installed rec = installedFeature(ref);
    try {
      return installer.plan(applier.uninstallChange(rec));
    } catch (io.dockevos.plugin.PluginException e) {
      throw new FeatureException("Cannot uninstall " + rec.name() + " " + rec.version() + ": " + e.getMessage(), e);
    }
  }

  /** @return the installed (not boot) feature that {@code ref} names */
  private FeatureRegistry.Installed installedFeature(String ref) throws FeatureException {
    String r = ref == null ? "" : ref.trim();
    for (Descriptor boot : catalog.bootFeatures()) {
      if (FeatureCatalog.matches(boot, r)) {
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
    return matches.get(0);
  }

  private void uninstall(FeatureRegistry.Installed rec) throws FeatureException {
    Set<String> bootPids = new HashSet<>();
    catalog.bootFeatures().forEach(boot -> boot.configurations().forEach(c -> bootPids.add(c.pid())));
    List<String> problems = applier.uninstall(rec, bootPids);
    post(FeatureEvents.UNINSTALLED, rec.id(), rec.name(), null);
    LOG.info("Uninstalled feature {} {}", rec.name(), rec.version());
    if (!problems.isEmpty()) {
      throw new FeatureException("Uninstalled feature " + rec.name() + " " + rec.version() + ", but not all of it: "
          + String.join("; ", problems));
    }
  }

  // ---- details -----------------------------------------------------------------------------------

  @Override
  public FeatureDetails details(String ref) throws FeatureException {
    Descriptor d = catalog.find(ref, true);
    Map<String, Bundle> present = bundles();
    Optional<FeatureRegistry.Installed> rec = registry.get(d.id());
    boolean boot = catalog.boot(d.id()).isPresent();
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
      Bundle b = bsn == null ? null : present.get(InstalledBundles.key(bsn, version));
      Plugin p = b == null ? null : pluginsById.get(b.getBundleId());
      boolean installedFeature = rec.isPresent() || boot;
      if (jar.isEmpty() && b == null) {
        problems.add("bundle " + spec.id() + " is neither in " + finder.places(spec));
      } else if (installedFeature && b == null) {
        problems.add("bundle " + spec.id() + " (" + bsn + " " + version + ") is not installed; feature:install "
            + d.name() + " installs it again");
      } else if (installedFeature && !InstalledBundles.running(b)) {
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

  @Override
  public synchronized Repository addRepository(String location) throws FeatureException {
    return catalog.addRepository(location, false);
  }

  /** {@code feature:repo-add --insecure}: a plain http: URL is accepted too. */
  public synchronized Repository addRepository(String location, boolean insecure) throws FeatureException {
    return catalog.addRepository(location, insecure);
  }

  @Override
  public synchronized Repository removeRepository(String location) throws FeatureException {
    return catalog.removeRepository(location);
  }

  @Override
  public List<Repository> repositories() {
    return catalog.repositories();
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
