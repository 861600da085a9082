package io.dockevos.plugin.internal;

import io.dockevos.api.DeployEvents;
import io.dockevos.api.Host;
import io.dockevos.plugin.Diagnosis;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginDetails;
import io.dockevos.plugin.PluginEvents;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.SourceResolver;
import io.dockevos.install.Change;
import io.dockevos.install.DependencyVersions;
import io.dockevos.install.Installer;
import io.dockevos.install.Outcome;
import io.dockevos.install.Plan;
import io.dockevos.plugin.internal.plan.Catalog;
import io.dockevos.plugin.internal.plan.Prepared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin manager: the framework's lifecycle and wiring, with a registry on top that keeps each
 * plugin's source, enabled flag and last failure across restarts.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = {PluginManager.class, Installer.class,
    EventHandler.class}, immediate = true,
    property = EventConstants.EVENT_TOPIC + "=" + DeployEvents.FAILED)
public final class PluginManagerImpl implements PluginManager, Installer, SynchronousBundleListener,
    FrameworkListener, EventHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PluginManagerImpl.class);
  /** The location prefix of bundles that the plugin manager installed. */
  static final String LOCATION_PREFIX = "dockevos:plugin:";

  final BundleContext context;
  final FrameworkWiring wiring;
  final Registry registry;
  private final Providers providers;
  final Sources sources;
  final Path home;
  final Path pluginsDir;
  /** The copies of installed plugins' jars, for a later update's rollback. */
  private final StoreCopies copies;
  private final PluginViews views = new PluginViews(this);
  /** Diagnoses of bundles, as the diagnostics service makes them (plugin:diag, plugin:info). */
  final BundleDiagnoses diagnoses;
  private final PluginConfigurations configurations = new PluginConfigurations(this);
  private final PluginStates states = new PluginStates(this);
  /** What updates and uninstalls do to the plugin manager's files, also when a kill cut them short. */
  final ReplacementHost replacing = new ReplacementHost(this, states);
  private final ForcedInstalls forced = new ForcedInstalls(this);
  final Path storage;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile ServiceComponentRuntime scr;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile ConfigurationAdmin configAdmin;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile io.dockevos.feature.FeatureManager featureManager;
  /** The permissions granted to plugins: a plan's bundles must hold what they request (PermissionGate). */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile io.dockevos.security.Permissions permissions;
  /**
   * Services the planner needs only when it plans, got at that first use: getting them as the
   * manager starts would start their components (and the Maven bundle's resolver) on every boot.
   */
  private final LazyServices lazy;
  /** Reads the versions a plugin's POM declares (the Maven bundle), for the planner's preferences. */
  private volatile ServiceReference<DependencyVersions> versionsRef;
  /** The repository plans draw on: the index of system/, the local Maven repository and the registered indexes. */
  private volatile ServiceReference<io.dockevos.install.Repositories> repositoriesRef;
  /** A repository that replaces the service's, for tests. */
  volatile Catalog catalog;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      service = DependencyVersions.class)
  void setVersions(ServiceReference<DependencyVersions> ref) {
    versionsRef = ref;
  }

  void unsetVersions(ServiceReference<DependencyVersions> ref) {
    if (versionsRef == ref) {
      versionsRef = null;
    }
    lazy.release(ref);
  }

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      service = io.dockevos.install.Repositories.class)
  void setRepositories(ServiceReference<io.dockevos.install.Repositories> ref) {
    repositoriesRef = ref;
  }

  void unsetRepositories(ServiceReference<io.dockevos.install.Repositories> ref) {
    if (repositoriesRef == ref) {
      repositoriesRef = null;
    }
    lazy.release(ref);
  }

  /** @return the versions service, got now if it was not yet; {@code null} when there is none */
  DependencyVersions dependencyVersions() {
    return lazy.get(versionsRef);
  }

  /** @return the repository plans draw on; empty when the repository service does not run */
  Catalog catalog() {
    Catalog own = catalog;
    if (own != null) {
      return own;
    }
    Object service = lazy.get(repositoriesRef);
    return service instanceof io.dockevos.plugin.internal.repo.RepositoryService s ? s.index() : Catalog.EMPTY;
  }

  /** Plans and applies every install: the pipeline. */
  private volatile InstallPipeline installs;
  private final Journal journal;
  /** The source resolvers (mvn: and others), by their scheme; a resolver is only got at its first use. */
  private final Map<String, ServiceReference<SourceResolver>> resolvers = new java.util.concurrent.ConcurrentHashMap<>();

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addResolver(ServiceReference<SourceResolver> ref) {
    Object scheme = ref.getProperty(SourceResolver.SCHEME);
    if (scheme != null) {
      resolvers.put(scheme.toString(), ref);
    }
  }

  void removeResolver(ServiceReference<SourceResolver> ref) {
    resolvers.values().remove(ref);
    lazy.release(ref);
  }

  private SourceResolver resolver(String scheme) {
    return lazy.get(resolvers.get(scheme));
  }

  /** The trust policy: every jar is admitted by it before it is planned, and its signer kept. */
  final io.dockevos.plugin.internal.trust.Trust trust;

  @Activate
  public PluginManagerImpl(BundleContext context, @Reference io.dockevos.plugin.internal.trust.Trust trust) {
    this.context = context;
    this.trust = trust;
    this.lazy = new LazyServices(context);
    this.wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    this.home = Path.of(property(Host.HOME_PROPERTY, ".")).toAbsolutePath();
    Path data = Path.of(property(Host.DATA_PROPERTY, home.resolve("data").toString()));
    this.pluginsDir = data.resolve("plugins");
    String storage = context.getProperty(org.osgi.framework.Constants.FRAMEWORK_STORAGE);
    this.copies = new StoreCopies(pluginsDir.resolve("store"), storage == null ? null : Path.of(storage));
    this.storage = Path.of(property(Constants.FRAMEWORK_STORAGE, data.resolve("cache").toString()));
    this.registry = new Registry(pluginsDir.resolve("registry.json"), home);
    String repo = System.getProperty("maven.repo.local");
    this.providers = new Providers(home.resolve("system"),
        repo != null ? Path.of(repo) : Path.of(System.getProperty("user.home"), ".m2", "repository"), this::catalog);
    io.dockevos.common.internal.Downloads.Limits limits = io.dockevos.common.internal.Downloads.Limits.of(
        context::getProperty);
    this.sources = new Sources(home, pluginsDir.resolve("downloads"), this::resolver,
        url -> Sources.offeredBy(catalog(), url), () -> limits);
    this.diagnoses = new BundleDiagnoses(context, wiring, () -> scr, views::plugin, providers::providers);
    this.journal = new Journal(pluginsDir.resolve("journal.json"));
    Transaction.recover(context, journal, registry, replacing);
    context.addBundleListener(this);
    context.addFrameworkListener(this);
    forgetUninstalled();
    forced.undoInterruptedInstalls();
  }

  // ---- the install pipeline --------------------------------------------------------------------

  /** The pipeline, made at its first use: a start that installs nothing does not load it. */
  private InstallPipeline installs() {
    InstallPipeline p = installs;
    if (p == null) {
      synchronized (this) {
        if (installs == null) {
          installs = new InstallPipeline(this, journal);
        }
        p = installs;
      }
    }
    return p;
  }

  /** The origin of a user's {@code plugin:install}: its refusals are published as {@link PluginEvents#FAILED}. */
  static final String INSTALL_ORIGIN = InstallPipeline.INSTALL_ORIGIN;

  @Override
  public Plan plan(Change change) throws PluginException {
    return installs().plan(change);
  }

  @Override
  public Outcome apply(Plan plan) throws PluginException {
    return installs().apply(plan);
  }

  @Override
  public Outcome execute(Change change) throws PluginException {
    return installs().execute(change);
  }

  /** @see InstallPipeline#prepareInstall */
  Prepared prepareInstall(List<String> names, Change.Scope scope, java.util.Set<Change.Option> options)
      throws PluginException {
    return installs().prepareInstall(names, scope, options, null);
  }

  /** @param by the user who asks, for the audit of the permissions the plan grants ({@link Change#by()}) */
  Prepared prepareInstall(List<String> names, Change.Scope scope, java.util.Set<Change.Option> options, String by)
      throws PluginException {
    return installs().prepareInstall(names, scope, options, by);
  }

  List<PluginConfigurations.Applied> applyConfigurations(String source, List<Path> files, List<Bundle> bundles,
      PluginConfigurations.Creating creating)
      throws PluginException {
    return configurations.applyConfigurations(source, files, bundles, creating);
  }

  void restoreConfigurations(List<PluginConfigurations.Applied> applied) {
    configurations.restoreConfigurations(applied);
  }

  void deleteConfigurations(String name, List<String> pids) {
    configurations.deleteConfigurations(name, pids);
  }

  List<String> configurationPids(Bundle bundle) {
    return configurations.configurationPids(bundle);
  }

  /** @see InstallPipeline#applyPrepared */
  Outcome applyPrepared(Prepared p) throws PluginException {
    return installs().applyPrepared(p);
  }

  @Deactivate
  void deactivate() {
    context.removeBundleListener(this);
    context.removeFrameworkListener(this);
  }

  String property(String key, String fallback) {
    String v = context.getProperty(key);
    return v == null ? fallback : v;
  }

  /** Entries whose bundle went away while the manager was not running (a wiped cache, say). */
  private void forgetUninstalled() {
    Set<String> locations = new java.util.HashSet<>();
    for (Bundle b : context.getBundles()) {
      locations.add(b.getLocation());
    }
    registry.all().keySet().stream().filter(l -> !locations.contains(l)).forEach(registry::remove);
    copies.forgetAllBut(id -> context.getBundle(id) != null);
  }

  // ---- install ---------------------------------------------------------------------------------

  @Override
  public Plugin install(String source, InstallOption... options) throws PluginException {
    List<InstallOption> opts = Arrays.asList(options);
    if (!opts.contains(InstallOption.FORCE) && !opts.contains(InstallOption.NO_RESOLVE)) {
      Outcome o = applyPrepared(prepareInstall(List.of(source), Change.Scope.REPOSITORIES,
          opts.contains(InstallOption.NO_START) ? java.util.Set.of(Change.Option.NO_START) : java.util.Set.of()));
      return plugin(context.getBundle(o.bundles().get(indexOfNamed(o))));
    }
    Sources.Fetched fetched = sources.fetch(source);
    Path unpackedDir = null;
    try {
      if (!Archives.isArchive(fetched.file(), source)) {
        return forced.installAll(source, List.of(fetched.file()), List.of(), opts, null);
      }
      unpackedDir = pluginsDir.resolve("unpacked").resolve(java.util.UUID.randomUUID().toString());
      Archives.Unpacked archive = Archives.unpack(fetched.file(), source, unpackedDir, Archives.Limits.DEFAULT);
      return forced.installAll(source, archive.bundles(), archive.configurations(), opts, archive.dir());
    } finally {
      fetched.discard();
      if (unpackedDir != null) {
        try {
          io.dockevos.common.internal.FileTrees.delete(unpackedDir);
        } catch (IOException e) {
          LOG.warn("Cannot remove {}: {}", unpackedDir, e.toString());
        }
      }
    }
  }


  /** @return the index in the outcome's bundles of the first named source's bundle */
  static int indexOfNamed(Outcome o) {
    List<Plan.Step> installs = o.plan().installs();
    for (int i = 0; i < installs.size(); i++) {
      if ("named".equals(installs.get(i).reason())) {
        return i;
      }
    }
    return 0;
  }

  /** Checks that the features a plugin requires are installed, before anything is. */
  void requireFeatures(String what, Sources.Checked c) throws PluginException {
    if (c.featureFilters().isEmpty()) {
      return;
    }
    io.dockevos.feature.FeatureManager fm = featureManager;
    if (fm == null) {
      throw new PluginException(what + c.symbolicName() + " requires features " + c.featureFilters()
          + ", and the feature manager is not running to say which are installed");
    }
    for (String f : c.featureFilters()) {
      org.osgi.framework.Filter filter;
      try {
        filter = FrameworkUtil.createFilter(f);
      } catch (org.osgi.framework.InvalidSyntaxException e) {
        throw new PluginException(what + c.symbolicName() + " requires a feature with the filter " + f
            + ", which is not a valid LDAP filter: " + e.getMessage(), e);
      }
      if (fm.installed().stream().noneMatch(x -> matches(filter, x))) {
        List<String> available = fm.available().stream().filter(x -> matches(filter, x))
            .map(io.dockevos.feature.Feature::name).distinct().toList();
        throw new PluginException(what + c.symbolicName() + " " + c.version() + " requires the feature "
            + f + ", which is not installed" + (available.isEmpty() ? "; no known feature matches it"
            : "; install it first with feature:install " + available.get(0)) + ". Nothing was installed.");
      }
    }
  }

  private static boolean matches(org.osgi.framework.Filter filter, io.dockevos.feature.Feature f) {
    Map<String, Object> attrs = new HashMap<>();
    attrs.put(Host.FEATURE_NAMESPACE, f.name());
    try {
      attrs.put("version", org.osgi.framework.Version.parseVersion(f.version()));
    } catch (IllegalArgumentException e) {
      attrs.put("version", f.version());
    }
    return filter.matches(attrs);
  }



  boolean resolve(Bundle bundle) {
    if (bundle.getState() != Bundle.INSTALLED) {
      return true;
    }
    return wiring.resolveBundles(List.of(bundle));
  }

  String unresolved(Bundle bundle, List<MissingRequirement> missing) {
    return io.dockevos.plugin.BundleDiagnosis.unresolved(bundle.getSymbolicName() + " " + bundle.getVersion(), missing);
  }

  /** Starts a bundle; on failure records why, publishes FAILED and throws with {@code prefix}. */
  void startChecked(Bundle bundle, String prefix) throws PluginException {
    try {
      bundle.start();
      clearReason(bundle);
    } catch (BundleException | IllegalStateException e) {
      String why = explain(bundle, e);
      recordFailure(bundle, why, e);
      throw new PluginException(prefix + why, e, e instanceof BundleException be
          && be.getType() == BundleException.RESOLVE_ERROR ? missingRequirements(bundle.getBundleId()) : List.of());
    }
  }

  String explain(Bundle bundle, Exception e) {
    String who = bundle.getSymbolicName() + " " + bundle.getVersion();
    if (e instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR) {
      return unresolved(bundle, missingRequirements(bundle.getBundleId()));
    }
    Throwable cause = e.getCause();
    if (e instanceof BundleException be && be.getType() == BundleException.ACTIVATOR_ERROR && cause != null) {
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      return who + " failed to start: its activator threw " + cause.getClass().getName() + ": " + cause.getMessage();
    }
    return who + " failed to start: " + e.getMessage();
  }

  void store(Bundle bundle, Path file) {
    trust.record(bundle, file);
    copies.keep(bundle, file);
  }

  Path storeFile(Bundle bundle) {
    return copies.file(bundle);
  }

  /** @see PluginViews#signer */
  java.util.Optional<io.dockevos.plugin.internal.trust.Signatures.Signer> signer(long bundleId) {
    return views.signer(bundleId);
  }

  @Override
  public io.dockevos.plugin.TrustLevel trust(long bundleId) {
    return views.trust(bundleId);
  }

  void removeQuietly(Bundle bundle) {
    try {
      bundle.uninstall();
      refresh(List.of(bundle));
    } catch (BundleException | IllegalStateException e) {
      LOG.warn("Cannot remove {} after a failed install: {}", bundle, e.toString());
    }
    registry.remove(bundle.getLocation());
    try {
      Files.deleteIfExists(storeFile(bundle));
    } catch (IOException ignored) {
      // a stale copy is harmless
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  @Override
  public Plugin start(String ref) throws PluginException {
    Bundle bundle = bundle(ref);
    if (entry(bundle).disabled()) {
      throw new PluginException(bundle.getSymbolicName() + " " + bundle.getVersion()
          + " is disabled; enable it with plugin:enable " + bundle.getBundleId());
    }
    startChecked(bundle, "Cannot start " + bundle.getSymbolicName() + ": ");
    return plugin(bundle);
  }

  @Override
  public Plugin stop(String ref) throws PluginException {
    Bundle bundle = bundle(ref);
    stopChecked(bundle, "stop");
    return plugin(bundle);
  }

  @Override
  public Plugin enable(String ref) throws PluginException {
    Bundle bundle = bundle(ref);
    Registry.Entry entry = entry(bundle);
    if (entry.disabled()) {
      registry.put(bundle.getLocation(), entry.withDisabled(false));
      post(PluginEvents.ENABLED, bundle, null);
    }
    startChecked(bundle, "Enabled " + bundle.getSymbolicName() + ", but it cannot start: ");
    return plugin(bundle);
  }

  @Override
  public Plugin disable(String ref) throws PluginException {
    Bundle bundle = bundle(ref);
    stopChecked(bundle, "disable");
    Registry.Entry entry = entry(bundle);
    if (!entry.disabled()) {
      registry.put(bundle.getLocation(), entry.withDisabled(true).withReason(null));
      post(PluginEvents.DISABLED, bundle, null);
    }
    return plugin(bundle);
  }

  /** Stops a plugin (persistently); {@code what} names the operation in the error. */
  private void stopChecked(Bundle bundle, String what) throws PluginException {
    refuseBoot(bundle, what);
    try {
      bundle.stop();
    } catch (BundleException | IllegalStateException e) {
      throw new PluginException("Cannot " + what + " " + bundle.getSymbolicName() + ": " + e.getMessage(), e);
    }
  }

  void refuseBoot(Bundle bundle, String what) throws PluginException {
    if (isBoot(bundle)) {
      throw new PluginException("Cannot " + what + " " + bundle.getSymbolicName()
          + ": it is part of the runtime itself (a boot feature)");
    }
  }

  /** An update is a plan: the new jar and what it needs, the bundles wired to it refreshed, all or nothing. */
  @Override
  public Plugin update(String ref, String source) throws PluginException {
    Bundle bundle = bundle(ref);
    String location = bundle.getLocation();
    execute(new Change(List.of(Change.Item.update(bundle.getSymbolicName() + "/" + bundle.getVersion(), source)),
        Change.Scope.REPOSITORIES, java.util.Set.of(), "plugin:update"));
    Bundle updated = context.getBundle(location);
    LOG.info("Updated plugin {} to {}", updated.getSymbolicName(), updated.getVersion());
    return plugin(updated);
  }

  void refresh(List<Bundle> bundles) {
    try {
      if (!io.dockevos.common.internal.Refreshes.andWait(wiring, bundles,
          io.dockevos.common.internal.Refreshes.DEFAULT_TIMEOUT)) {
        LOG.warn("Refreshing {} takes longer than 30 s", bundles);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * An uninstall is a plan too, which goes ahead as a Karaf or Felix uninstall does when other
   * plugins need this one: they are refreshed and stay unresolved ({@code plugin:uninstall} refuses
   * that unless {@code --force}).
   */
  @Override
  public void uninstall(String ref, boolean keepData) throws PluginException {
    Bundle bundle = bundle(ref);
    java.util.Set<Change.Option> options = keepData ? java.util.Set.of(Change.Option.PARTIAL, Change.Option.KEEP_DATA)
        : java.util.Set.of(Change.Option.PARTIAL);
    Outcome o = execute(new Change(List.of(Change.Item.uninstall(bundle.getSymbolicName() + "/" + bundle.getVersion())),
        Change.Scope.GIVEN, options, "plugin:uninstall"));
    if (!o.refused().isEmpty()) {
      throw new PluginException(o.refused().get(0).reason());
    }
    LOG.info("Uninstalled plugin {} {}{}", bundle.getSymbolicName(), bundle.getVersion(),
        keepData ? " (its data and configurations are kept)" : "");
  }

  /**
   * @return the plugin manager's location for a bundle, {@code dockevos:plugin:name/version}, or with a
   *     {@code #n} suffix when a bundle (one updated since to another version) or {@code taken} holds it
   */
  static String freeLocation(BundleContext context, String symbolicName, String version, java.util.Set<String> taken) {
    String base = LOCATION_PREFIX + symbolicName + "/" + version;
    String location = base;
    for (int n = 2; context.getBundle(location) != null || taken.contains(location); n++) {
      location = base + "#" + n;
    }
    return location;
  }

  /**
   * @return where the data of a plugin of that name is kept between an uninstall with {@code
   *     --keep-data} and the next install of the name: {@code data/plugins/kept/NAME}
   * @throws IOException when the name is not a valid symbolic name, so could lead out of that folder
   */
  Path keptData(String symbolicName) throws IOException {
    String problem = io.dockevos.common.internal.SymbolicNames.problem(symbolicName);
    if (problem != null) {
      throw new IOException("its data cannot be kept: its " + problem + ", so it cannot name a folder in "
          + pluginsDir.resolve("kept") + "; uninstall it without --keep-data (after copying its data area "
          + "elsewhere, if you want it)");
    }
    return io.dockevos.common.internal.SafePaths.child(pluginsDir.resolve("kept"), symbolicName);
  }

  /** A plugin installed again under a name whose data was kept gets that data back. */
  /** @return whether the bundle got data back that an uninstall with {@code --keep-data} kept */
  boolean restoreKeptData(Bundle bundle) {
    Path kept = null;
    try {
      kept = keptData(bundle.getSymbolicName());
      if (!Files.isDirectory(kept)) {
        return false;
      }
      Path data = dataArea(bundle);
      io.dockevos.common.internal.FileTrees.delete(data);
      Files.createDirectories(data.getParent());
      Files.move(kept, data);
      LOG.info("{} finds the data it kept at its last uninstall", bundle.getSymbolicName());
      return true;
    } catch (IOException e) {
      LOG.warn("Cannot give {} its kept data back from {}: {}", bundle.getSymbolicName(), kept, e.getMessage());
      return false;
    }
  }

  /** Puts the data a bundle got back from {@link #restoreKeptData} where it was kept, before the bundle goes. */
  void keepDataAgain(Bundle bundle) {
    Path data = dataArea(bundle);
    Path kept = null;
    try {
      kept = keptData(bundle.getSymbolicName());
      if (Files.isDirectory(data) && !Files.exists(kept)) {
        Files.createDirectories(kept.getParent());
        Files.move(data, kept);
      }
    } catch (IOException e) {
      LOG.error("Cannot keep {}'s data again in {}: {}", bundle.getSymbolicName(), kept, e.getMessage());
    }
  }

  // ---- reading ---------------------------------------------------------------------------------

  @Override
  public List<Plugin> list() {
    return views.list();
  }

  @Override
  public Optional<Plugin> find(String ref) {
    return views.find(ref);
  }

  @Override
  public PluginDetails details(String ref) throws PluginException {
    return views.details(ref);
  }

  @Override
  public Diagnosis diagnose(String ref) throws PluginException {
    return views.diagnose(ref);
  }

  /** The bundle that {@code ref} names: an id, a symbolic name, or {@code name/version}. */
  Bundle bundle(String ref) throws PluginException {
    return views.bundle(ref);
  }

  Plugin plugin(Bundle b) {
    return views.plugin(b);
  }

  /** The registry's entry, or one made up from what the framework knows (boot and deploy-folder bundles). */
  Registry.Entry entry(Bundle b) {
    return views.entry(b);
  }

  String sourceOf(Bundle b) {
    return views.sourceOf(b);
  }

  static boolean isBoot(Bundle b) {
    return PluginViews.isBoot(b);
  }

  @Override
  public List<MissingRequirement> missingRequirements(long bundleId) {
    Bundle b = context.getBundle(bundleId);
    return b == null ? List.of() : Requirements.missing(b, wiring, providers::providers);
  }

  @Override
  public List<io.dockevos.plugin.Provider> providers(String namespace, String filter) {
    return providers.providers(namespace, filter);
  }

  /** The plugin's data area: the framework's data folder of the bundle, kept across updates. */
  Path dataArea(Bundle b) {
    BundleContext bc = b.getBundleContext();
    java.io.File f = bc == null ? null : bc.getDataFile("");
    return f != null ? f.toPath() : storage.resolve("bundle" + b.getBundleId()).resolve("data");
  }

  /** Now, to the millisecond: what the registry keeps. */
  static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- failures and events ---------------------------------------------------------------------

  /** @param error the exception, published with the event (EventConstants.EXCEPTION) for the error handler */
  private void recordFailure(Bundle bundle, String reason, Throwable error) {
    if (reason == null) {
      return;
    }
    registry.put(bundle.getLocation(), entry(bundle).withReason(reason));
    LOG.error("Plugin {} {} failed: {}", bundle.getSymbolicName(), bundle.getVersion(), reason);
    post(PluginEvents.FAILED, bundle, reason, error);
  }

  private void clearReason(Bundle bundle) {
    Registry.Entry e = registry.get(bundle.getLocation());
    if (e != null && e.reason() != null) {
      registry.put(bundle.getLocation(), e.withReason(null));
    }
  }

  @Override
  public void bundleChanged(BundleEvent event) {
    Bundle b = event.getBundle();
    String topic = switch (event.getType()) {
      case BundleEvent.INSTALLED -> PluginEvents.INSTALLED;
      case BundleEvent.RESOLVED -> PluginEvents.RESOLVED;
      case BundleEvent.STARTED -> PluginEvents.STARTED;
      case BundleEvent.STOPPED -> PluginEvents.STOPPED;
      case BundleEvent.UPDATED -> PluginEvents.UPDATED;
      case BundleEvent.UNINSTALLED -> PluginEvents.UNINSTALLED;
      default -> null;
    };
    if (event.getType() == BundleEvent.STARTED) {
      clearReason(b);
    }
    if (event.getType() == BundleEvent.UNINSTALLED) {
      copies.forget(b);
    }
    if (topic != null) {
      post(topic, b, null);
    }
  }

  /** A boot bundle or a bundle the framework starts by start level failed. */
  @Override
  public void frameworkEvent(FrameworkEvent event) {
    Bundle b = event.getBundle();
    if (event.getType() == FrameworkEvent.ERROR && b != null && b.getBundleId() != 0 && event.getThrowable() != null) {
      Throwable t = event.getThrowable();
      recordFailure(b, t instanceof BundleException be ? explain(b, be) : b.getSymbolicName() + " failed: " + t, t);
    }
  }

  /** The deploy folder reports the failures of the bundles it manages. */
  @Override
  public void handleEvent(Event event) {
    Object id = event.getProperty(DeployEvents.PROP_BUNDLE_ID);
    Object reason = event.getProperty(DeployEvents.PROP_REASON);
    Bundle b = id instanceof Long l ? context.getBundle(l) : null;
    if (b != null && reason != null && b.getState() != Bundle.ACTIVE) {
      registry.put(b.getLocation(), entry(b).withReason(reason.toString()));
      post(PluginEvents.FAILED, b, reason.toString());
    }
  }

  private void post(String topic, Bundle bundle, String reason) {
    post(topic, bundle, reason, null);
  }

  void post(String topic, Bundle bundle, String reason, Throwable error) {
    post(topic, bundle, reason, error, Map.of());
  }

  void post(String topic, Bundle bundle, String reason, Throwable error, Map<String, Object> more) {
    EventAdmin ea = events;
    if (ea == null) {
      return;
    }
    Map<String, Object> props = new HashMap<>();
    props.put(PluginEvents.PLUGIN_ID, String.valueOf(bundle.getSymbolicName()));
    props.put(PluginEvents.PLUGIN_VERSION, bundle.getVersion().toString());
    props.put(PluginEvents.BUNDLE_ID, bundle.getBundleId());
    if (reason != null) {
      props.put(PluginEvents.REASON, reason);
    }
    props.putAll(more);
    if (error != null) {
      props.put(EventConstants.EXCEPTION, error);
      props.put(EventConstants.EXCEPTION_CLASS, error.getClass().getName());
      if (error.getMessage() != null) {
        props.put(EventConstants.EXCEPTION_MESSAGE, error.getMessage());
      }
    }
    ea.postEvent(new Event(topic, props));
  }
}
