package io.dockevos.plugin.internal;

import io.dockevos.api.DeployEvents;
import io.dockevos.api.Host;
import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.plugin.Diagnosis;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginDetails;
import io.dockevos.plugin.PluginEvents;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.plugin.SourceResolver;
import io.dockevos.plugin.StatefulPlugin;
import io.dockevos.install.Change;
import io.dockevos.install.DependencyVersions;
import io.dockevos.install.Installer;
import io.dockevos.install.Outcome;
import io.dockevos.install.Plan;
import io.dockevos.plugin.internal.plan.Catalog;
import io.dockevos.plugin.internal.plan.Planner;
import io.dockevos.plugin.internal.plan.Prepared;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleRevisions;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
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
  private static final String STATE_FILE = ".dockevos-plugin-state";
  private static final long SERVICE_WAIT_MS = 10_000;

  private final BundleContext context;
  private final FrameworkWiring wiring;
  private final Registry registry;
  private final Providers providers;
  private final Sources sources;
  private final Path home;
  private final Path pluginsDir;
  private final Path storage;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile ServiceComponentRuntime scr;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile ConfigurationAdmin configAdmin;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile io.dockevos.feature.FeatureManager featureManager;
  /** Reads the versions a plugin's POM declares (the Maven bundle), for the planner's preferences. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile DependencyVersions dependencyVersions;
  /** The repository plans draw on: the index of system/, the local Maven repository and the registered indexes. */
  volatile Catalog catalog = Catalog.EMPTY;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  void setRepositories(io.dockevos.install.Repositories repositories) {
    if (repositories instanceof io.dockevos.plugin.internal.repo.RepositoryService service) {
      catalog = service.index();
    }
  }

  void unsetRepositories(io.dockevos.install.Repositories repositories) {
    if (repositories instanceof io.dockevos.plugin.internal.repo.RepositoryService service
        && catalog == service.index()) {
      catalog = Catalog.EMPTY;
    }
  }
  private final Planner planner;
  private final Transaction transaction;
  /** One plan is applied at a time. */
  private final Object pipeline = new Object();
  /** Plans made by {@link #plan}, until they are applied: what applying needs beyond the plan itself. */
  private final Map<Plan, Prepared> prepared = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
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
    if (inUse.remove(ref) != null) {
      try {
        context.ungetService(ref);
      } catch (IllegalStateException stopping) {
        // the manager is stopping
      }
    }
  }

  /** The resolvers got so far, kept until they go away. */
  private final Map<ServiceReference<SourceResolver>, SourceResolver> inUse =
      new java.util.concurrent.ConcurrentHashMap<>();

  private SourceResolver resolver(String scheme) {
    ServiceReference<SourceResolver> ref = resolvers.get(scheme);
    return ref == null ? null : inUse.computeIfAbsent(ref, context::getService);
  }

  @Activate
  public PluginManagerImpl(BundleContext context) {
    this.context = context;
    this.wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    this.home = Path.of(property(Host.HOME_PROPERTY, ".")).toAbsolutePath();
    Path data = Path.of(property(Host.DATA_PROPERTY, home.resolve("data").toString()));
    this.pluginsDir = data.resolve("plugins");
    this.storage = Path.of(property(Constants.FRAMEWORK_STORAGE, data.resolve("cache").toString()));
    this.registry = new Registry(pluginsDir.resolve("registry.json"));
    String repo = System.getProperty("maven.repo.local");
    this.providers = new Providers(home.resolve("system"),
        repo != null ? Path.of(repo) : Path.of(System.getProperty("user.home"), ".m2", "repository"));
    this.sources = new Sources(home, pluginsDir.resolve("downloads"), this::resolver);
    Journal journal = new Journal(pluginsDir.resolve("journal.json"));
    this.planner = new Planner(context, () -> catalog, () -> dependencyVersions, new Planner.Host() {
      @Override
      public Planner.Fetched fetch(String source) throws PluginException {
        Path ready = staged.get(source);
        if (ready != null) {
          return new Planner.Fetched(ready, () -> { });
        }
        Sources.Fetched f = sources.fetch(source);
        return new Planner.Fetched(f.file(), f::discard);
      }

      @Override
      public void check(Path jar, String source) throws PluginException {
        requireFeatures("Cannot install " + source + ": ", Sources.check(jar, source));
      }
    });
    this.transaction = new Transaction(context, wiring, journal, new HealthGate(context, () -> scr),
        new TransactionHost());
    Transaction.recover(context, journal, registry);
    context.addBundleListener(this);
    context.addFrameworkListener(this);
    forgetUninstalled();
    undoInterruptedInstalls();
  }

  /** What a transaction does to the plugin manager's records. */
  private final class TransactionHost implements Transaction.Host {
    @Override
    public Sources sources() {
      return sources;
    }

    @Override
    public Registry registry() {
      return registry;
    }

    @Override
    public void installed(Bundle bundle, Path jar) {
      store(bundle, jar);
      restoreKeptData(bundle);
    }

    @Override
    public void remove(List<Bundle> bundles) {
      for (Bundle b : bundles) {
        try {
          b.uninstall();
        } catch (BundleException | IllegalStateException e) {
          LOG.warn("Cannot remove {} after a failed install: {}", b, e.toString());
        }
        registry.remove(b.getLocation());
        try {
          Files.deleteIfExists(storeFile(b));
        } catch (IOException ignored) {
          // a stale copy is harmless
        }
      }
      if (!bundles.isEmpty()) {
        refresh(bundles);
      }
    }

    @Override
    public String explain(Bundle bundle, Exception e) {
      return PluginManagerImpl.this.explain(bundle, e);
    }

    @Override
    public List<MissingRequirement> missing(Bundle bundle) {
      return missingRequirements(bundle.getBundleId());
    }

    @Override
    public void failed(Bundle bundle, String reason, Throwable error) {
      LOG.error("Plugin {} {} failed: {}", bundle.getSymbolicName(), bundle.getVersion(), reason);
      post(PluginEvents.FAILED, bundle, reason, error);
    }

    @Override
    public List<String> applyConfigurations(String source, List<Path> files) throws PluginException {
      return PluginManagerImpl.this.applyConfigurations(source, files);
    }

    @Override
    public void deleteConfigurations(List<String> pids) {
      PluginManagerImpl.this.deleteConfigurations(pids);
    }
  }

  /** Files already fetched or unpacked for the plan being made, by the source name the plan gives them. */
  private final Map<String, Path> staged = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Plans the install of jars and plugin archives: an archive's jars are named together (one that
   * is installed already, but its first, is used as it is) and its configurations go with the plan.
   */
  Prepared prepareInstall(List<String> names, Change.Scope scope, java.util.Set<Change.Option> options)
      throws PluginException {
    List<Change.Item> items = new ArrayList<>();
    List<Path> configs = new ArrayList<>();
    List<Runnable> cleanup = new ArrayList<>();
    String configSource = null;
    try {
      for (String source : names) {
        Sources.Fetched fetched = sources.fetch(source);
        cleanup.add(fetched::discard);
        if (!Archives.isArchive(fetched.file(), source)) {
          staged.put(source, fetched.file());
          cleanup.add(() -> staged.remove(source));
          items.add(Change.Item.install(source));
          continue;
        }
        Path dir = pluginsDir.resolve("unpacked").resolve(java.util.UUID.randomUUID().toString());
        cleanup.add(() -> {
          try {
            deleteTree(dir);
          } catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", dir, e.toString());
          }
        });
        Archives.Unpacked archive = Archives.unpack(fetched.file(), source, dir, Archives.Limits.DEFAULT);
        for (int i = 0; i < archive.bundles().size(); i++) {
          Path jar = archive.bundles().get(i);
          String name = source + "!/" + archive.dir().relativize(jar);
          Sources.Checked c = Sources.check(jar, name);
          if (i > 0 && Stream.of(context.getBundles()).anyMatch(b -> c.symbolicName().equals(b.getSymbolicName())
              && c.version().equals(b.getVersion()))) {
            continue; // a dependency installed already is used as it is
          }
          staged.put(name, jar);
          cleanup.add(() -> staged.remove(name));
          items.add(Change.Item.install(name));
        }
        configs.addAll(archive.configurations());
        configSource = source;
      }
      Prepared p = planOrReport(new Change(items, scope, options, INSTALL_ORIGIN));
      return p.withConfigurations(configs, configSource, () -> cleanup.forEach(Runnable::run));
    } catch (PluginException | RuntimeException e) {
      cleanup.forEach(Runnable::run);
      throw e;
    }
  }

  /** Applies what {@link #prepareInstall} made, then discards its files. */
  Outcome applyPrepared(Prepared p) throws PluginException {
    try {
      synchronized (pipeline) {
        return transaction.apply(p);
      }
    } finally {
      p.discard().run();
    }
  }

  // ---- the install pipeline --------------------------------------------------------------------

  /** The origin of a user's {@code plugin:install}: its refusals are published as {@link PluginEvents#FAILED}. */
  static final String INSTALL_ORIGIN = "plugin:install";

  @Override
  public Plan plan(Change change) throws PluginException {
    Prepared p = planOrReport(change);
    prepared.put(p.plan(), p);
    return p.plan();
  }

  /**
   * Plans a change; a user's install that no plan fits is published as {@link PluginEvents#FAILED}
   * for each named bundle that has unsatisfied requirements, with them as values ({@link
   * PluginEvents#REQUIREMENT_NAMESPACES}, {@link PluginEvents#REQUIREMENT_FILTERS}), for the error handler.
   */
  private Prepared planOrReport(Change change) throws PluginException {
    try {
      return planner.plan(change);
    } catch (io.dockevos.install.PlanException e) {
      if (INSTALL_ORIGIN.equals(change.origin())) {
        Map<String, List<MissingRequirement>> byRoot = new LinkedHashMap<>();
        for (MissingRequirement m : e.unsatisfied()) {
          byRoot.computeIfAbsent(m.chain().isEmpty() ? m.requiringBundle() : m.chain().get(0),
              k -> new ArrayList<>()).add(m);
        }
        byRoot.forEach((root, missing) -> postRefused(change, root, missing, e.getMessage()));
      }
      throw e;
    }
  }

  private void postRefused(Change change, String root, List<MissingRequirement> missing, String reason) {
    EventAdmin ea = events;
    if (ea == null) {
      return;
    }
    int space = root.lastIndexOf(' ');
    Map<String, Object> props = new HashMap<>();
    props.put(PluginEvents.PLUGIN_ID, space > 0 ? root.substring(0, space) : root);
    props.put(PluginEvents.PLUGIN_VERSION, space > 0 ? root.substring(space + 1) : "0.0.0");
    props.put(PluginEvents.REASON, reason);
    // As values: the error handler does not parse them back out of text.
    props.put(PluginEvents.REQUIREMENT_NAMESPACES, missing.stream().map(MissingRequirement::namespace).toArray(String[]::new));
    props.put(PluginEvents.REQUIREMENT_FILTERS, missing.stream().map(MissingRequirement::filter).toArray(String[]::new));
    props.put(PluginEvents.SOURCE, String.join(", ", change.items().stream()
        .map(i -> i.source() != null ? i.source() : i.ref()).toList()));
    ea.postEvent(new Event(PluginEvents.FAILED, props));
  }

  @Override
  public Outcome apply(Plan plan) throws PluginException {
    Prepared p = prepared.remove(plan);
    if (p == null) {
      p = planner.plan(plan.change());
      if (!p.plan().steps().equals(plan.steps())) {
        p.discard().run();
        throw new PluginException("Cannot apply the plan of " + plan.change().origin() + ": what is installed changed"
            + " since it was made; plan again");
      }
    }
    try {
      synchronized (pipeline) {
        return transaction.apply(p);
      }
    } finally {
      p.discard().run();
    }
  }

  @Override
  public Outcome execute(Change change) throws PluginException {
    synchronized (pipeline) {
      Prepared p = planOrReport(change);
      try {
        return transaction.apply(p);
      } finally {
        p.discard().run();
      }
    }
  }

  @Deactivate
  void deactivate() {
    context.removeBundleListener(this);
    context.removeFrameworkListener(this);
  }

  private String property(String key, String fallback) {
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
        return installAll(source, List.of(fetched.file()), List.of(), opts, null);
      }
      unpackedDir = pluginsDir.resolve("unpacked").resolve(java.util.UUID.randomUUID().toString());
      Archives.Unpacked archive = Archives.unpack(fetched.file(), source, unpackedDir, Archives.Limits.DEFAULT);
      return installAll(source, archive.bundles(), archive.configurations(), opts, archive.dir());
    } finally {
      fetched.discard();
      if (unpackedDir != null) {
        try {
          deleteTree(unpackedDir);
        } catch (IOException e) {
          LOG.warn("Cannot remove {}: {}", unpackedDir, e.toString());
        }
      }
    }
  }


  /**
   * Installs the plugin's bundle (the first jar) and, from an archive, its dependency bundles and
   * configurations, all or nothing: unless every new bundle resolves and starts, what was added is
   * removed again. A dependency that is installed already (same name and version) is used as it is.
   *
   * @param archiveDir the folder the archive was unpacked into, or {@code null} for a single jar
   */
  private Plugin installAll(String source, List<Path> jars, List<Path> configs, List<InstallOption> opts,
      Path archiveDir) throws PluginException {
    String what = "Cannot install " + source + ": ";
    List<Path> toInstall = new ArrayList<>();
    List<Sources.Checked> checked = new ArrayList<>();
    for (int i = 0; i < jars.size(); i++) {
      Path jar = jars.get(i);
      String name = archiveDir == null ? source : source + "!/" + archiveDir.relativize(jar);
      Sources.Checked c = Sources.check(jar, name);
      Optional<Bundle> same = java.util.stream.Stream.of(context.getBundles())
          .filter(b -> c.symbolicName().equals(b.getSymbolicName()) && c.version().equals(b.getVersion())).findFirst();
      if (same.isPresent() && i == 0) {
        Bundle b = same.get();
        throw new PluginException(what + c.symbolicName() + " " + c.version() + " is installed already, as plugin "
            + b.getBundleId() + " (" + sourceOf(b) + "). Use plugin:update " + b.getBundleId()
            + " to replace it, or raise the version.");
      }
      if (same.isEmpty() && checked.stream().noneMatch(o -> o.symbolicName().equals(c.symbolicName())
          && o.version().equals(c.version()))) {
        toInstall.add(jar);
        checked.add(c);
      }
    }
    for (Sources.Checked c : checked) {
      requireFeatures(what, c);
    }
    List<Bundle> added = new ArrayList<>();
    List<String> pids = new ArrayList<>();
    try {
      for (int i = 0; i < toInstall.size(); i++) {
        Sources.Checked c = checked.get(i);
        String location = LOCATION_PREFIX + c.symbolicName() + "/" + c.version();
        // Recorded first, as pending: a kill before the install ends leaves it for the next start to undo.
        registry.put(location, new Registry.Entry(archiveDir == null ? source
            : source + "!/" + archiveDir.relativize(toInstall.get(i)), now(), null, false, null, true));
        Bundle bundle;
        try (InputStream in = Files.newInputStream(toInstall.get(i))) {
          bundle = context.installBundle(location, in);
        } catch (BundleException | IOException e) {
          registry.remove(location);
          throw new PluginException(what + e.getMessage(), e);
        }
        added.add(bundle);
        store(bundle, toInstall.get(i));
        restoreKeptData(bundle);
      }
      pids.addAll(applyConfigurations(source, configs));
      Bundle plugin = added.get(0);
      if (opts.contains(InstallOption.NO_RESOLVE)) {
        LOG.info("Installed plugin {} {} from {}, not resolved yet", plugin.getSymbolicName(), plugin.getVersion(),
            source);
        return done(added);
      }
      if (!wiring.resolveBundles(added)) {
        List<MissingRequirement> missing = new ArrayList<>();
        StringBuilder why = new StringBuilder();
        for (Bundle b : added) {
          if (b.getState() == Bundle.INSTALLED) {
            List<MissingRequirement> m = missingRequirements(b.getBundleId());
            missing.addAll(m);
            why.append(why.length() == 0 ? "" : "; ").append(unresolved(b, m));
            // For the error handler: the install failed, whatever becomes of the bundle.
            List<BundleRequirement> unsatisfied = Requirements.unsatisfied(b, wiring);
            Map<String, Object> more = new HashMap<>();
            more.put(PluginEvents.SOURCE, source);
            if (!unsatisfied.isEmpty()) {
              // As values: the error handler does not parse them back out of text.
              more.put(PluginEvents.REQUIREMENT_NAMESPACES,
                  unsatisfied.stream().map(BundleRequirement::getNamespace).toArray(String[]::new));
              more.put(PluginEvents.REQUIREMENT_FILTERS, unsatisfied.stream().map(r -> r.getDirectives()
                  .getOrDefault(org.osgi.resource.Namespace.REQUIREMENT_FILTER_DIRECTIVE, "")).toArray(String[]::new));
            }
            post(PluginEvents.FAILED, b, unresolved(b, m), null, more);
          }
        }
        if (!opts.contains(InstallOption.FORCE)) {
          throw new PluginException(what + why + ". Nothing was installed.", null, missing);
        }
        LOG.warn("Installed {} with --force although {}", source, why);
        return done(added);
      }
      if (!opts.contains(InstallOption.NO_START)) {
        // Dependencies first, the plugin's own bundle last.
        for (int i = added.size() - 1; i >= 0; i--) {
          if (!Requirements.isFragment(added.get(i))) {
            startChecked(added.get(i), what);
          }
        }
      }
      LOG.info("Installed plugin {} {} from {}{}", plugin.getSymbolicName(), plugin.getVersion(), source,
          added.size() > 1 ? " with " + (added.size() - 1) + " more bundle(s)" : "");
      return done(added);
    } catch (PluginException | RuntimeException e) {
      if (!opts.contains(InstallOption.FORCE) || !(e instanceof PluginException)) {
        for (Bundle b : added) {
          removeQuietly(b);
        }
        deleteConfigurations(pids);
      } else {
        done(added);
      }
      throw e;
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

  /** The install ended: its bundles are no longer pending. @return the plugin, the first of them */
  private Plugin done(List<Bundle> added) {
    for (Bundle b : added) {
      Registry.Entry e = registry.get(b.getLocation());
      if (e != null && e.pending()) {
        registry.put(b.getLocation(), e.withPending(false));
      }
    }
    return plugin(added.get(0));
  }

  /** Plugins whose install a kill cut short are removed, as a failed install would have removed them. */
  private void undoInterruptedInstalls() {
    registry.all().forEach((location, e) -> {
      if (!e.pending()) {
        return;
      }
      Bundle b = context.getBundle(location);
      LOG.warn("The install of {} was cut short when the runtime stopped; removing {}", e.source(),
          b == null ? location : b.getSymbolicName() + " " + b.getVersion());
      if (b != null) {
        try {
          b.uninstall(); // no refresh to wait for here: this runs while the framework starts
        } catch (BundleException | IllegalStateException x) {
          LOG.warn("Cannot remove {}: {}", b, x.toString());
        }
        try {
          Files.deleteIfExists(storeFile(b));
        } catch (IOException ignored) {
          // a stale copy is harmless
        }
      }
      registry.remove(location);
    });
  }

  /** Checks that the features a plugin requires are installed, before anything is. */
  private void requireFeatures(String what, Sources.Checked c) throws PluginException {
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

  /** Gives an archive's {@code PID.cfg} and {@code FACTORY~NAME.cfg} files to Configuration Admin. */
  private List<String> applyConfigurations(String source, List<Path> configs) throws PluginException {
    List<String> pids = new ArrayList<>();
    ConfigurationAdmin ca = configAdmin;
    if (configs.isEmpty()) {
      return pids;
    }
    if (ca == null) {
      throw new PluginException("Cannot install " + source + ": it holds configurations, and Configuration Admin"
          + " is not running");
    }
    for (Path cfg : configs) {
      String name = cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
      java.util.Properties props = new java.util.Properties();
      try (InputStream in = Files.newInputStream(cfg)) {
        props.load(in);
        java.util.Hashtable<String, Object> values = new java.util.Hashtable<>();
        props.forEach((k, v) -> values.put(k.toString(), v.toString().trim()));
        int tilde = name.indexOf('~');
        Configuration c = tilde > 0 ? ca.getFactoryConfiguration(name.substring(0, tilde), name.substring(tilde + 1),
            "?") : ca.getConfiguration(name, "?");
        c.updateIfDifferent(values);
        pids.add(c.getPid());
      } catch (IOException | IllegalArgumentException e) {
        throw new PluginException("Cannot install " + source + ": its configuration " + cfg.getFileName()
            + " cannot be applied: " + e.getMessage(), e);
      }
    }
    return pids;
  }

  private boolean resolve(Bundle bundle) {
    if (bundle.getState() != Bundle.INSTALLED) {
      return true;
    }
    return wiring.resolveBundles(List.of(bundle));
  }

  private String unresolved(Bundle bundle, List<MissingRequirement> missing) {
    String who = bundle.getSymbolicName() + " " + bundle.getVersion();
    if (missing.isEmpty()) {
      return who + " does not resolve, although each of its requirements has a provider: the providers conflict"
          + " (a uses constraint); the resolver's account is in the log";
    }
    StringBuilder s = new StringBuilder(who).append(" does not resolve; it requires:");
    for (MissingRequirement m : missing) {
      s.append("\n  - ").append(m.explained());
    }
    return s.toString();
  }

  /** Starts a bundle; on failure records why, publishes FAILED and throws with {@code prefix}. */
  private void startChecked(Bundle bundle, String prefix) throws PluginException {
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

  private void store(Bundle bundle, Path file) {
    try {
      Files.createDirectories(pluginsDir.resolve("store"));
      Path temp = pluginsDir.resolve("store/." + bundle.getBundleId() + ".jar.tmp");
      Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temp, storeFile(bundle), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("Cannot keep a copy of {} for a rollback: {}", bundle, e.toString());
    }
  }

  private Path storeFile(Bundle bundle) {
    return pluginsDir.resolve("store/" + bundle.getBundleId() + ".jar");
  }

  private void removeQuietly(Bundle bundle) {
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

  private void refuseBoot(Bundle bundle, String what) throws PluginException {
    if (isBoot(bundle)) {
      throw new PluginException("Cannot " + what + " " + bundle.getSymbolicName()
          + ": it is part of the runtime itself (a boot feature)");
    }
  }

  @Override
  public Plugin update(String ref, String source) throws PluginException {
    Bundle bundle = bundle(ref);
    refuseBoot(bundle, "update");
    Registry.Entry entry = entry(bundle);
    String from = source != null ? source : entry.source();
    String oldVersion = bundle.getVersion().toString();
    Sources.Fetched fetched = sources.fetch(from);
    try {
      Sources.Checked jar = Sources.check(fetched.file(), from);
      if (!jar.symbolicName().equals(bundle.getSymbolicName())) {
        throw new PluginException("Cannot update " + bundle.getSymbolicName() + " from " + from + ": that is "
            + jar.symbolicName() + ", another plugin. Install it with plugin:install.");
      }
      boolean wasActive = bundle.getState() == Bundle.ACTIVE;
      SavedState saved = wasActive ? saveState(bundle) : null;
      Path previous = storeFile(bundle);
      try {
        try (InputStream in = Files.newInputStream(fetched.file())) {
          bundle.update(in);
        }
        refreshIfNeeded(bundle);
        if (!resolve(bundle)) {
          throw new PluginException(unresolved(bundle, missingRequirements(bundle.getBundleId())), null,
              missingRequirements(bundle.getBundleId()));
        }
        if (wasActive) {
          startChecked(bundle, "");
        }
        if (saved != null) {
          restoreState(bundle, saved);
        }
      } catch (PluginException | BundleException | IOException | RuntimeException e) {
        String why = e instanceof PluginException ? e.getMessage() : explain(bundle, (Exception) e);
        rollback(bundle, previous, wasActive, saved);
        String message = "Cannot update " + bundle.getSymbolicName() + " " + oldVersion + " to " + jar.version()
            + ": " + why + ". Rolled back to " + oldVersion + (wasActive ? ", which is running again." : ".");
        throw new PluginException(message, e, e instanceof PluginException pe ? pe.missing() : List.of());
      }
      store(bundle, fetched.file());
      registry.put(bundle.getLocation(), entry(bundle).withSource(from).withUpdated(now()).withReason(null));
      LOG.info("Updated plugin {} from {} to {} ({})", bundle.getSymbolicName(), oldVersion, bundle.getVersion(), from);
      return plugin(bundle);
    } finally {
      fetched.discard();
    }
  }

  /** A plugin's state, as its {@link StatefulPlugin} saved it before an update. */
  private record SavedState(int version, byte[] bytes) {}

  private SavedState saveState(Bundle bundle) throws PluginException {
    ServiceReference<?> ref = statefulService(bundle);
    if (ref == null) {
      return null;
    }
    StatefulPlugin hook = (StatefulPlugin) context.getService(ref);
    if (hook == null) {
      return null;
    }
    try {
      SavedState saved = new SavedState(hook.stateVersion(), hook.saveState());
      writeState(bundle, saved);
      return saved;
    } catch (Exception e) {
      throw new PluginException("Cannot update " + bundle.getSymbolicName() + ": its saveState threw " + e
          + "; nothing was changed", e);
    } finally {
      context.ungetService(ref);
    }
  }

  /** Keeps the saved state in the plugin's data area, so that it outlives a crash during the update. */
  private void writeState(Bundle bundle, SavedState saved) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 + saved.bytes().length).putInt(saved.version()).put(saved.bytes());
    AtomicFiles.write(dataArea(bundle).resolve(STATE_FILE), buf.array());
  }


  private void restoreState(Bundle bundle, SavedState saved) throws PluginException {
    long deadline = System.currentTimeMillis() + SERVICE_WAIT_MS;
    ServiceReference<?> ref = statefulService(bundle);
    while (ref == null && System.currentTimeMillis() < deadline) {
      sleep(50);
      ref = statefulService(bundle);
    }
    if (ref == null) {
      LOG.warn("{} {} registers no StatefulPlugin service: the state that {} saved is left in {}",
          bundle.getSymbolicName(), bundle.getVersion(), bundle.getSymbolicName(), dataArea(bundle).resolve(STATE_FILE));
      return;
    }
    StatefulPlugin hook = (StatefulPlugin) context.getService(ref);
    try {
      hook.restoreState(saved.version(), saved.bytes());
    } catch (Exception e) {
      throw new PluginException(bundle.getSymbolicName() + " " + bundle.getVersion()
          + " could not restore the state (version " + saved.version() + "): its restoreState threw " + e, e);
    } finally {
      context.ungetService(ref);
    }
  }

  private ServiceReference<?> statefulService(Bundle bundle) {
    ServiceReference<?>[] refs = bundle.getRegisteredServices();
    if (refs == null) {
      return null;
    }
    for (ServiceReference<?> r : refs) {
      if (Arrays.asList((String[]) r.getProperty(Constants.OBJECTCLASS)).contains(StatefulPlugin.class.getName())) {
        return r;
      }
    }
    return null;
  }

  private void rollback(Bundle bundle, Path previous, boolean wasActive, SavedState saved) {
    try {
      try {
        bundle.stop();
      } catch (BundleException | IllegalStateException ignored) {
        // it may not have started
      }
      try (InputStream in = Files.newInputStream(previous)) {
        bundle.update(in);
      }
      refreshIfNeeded(bundle);
      if (wasActive) {
        bundle.start();
      }
      if (saved != null && wasActive) {
        restoreState(bundle, saved);
      }
      LOG.warn("Rolled {} back to {}", bundle.getSymbolicName(), bundle.getVersion());
    } catch (Exception e) {
      LOG.error("Rolling {} back failed too: {}", bundle.getSymbolicName(), e.toString(), e);
    }
  }

  private void refreshIfNeeded(Bundle bundle) {
    BundleRevisions revisions = bundle.adapt(BundleRevisions.class);
    if (revisions != null && revisions.getRevisions().size() > 1) {
      refresh(List.of(bundle));
    }
  }

  private void refresh(List<Bundle> bundles) {
    CountDownLatch done = new CountDownLatch(1);
    wiring.refreshBundles(bundles, e -> done.countDown());
    try {
      if (!done.await(30, TimeUnit.SECONDS)) {
        LOG.warn("Refreshing {} takes longer than 30 s", bundles);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void uninstall(String ref, boolean keepData) throws PluginException {
    Bundle bundle = bundle(ref);
    refuseBoot(bundle, "uninstall");
    List<String> pids = configurationPids(bundle);
    Path data = dataArea(bundle);
    try {
      if (keepData && Files.isDirectory(data)) {
        Path kept = keptData(bundle.getSymbolicName());
        deleteTree(kept);
        Files.createDirectories(kept.getParent());
        Files.move(data, kept);
      }
      bundle.uninstall();
    } catch (BundleException | IOException | IllegalStateException e) {
      throw new PluginException("Cannot uninstall " + bundle.getSymbolicName() + ": " + e.getMessage(), e);
    }
    refresh(List.of(bundle));
    if (!keepData) {
      deleteConfigurations(bundle, pids);
    }
    registry.remove(bundle.getLocation());
    try {
      Files.deleteIfExists(storeFile(bundle));
      deleteTree(data);
    } catch (IOException e) {
      LOG.warn("Cannot remove all of {}'s files: {}", bundle.getSymbolicName(), e.toString());
    }
    LOG.info("Uninstalled plugin {} {}{}", bundle.getSymbolicName(), bundle.getVersion(),
        keepData ? " (its data and configurations are kept)" : "");
  }

  private Path keptData(String symbolicName) {
    return pluginsDir.resolve("kept").resolve(symbolicName);
  }

  /** A plugin installed again under a name whose data was kept gets that data back. */
  private void restoreKeptData(Bundle bundle) {
    Path kept = keptData(bundle.getSymbolicName());
    if (!Files.isDirectory(kept)) {
      return;
    }
    try {
      Path data = dataArea(bundle);
      deleteTree(data);
      Files.createDirectories(data.getParent());
      Files.move(kept, data);
      LOG.info("{} finds the data it kept at its last uninstall", bundle.getSymbolicName());
    } catch (IOException e) {
      LOG.warn("Cannot give {} its kept data back from {}: {}", bundle.getSymbolicName(), kept, e.toString());
    }
  }

  private List<String> configurationPids(Bundle bundle) {
    Set<String> pids = new LinkedHashSet<>();
    ServiceComponentRuntime runtime = scr;
    if (runtime != null) {
      for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(bundle)) {
        pids.addAll(Arrays.asList(d.configurationPid));
      }
    }
    ConfigurationAdmin ca = configAdmin;
    if (ca != null) {
      try {
        Configuration[] bound = ca.listConfigurations("(service.bundleLocation=" + escape(bundle.getLocation()) + ")");
        if (bound != null) {
          for (Configuration c : bound) {
            pids.add(c.getFactoryPid() != null ? c.getFactoryPid() : c.getPid());
          }
        }
      } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
        LOG.debug("Cannot list configurations of {}", bundle, e);
      }
    }
    return new ArrayList<>(pids);
  }

  private void deleteConfigurations(List<String> pids) {
    ConfigurationAdmin ca = configAdmin;
    for (String pid : pids) {
      try {
        Configuration c = ca == null ? null : ca.getConfiguration(pid, "?");
        if (c != null) {
          c.delete();
        }
      } catch (IOException | IllegalStateException e) {
        LOG.warn("Cannot delete configuration {}: {}", pid, e.toString());
      }
    }
  }

  private void deleteConfigurations(Bundle bundle, List<String> pids) {
    ConfigurationAdmin ca = configAdmin;
    if (ca == null) {
      return;
    }
    for (String pid : pids) {
      try {
        Configuration[] configs = ca.listConfigurations("(|(service.pid=" + escape(pid) + ")(service.factoryPid="
            + escape(pid) + "))");
        if (configs != null) {
          for (Configuration c : configs) {
            c.delete();
            LOG.info("Deleted configuration {} of {}", c.getPid(), bundle.getSymbolicName());
          }
        }
      } catch (IOException | org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
        LOG.warn("Cannot delete configuration {} of {}: {}", pid, bundle.getSymbolicName(), e.toString());
      }
    }
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
  }

  // ---- reading ---------------------------------------------------------------------------------

  @Override
  public List<Plugin> list() {
    List<Plugin> result = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      if (b.getBundleId() != 0) {
        result.add(plugin(b));
      }
    }
    return result;
  }

  @Override
  public Optional<Plugin> find(String ref) {
    try {
      return Optional.of(plugin(bundle(ref)));
    } catch (PluginException e) {
      return Optional.empty();
    }
  }

  /** The bundle that {@code ref} names: an id, a symbolic name, or {@code name/version}. */
  Bundle bundle(String ref) throws PluginException {
    String r = ref == null ? "" : ref.trim();
    if (r.matches("\\d+")) {
      Bundle b = context.getBundle(Long.parseLong(r));
      if (b == null || b.getBundleId() == 0) {
        throw new PluginException("No plugin with id " + r + "; plugin:list --all shows every plugin");
      }
      return b;
    }
    String name = r;
    String version = null;
    int slash = r.indexOf('/');
    if (slash > 0) {
      name = r.substring(0, slash);
      version = r.substring(slash + 1);
    }
    List<Bundle> matches = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      if (name.equals(b.getSymbolicName()) && (version == null || b.getVersion().toString().equals(version))) {
        matches.add(b);
      }
    }
    if (matches.isEmpty()) {
      throw new PluginException("No plugin named " + r + "; plugin:list --all shows every plugin");
    }
    if (matches.size() > 1) {
      throw new PluginException("Several plugins are named " + r + ": " + matches.stream()
          .map(b -> b.getBundleId() + " (" + b.getVersion() + ")").toList() + "; name one by its id or as "
          + name + "/VERSION");
    }
    return matches.get(0);
  }

  Plugin plugin(Bundle b) {
    Registry.Entry e = entry(b);
    String name = b.getHeaders("").get(Constants.BUNDLE_NAME);
    PluginState state = state(b, e);
    return new Plugin(b.getBundleId(), String.valueOf(b.getSymbolicName()), b.getVersion().toString(),
        name == null ? String.valueOf(b.getSymbolicName()) : name, state,
        state == PluginState.FAILED ? e.reason() : null, components(b), e.source(), e.installed(), e.updated(),
        isBoot(b));
  }

  private static PluginState state(Bundle b, Registry.Entry e) {
    int s = b.getState();
    if (s == Bundle.ACTIVE) {
      return PluginState.ACTIVE;
    }
    if (s == Bundle.STARTING) {
      return PluginState.STARTING;
    }
    if (s == Bundle.STOPPING) {
      return PluginState.STOPPING;
    }
    if (e.disabled()) {
      return PluginState.DISABLED;
    }
    if (e.reason() != null) {
      return PluginState.FAILED;
    }
    return s == Bundle.RESOLVED ? PluginState.RESOLVED : PluginState.INSTALLED;
  }

  /** The registry's entry, or one made up from what the framework knows (boot and deploy-folder bundles). */
  private Registry.Entry entry(Bundle b) {
    Registry.Entry e = registry.get(b.getLocation());
    return e != null ? e : new Registry.Entry(sourceOf(b), Instant.ofEpochMilli(b.getLastModified()), null, false,
        null);
  }

  private String sourceOf(Bundle b) {
    Registry.Entry e = registry.get(b.getLocation());
    if (e != null) {
      return e.source();
    }
    String location = b.getLocation();
    if (isBoot(b)) {
      return "boot";
    }
    if (location.startsWith("file:")) {
      try {
        Path p = Path.of(java.net.URI.create(location));
        Path deploy = Path.of(property(Host.DEPLOY_PROPERTY, home.resolve("deploy").toString()));
        if (p.getParent() != null && p.getParent().getFileName().toString().equals("deploy-staging")) {
          return deploy.resolve(p.getFileName()).toString();
        }
        return p.toString();
      } catch (IllegalArgumentException ignored) {
        return location;
      }
    }
    return location;
  }

  static boolean isBoot(Bundle b) {
    String l = b.getLocation();
    return b.getBundleId() == 0 || l.startsWith("reference:") || l.startsWith("dockevos:classpath:");
  }

  private Plugin.Components components(Bundle b) {
    ServiceComponentRuntime runtime = scr;
    if (runtime == null || b.getState() == Bundle.UNINSTALLED) {
      return Plugin.Components.NONE;
    }
    int active = 0;
    int unsatisfied = 0;
    int failed = 0;
    for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(b)) {
      for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
        switch (c.state) {
          case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED -> active++;
          case ComponentConfigurationDTO.FAILED_ACTIVATION -> failed++;
          default -> unsatisfied++;
        }
      }
    }
    return new Plugin.Components(active, unsatisfied, failed);
  }

  @Override
  public PluginDetails details(String ref) throws PluginException {
    Bundle b = bundle(ref);
    Map<String, String> headers = new LinkedHashMap<>();
    java.util.Dictionary<String, String> h = b.getHeaders("");
    for (String key : List.of(Constants.BUNDLE_NAME, Constants.BUNDLE_DESCRIPTION, Constants.BUNDLE_VENDOR,
        "Bundle-License", Constants.BUNDLE_DOCURL, Constants.BUNDLE_COPYRIGHT, Constants.BUNDLE_ACTIVATOR)) {
      if (h.get(key) != null) {
        headers.put(key, h.get(key));
      }
    }
    List<String> provides = new ArrayList<>();
    List<String> requires = new ArrayList<>();
    BundleWiring bw = b.adapt(BundleWiring.class);
    BundleRevision rev = b.adapt(BundleRevision.class);
    if (rev != null) {
      for (BundleCapability c : rev.getDeclaredCapabilities(null)) {
        if (!c.getNamespace().equals("osgi.identity")) {
          provides.add(c.getNamespace() + " " + c.getAttributes().getOrDefault(c.getNamespace(), c.getAttributes()));
        }
      }
      Map<org.osgi.framework.wiring.BundleRequirement, String> wiredTo = new HashMap<>();
      if (bw != null) {
        for (BundleWire w : bw.getRequiredWires(null)) {
          wiredTo.put(w.getRequirement(), w.getProvider().getSymbolicName() + " " + w.getProvider().getVersion());
        }
      }
      for (org.osgi.framework.wiring.BundleRequirement r : rev.getDeclaredRequirements(null)) {
        String to = wiredTo.get(r);
        String optional = "optional".equals(r.getDirectives().get("resolution")) ? " (optional)" : "";
        requires.add(Requirements.describe(r) + optional + " <- " + (to != null ? to : bw == null ? "not resolved"
            : "unwired"));
      }
    }
    List<String> services = new ArrayList<>();
    ServiceReference<?>[] regs = b.getRegisteredServices();
    if (regs != null) {
      for (ServiceReference<?> r : regs) {
        services.add(String.join(", ", (String[]) r.getProperty(Constants.OBJECTCLASS)) + " [service.id="
            + r.getProperty(Constants.SERVICE_ID) + "]");
      }
    }
    List<String> components = new ArrayList<>();
    ServiceComponentRuntime runtime = scr;
    if (runtime != null) {
      for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(b)) {
        if (!runtime.isComponentEnabled(d)) {
          components.add(d.name + ": DISABLED");
        }
        for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
          components.add(d.name + ": " + componentState(c.state));
        }
      }
    }
    List<String> actions = new ArrayList<>();
    if (regs != null) {
      for (ServiceReference<?> r : regs) {
        Object name = r.getProperty("dockevos.action.name");
        if (name != null) {
          actions.add(name.toString());
        }
      }
    }
    Path data = dataArea(b);
    return new PluginDetails(plugin(b), headers, provides, requires, services, components, actions,
        configurationPids(b), size(data), data.toString());
  }

  private static String componentState(int state) {
    return switch (state) {
      case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
      case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
      case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED (configuration missing)";
      case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED (reference missing)";
      case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED";
      default -> String.valueOf(state);
    };
  }

  @Override
  public Diagnosis diagnose(String ref) throws PluginException {
    Bundle b = bundle(ref);
    Plugin p = plugin(b);
    String id = String.valueOf(b.getBundleId());
    List<String> problems = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    List<MissingRequirement> missing = List.of();
    String who = p.symbolicName() + " " + p.version();
    switch (p.state()) {
      case DISABLED -> {
        problems.add(who + " is disabled: it stays stopped, across restarts too, until it is enabled.");
        fixes.add("plugin:enable " + id);
      }
      case FAILED -> {
        problems.add(who + " failed: " + p.reason());
        fixes.add("fix the cause above, then plugin:start " + id + " (or plugin:update " + id + " with a fixed build)");
      }
      case INSTALLED -> {
        missing = missingRequirements(b.getBundleId());
        problems.add(unresolved(b, missing) + ".");
        for (MissingRequirement m : missing) {
          if (m.providers().isEmpty()) {
            fixes.add("install a plugin that provides " + m.description());
          } else {
            m.providers().forEach(prov -> fixes.add("install " + prov));
          }
        }
        fixes.add("then plugin:start " + id);
      }
      case RESOLVED -> {
        BundleRevision rev = b.adapt(BundleRevision.class);
        if (rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
          problems.add(who + " is a fragment: it never starts itself; it is part of its host.");
        } else {
          problems.add(who + " is resolved but not started.");
          fixes.add("plugin:start " + id);
        }
      }
      case STARTING -> problems.add(who + " is starting (lazy activation waits for its first class load).");
      case STOPPING -> problems.add(who + " is stopping.");
      case ACTIVE -> { }
    }
    ServiceComponentRuntime runtime = scr;
    if (runtime != null && b.getState() == Bundle.ACTIVE) {
      for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(b)) {
        for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
          if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
            problems.add("Component " + d.name + " failed to activate: " + c.failure);
            fixes.add("fix the component and plugin:update " + id + "; the log has the stack trace");
          } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
            for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
              String iface = Arrays.stream(d.references).filter(r -> r.name.equals(u.name)).map(r -> r.interfaceName)
                  .findFirst().orElse("?");
              problems.add("Component " + d.name + " waits for a service " + iface + " (reference " + u.name
                  + (u.target != null ? ", target " + u.target : "") + "), which nothing provides.");
              fixes.add("install or start a plugin that provides " + iface);
            }
          } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
            problems.add("Component " + d.name + " waits for its configuration " + String.join(", ", d.configurationPid)
                + ".");
            fixes.add("config:edit " + d.configurationPid[0] + " or drop " + d.configurationPid[0]
                + ".cfg into deploy/");
          }
        }
      }
    }
    return new Diagnosis(p, problems, missing, fixes);
  }

  @Override
  public List<MissingRequirement> missingRequirements(long bundleId) {
    Bundle b = context.getBundle(bundleId);
    return b == null ? List.of() : Requirements.missing(b, wiring, providers);
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

  private static long size(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Now, to the millisecond: what the registry keeps. */
  private static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
  }

  private static void sleep(long ms) {
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

  private void post(String topic, Bundle bundle, String reason, Throwable error) {
    post(topic, bundle, reason, error, Map.of());
  }

  private void post(String topic, Bundle bundle, String reason, Throwable error, Map<String, Object> more) {
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
