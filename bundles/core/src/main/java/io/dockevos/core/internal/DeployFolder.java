package io.dockevos.core.internal;

import io.dockevos.api.Host;
import io.dockevos.common.internal.Periodic;
import io.dockevos.core.internal.DeployState.Stamp;
import io.dockevos.feature.FeatureManager;
import io.dockevos.install.Change;
import io.dockevos.install.Installer;
import io.dockevos.install.Outcome;
import io.dockevos.install.Plan;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.security.SecurityEvents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.Version;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deploy folder: installs, updates and uninstalls what users drop into {@code deploy/}, through
 * the install pipeline, and records what failed.
 *
 * <p>The jars that are complete at one scan form one plan of the {@link Installer}: resolved
 * together against what is installed and each other (never a repository), installed, started, the
 * ones that cannot resolve left out with their reason. A left-out jar is not installed; it is
 * planned again when another bundle comes, and when the file changes. A jar is taken only once it
 * opens as a complete zip with a bundle manifest, so a slowly copied jar is never taken
 * half-written. Configuration files go to Configuration Admin ({@link DeployConfigs}), feature
 * files to the feature manager ({@link DeployedFeatures}). Each failure is explained in {@code
 * deploy/<file>.failed}, in the log and as an event ({@link Markers}). At start the folder is
 * compared with the bundles installed from it, so that what changed while the runtime was down (or
 * killed) is caught up.
 */
@Component(service = EventHandler.class, immediate = true, configurationPid = "dockevos.deploy",
    property = EventConstants.EVENT_TOPIC + "=" + SecurityEvents.GRANTED)
@Designate(ocd = DeployFolder.Config.class)
public final class DeployFolder implements BundleListener, FrameworkListener, EventHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeployFolder.class);
  static final String MARKER = Markers.SUFFIX;
  private static final Set<String> HANDLED = Set.of("jar", "cfg", "config", "json");

  @ObjectClassDefinition(name = "dockevOS deploy folder")
  public @interface Config {
    @AttributeDefinition(description = "How long (ms) a jar that does not open may stay unchanged before it is reported as corrupt; a slower copy counts as still being written")
    long settleMillis() default 2000;

    @AttributeDefinition(description = "How long (ms) a configuration file must stay unchanged before it is applied")
    long stableMillis() default 100;

    @AttributeDefinition(description = "How often (ms) the folder is listed, besides the file-system notifications")
    long rescanMillis() default 500;

    @AttributeDefinition(description = "How long (ms) the folder must be quiet before a jar that does not resolve is reported: its provider may be one of the files still arriving")
    long quietMillis() default 500;

    @AttributeDefinition(description = "The largest jar manifest (META-INF/MANIFEST.MF) read, in bytes; a jar with a larger one is refused unread")
    long maxManifestBytes() default 2L << 20;

    @AttributeDefinition(description = "The largest configuration or feature file read, in bytes; a larger one is refused unread")
    long maxFileBytes() default 16L << 20;
  }

  /** What was last seen of a file: its size and time, since when they have not changed, and when it first came. */
  private record Seen(long size, long modified, long since, long first) {}

  private final BundleContext context;
  private final PluginManager plugins;
  private final Installer installer;
  private final Config config;
  private final Path deploy;
  private final DeployLocations locations;
  private final FrameworkWiring wiring;
  private final Removals removals;
  private final ScheduledThreadPoolExecutor executor;
  private final Map<String, Seen> seen = new HashMap<>();
  /** The content of each file that was acted on (installed, updated, applied, refused), so that a scan skips it. */
  private final Map<String, Stamp> handled = new ConcurrentHashMap<>();
  /** Jars the pipeline refused (not installed): planned again when another bundle comes. */
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();
  /** The symbolic name and version of each jar, by file name. */
  private final Map<String, String[]> identities = new ConcurrentHashMap<>();
  private final Markers markers;
  private final DeployConfigs configs;
  private final DeployState state;
  private final DeployedFeatures features;
  private final Reasons reasons;
  private final WatchService watcher;
  private final Thread watchThread;
  private ScheduledFuture<?> queuedScan;
  private long queuedDue;
  private ScheduledFuture<?> queuedRecheck;
  /** When the watcher last saw a file of the folder change (ms). */
  private volatile long lastChange;
  /** Whether the current scan found a jar that is still being written. */
  private boolean unsettled;
  private volatile FeatureManager featureManager;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;

  /** The feature manager is a bundle of its own; feature files wait for it. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  void setFeatureManager(FeatureManager manager) {
    featureManager = manager;
    scanSoon(0);
  }

  void unsetFeatureManager(FeatureManager manager) {
    if (featureManager == manager) {
      featureManager = null;
    }
  }

  @Activate
  public DeployFolder(BundleContext context, Config config, @Reference PluginManager plugins,
      @Reference Installer installer, @Reference ConfigurationAdmin admin) throws IOException {
    this.context = context;
    this.plugins = plugins;
    this.installer = installer;
    this.config = config;
    this.deploy = Path.of(property(context, Host.DEPLOY_PROPERTY, "deploy")).toAbsolutePath().normalize();
    this.locations = new DeployLocations(deploy);
    this.wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    this.removals = new Removals(installer, wiring);
    Files.createDirectories(deploy);
    Path data = Path.of(property(context, Host.DATA_PROPERTY, deploy.resolveSibling("data").toString()));
    this.state = new DeployState(data.resolve("deploy.json"));
    this.markers = new Markers(deploy, () -> events);
    this.reasons = new Reasons(context);
    this.configs = new DeployConfigs(admin, deploy, context::getProperty);
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "dockevos-deploy");
      t.setDaemon(true);
      return t;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.features = new DeployedFeatures(deploy, () -> featureManager,
        (name, reason) -> executor.execute(() -> markers.fail(name, reason, Markers.Subject.NONE)),
        name -> executor.execute(() -> markers.clear(name)));
    context.addBundleListener(this);
    context.addFrameworkListener(this);
    this.watcher = deploy.getFileSystem().newWatchService();
    deploy.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    this.watchThread = new Thread(this::watch, "dockevos-deploy-watch");
    watchThread.setDaemon(true);
    watchThread.start();
    executor.execute(this::reconcile);
    // Guarded: the executor would end the schedule for good at the first Throwable a scan let escape.
    executor.scheduleWithFixedDelay(Periodic.guarded(this::scan, e -> LOG.error("Cannot scan {}: {}", deploy, e.toString(), e)),
        config.rescanMillis(), config.rescanMillis(), TimeUnit.MILLISECONDS);
  }

  @Deactivate
  void deactivate() throws IOException, InterruptedException {
    context.removeBundleListener(this);
    context.removeFrameworkListener(this);
    watcher.close();
    executor.shutdown();
    // A plan under way is let finish: the pipeline's journal would undo it at the next start otherwise.
    if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
    features.close();
    state.save();
  }

  private static String property(BundleContext context, String key, String fallback) {
    String v = context.getProperty(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  // ---- the folder ------------------------------------------------------------------------------

  private void watch() {
    try {
      while (true) {
        var key = watcher.take();
        boolean relevant = false;
        for (WatchEvent<?> e : key.pollEvents()) {
          // Our own markers change the folder too: they are not news.
          relevant |= !(e.context() instanceof Path p) || handled(p.toString());
        }
        key.reset();
        if (relevant) {
          lastChange = System.currentTimeMillis();
          scanSoon(0);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // deactivated
    }
  }

  /**
   * Asks for a scan in {@code delay} ms, unless one is queued for then or sooner. A scan that runs
   * already does not count: what changed while it runs needs the next one.
   */
  private synchronized void scanSoon(long delay) {
    long due = System.currentTimeMillis() + delay;
    if (executor.isShutdown() || queuedScan != null && !queuedScan.isDone() && queuedDue <= due) {
      return;
    }
    queuedDue = due;
    queuedScan = executor.schedule(() -> {
      synchronized (this) {
        queuedScan = null;
      }
      scan();
    }, delay, TimeUnit.MILLISECONDS);
  }

  /**
   * At start: uninstalls the bundles whose file went away while the runtime was down (and those
   * that FileInstall installed from the staging folder of older versions, whose files are then
   * planned again), deletes the configurations of removed files, then scans, which plans the files
   * that have no bundle, updates the bundles whose file changed and starts the others.
   */
  private void reconcile() {
    try {
      Set<String> present = new TreeSet<>(list(deploy));
      List<Bundle> gone = new ArrayList<>();
      for (Bundle b : context.getBundles()) {
        String name = deployName(b);
        if (name != null && !present.contains(name) || name == null && DeployLocations.staged(b)) {
          LOG.info("Uninstalling {} {}: {} is gone", b.getSymbolicName(), b.getVersion(),
              name != null ? "deploy/" + name : b.getLocation() + " (a staging copy of an older version)");
          gone.add(b);
        }
      }
      removals.uninstall(gone);
      state.names().stream().filter(n -> !present.contains(n)).forEach(state::remove);
      markers.names().stream().filter(n -> !present.contains(n)).forEach(markers::forget);
      configs.retainPresent(present);
      state.save();
    } catch (Exception | LinkageError e) {
      LOG.error("Cannot compare {} with the installed bundles: {}", deploy, e.toString(), e);
    }
    scan();
  }

  /** Compares deploy/ with what was done and acts on every file that changed. Runs on the executor. */
  private void scan() {
    try {
      long now = System.currentTimeMillis();
      unsettled = false;
      Set<String> present = new TreeSet<>(list(deploy));
      Set<String> known = new TreeSet<>(handled.keySet());
      known.addAll(state.names());
      known.addAll(markers.names());
      known.addAll(waiting);
      List<Bundle> gone = new ArrayList<>();
      for (String name : known) {
        if (!present.contains(name)) {
          removed(name, gone);
        }
      }
      removals.uninstall(gone);
      Map<String, Stamp> batch = new LinkedHashMap<>();
      for (String name : present) {
        consider(name, now, batch);
      }
      install(batch, true, now);
      features.retainPresent(present);
      seen.keySet().retainAll(present);
      state.save();
    } catch (Exception | LinkageError e) {
      // Never let one failure end the scheduled scan for good (an Error past these: Periodic.guarded).
      LOG.error("Cannot scan {}: {}", deploy, e.toString(), e);
    }
  }

  private void removed(String name, List<Bundle> gone) {
    handled.remove(name);
    seen.remove(name);
    waiting.remove(name);
    identities.remove(name);
    state.remove(name);
    markers.forget(name);
    Bundle b = bundleAt(name);
    if (b != null) {
      LOG.info("deploy/{} was removed; uninstalling {} {}", name, b.getSymbolicName(), b.getVersion());
      gone.add(b);
    } else if (name.endsWith(".cfg") || name.endsWith(".config") || name.endsWith(".json")) {
      configs.delete(name);
    }
  }

  private void consider(String name, long now, Map<String, Stamp> batch) throws IOException {
    Path file = deploy.resolve(name);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException gone) {
      return;
    }
    Stamp stamp = new Stamp(attrs.size(), attrs.lastModifiedTime().toMillis());
    Seen before = seen.get(name);
    if (before == null || before.size() != stamp.size() || before.modified() != stamp.modified()) {
      before = new Seen(stamp.size(), stamp.modified(), now, before == null ? now : before.first());
      seen.put(name, before);
      // The folder changed, as far as this scan can tell: on a busy machine the watch thread may not
      // have said so yet, and a jar refused now may have its provider among the files still coming.
      lastChange = Math.max(lastChange, now);
    }
    if (stamp.equals(handled.get(name))) {
      return;
    }
    long unchanged = now - before.since();
    if (!name.endsWith(".jar") && stamp.size() > config.maxFileBytes()) {
      // A configuration or a feature is read whole: one of any size is refused unread.
      if (unchanged >= config.stableMillis()) {
        handled.put(name, stamp);
        markers.fail(name, "is " + stamp.size() + " bytes, over the limit of " + config.maxFileBytes() + " bytes for a"
            + " configuration or feature file (maxFileBytes of the configuration dockevos.deploy): it is not read",
            Markers.Subject.NONE);
      } else {
        scanSoon(config.stableMillis() - unchanged);
      }
      return;
    }
    if (name.endsWith(".jar")) {
      considerJar(name, file, stamp, unchanged, batch);
    } else if (name.endsWith(".json") && (features.handed(name, stamp.size(), stamp.modified())
        || DeployedFeatures.isFeature(file))) {
      if (unchanged >= config.stableMillis()) {
        features.offer(name, file, stamp.size(), stamp.modified(), unchanged);
      } else {
        scanSoon(config.stableMillis() - unchanged);
      }
    } else if (unchanged < config.stableMillis()) {
      scanSoon(config.stableMillis() - unchanged);
    } else {
      try {
        configs.apply(name, file);
        handled.put(name, stamp);
        markers.clear(name);
      } catch (IOException | RuntimeException e) {
        if (unchanged >= config.settleMillis()) {
          handled.put(name, stamp);
          markers.fail(name, "is not a valid configuration: " + e.getMessage(), Markers.Subject.NONE);
        } else {
          scanSoon(config.settleMillis() - unchanged); // perhaps still being written
        }
      }
    }
  }

  private void considerJar(String name, Path file, Stamp stamp, long unchanged, Map<String, Stamp> batch)
      throws IOException {
    JarCheck.Verdict verdict = JarCheck.check(file, config.maxManifestBytes());
    if (verdict != null) {
      if (verdict.definite() || unchanged >= config.settleMillis()) {
        handled.put(name, stamp);
        markers.fail(name, verdict.reason(), Markers.Subject.NONE);
      } else {
        unsettled = true;
        scanSoon(config.settleMillis() - unchanged);
      }
      return;
    }
    Bundle bundle = bundleAt(name);
    JarCheck.Verdict dup = duplicate(name, file, batch);
    if (dup != null) {
      handled.put(name, stamp);
      waiting.add(name); // planned again once the other one goes
      markers.fail(name, dup.reason(), Markers.Subject.NONE);
      return;
    }
    if (bundle == null) {
      batch.put(name, stamp);
      return;
    }
    handled.put(name, stamp);
    DeployState.Entry recorded = state.get(name);
    boolean same = recorded != null ? recorded.stamp().equals(stamp) : bundle.getLastModified() >= stamp.modified();
    if (same) {
      // After a restart: the bundle came from this very file.
      state.put(name, stamp, recorded != null && recorded.started());
      ensureStarted(bundle, name);
    } else {
      update(name, bundle, file, stamp);
    }
  }



  /**
   * A symbolic name and version can be installed once: a second file with those of another file (of
   * this drop, or installed) or of another bundle is refused, rather than silently sharing a bundle.
   */
  private JarCheck.Verdict duplicate(String name, Path file, Map<String, Stamp> batch) throws IOException {
    java.util.jar.Attributes main;
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(file.toFile())) {
      main = jar.getManifest().getMainAttributes();
    }
    String bsn = main.getValue("Bundle-SymbolicName").split(";")[0].trim();
    Version version;
    try {
      version = Version.parseVersion(main.getValue("Bundle-Version"));
    } catch (IllegalArgumentException e) {
      return new JarCheck.Verdict("has an invalid Bundle-Version: " + e.getMessage(), true);
    }
    identities.put(name, new String[] {bsn, version.toString()});
    String already = null;
    for (String other : batch.keySet()) {
      String[] id = identities.get(other);
      if (id != null && id[0].equals(bsn) && id[1].equals(version.toString())) {
        already = "deploy/" + other;
      }
    }
    for (Bundle b : context.getBundles()) {
      if (already == null && bsn.equals(b.getSymbolicName()) && version.equals(b.getVersion())
          && !name.equals(deployName(b))) {
        String other = deployName(b);
        already = other == null ? "bundle " + b.getBundleId() + " (" + b.getLocation() + ")" : "deploy/" + other;
      }
    }
    if (already != null) {
      return new JarCheck.Verdict("is " + bsn + " " + version + ", as " + already + " is; a symbolic name and version can be"
          + " installed once. Remove one of them, or change the version", true);
    }
    return null;
  }

  private static List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        if (handled(name) && Files.isRegularFile(p)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static boolean handled(String name) {
    int dot = name.lastIndexOf('.');
    return !name.startsWith(".") && dot > 0 && HANDLED.contains(name.substring(dot + 1));
  }

  // ---- the pipeline ----------------------------------------------------------------------------

  /**
   * Plans and applies the jars of one scan together. A jar that cannot resolve is refused (not
   * installed) and reported, unless the folder changed in the last {@code quietMillis}: then its
   * provider may be among the files still arriving, and it is planned again with them at the next
   * scan (for at most {@code settleMillis}).
   */
  /** @param listedAt when the folder was listed for this batch: a change since then is news the plan did not see */
  private void install(Map<String, Stamp> batch, boolean mayHold, long listedAt) {
    if (batch.isEmpty()) {
      return;
    }
    List<Change.Item> items = new ArrayList<>();
    batch.keySet().forEach(n -> items.add(Change.Item.install(deploy.resolve(n).toString(), uri(n))));
    Map<String, Plan.Refused> refused = new HashMap<>();
    Set<Long> installed = new java.util.HashSet<>();
    try {
      Outcome outcome = installer.execute(new Change(items, Change.Scope.GIVEN,
          Set.of(Change.Option.PARTIAL, Change.Option.NO_GATE), "deploy"));
      outcome.refused().forEach(r -> refused.put(r.item().location(), r));
      installed.addAll(outcome.bundles());
    } catch (PluginException e) {
      // The plan as a whole failed (no resolver, a journal that cannot be written): each file says so.
      for (Change.Item item : items) {
        refused.put(item.location(), new Plan.Refused(item, e.getMessage(), e.missing()));
      }
    }
    long now = System.currentTimeMillis();
    // Files copied one by one (a shell loop, a file manager) arrive over hundreds of ms on a loaded
    // machine: until the folder has been quiet for a while, a missing provider may be still coming.
    // Planning and starting can take longer than quietMillis there too: a file that came while they ran
    // (after the folder was listed) is a change this plan did not see.
    boolean busy = mayHold && (unsettled || lastChange >= listedAt || now - lastChange < config.quietMillis());
    boolean held = false;
    for (Map.Entry<String, Stamp> e : batch.entrySet()) {
      String name = e.getKey();
      Plan.Refused r = refused.get(uri(name));
      Bundle b = bundleAt(name);
      if (b != null) {
        adopt(name, b, e.getValue());
        // Refused because another way installed it under its location meanwhile: that one is checked instead.
        if (r != null && installed.contains(b.getBundleId())) {
          markers.fail(name, reasons.refused(identities.get(name), r), subject(name, b, r.unsatisfied()));
        } else {
          if (b.getState() == Bundle.ACTIVE) {
            LOG.info("Started {} {} from deploy/{}", b.getSymbolicName(), b.getVersion(), name);
          }
          ensureStarted(b, name);
        }
      } else if (busy && now - seen.getOrDefault(name, new Seen(0, 0, now, now)).first() < config.settleMillis()) {
        held = true;
      } else {
        handled.put(name, e.getValue());
        waiting.add(name);
        markers.fail(name, r == null ? "was not installed" : reasons.refused(identities.get(name), r),
            subject(name, null, r == null ? List.of() : r.unsatisfied()));
      }
    }
    if (held) {
      LOG.debug("deploy/ is still changing; the jars that do not resolve yet wait for the next scan");
      scanSoon(Math.max(config.stableMillis(), config.quietMillis() - (now - lastChange)));
    }
    state.save();
  }

  /** The file's bundle is installed (by this folder or, under its location, by another way): it is the folder's own. */
  private void adopt(String name, Bundle b, Stamp stamp) {
    waiting.remove(name);
    handled.put(name, stamp);
    DeployState.Entry e = state.get(name);
    state.put(name, stamp, b.getState() == Bundle.ACTIVE || e != null && e.started());
  }

  private Markers.Subject subject(String name, Bundle b, List<MissingRequirement> missing) {
    if (b != null) {
      return new Markers.Subject(b.getSymbolicName(), b.getVersion().toString(), b.getBundleId(), missing);
    }
    String[] id = identities.get(name);
    // A bundle that cannot resolve is a bundle's failure (with its requirements); a duplicate or a broken jar the file's.
    return id == null || missing.isEmpty() ? Markers.Subject.NONE : new Markers.Subject(id[0], id[1], null, missing);
  }

  /** Plans the refused jars again, together, and starts the installed ones that failed: something changed. */
  private void recheck() {
    try {
      for (String name : markers.names()) {
        Bundle b = bundleAt(name);
        if (b != null) {
          ensureStarted(b, name);
        }
      }
      Map<String, Stamp> again = new LinkedHashMap<>();
      for (String name : Set.copyOf(waiting)) {
        Path file = deploy.resolve(name);
        Stamp stamp = handled.get(name);
        if (bundleAt(name) != null || stamp == null || !Files.isRegularFile(file)) {
          continue; // installed another way meanwhile, or changed: the scan sees to it
        }
        JarCheck.Verdict dup = duplicate(name, file, again);
        if (dup == null) {
          again.put(name, stamp);
        }
      }
      install(again, false, System.currentTimeMillis());
    } catch (Exception | LinkageError e) {
      LOG.error("Cannot check the failed files of {} again: {}", deploy, e.toString(), e);
    }
  }

  private synchronized void recheckSoon() {
    if (!executor.isShutdown() && (queuedRecheck == null || queuedRecheck.isDone())) {
      queuedRecheck = executor.schedule(() -> {
        synchronized (this) {
          queuedRecheck = null;
        }
        recheck();
      }, 50, TimeUnit.MILLISECONDS);
    }
  }

  // ---- the bundles -----------------------------------------------------------------------------

  private String uri(String name) {
    return locations.uri(name);
  }

  private Bundle bundleAt(String name) {
    return context.getBundle(uri(name));
  }

  /** @return the name in deploy/ of a bundle installed from there, or null */
  String deployName(Bundle bundle) {
    return locations.deployName(bundle);
  }

  /**
   * Updates the file's bundle with a plan: what is wired to it is refreshed once; a new version that
   * does not resolve is refused and the running one stays, and the marker says why.
   */
  private void update(String name, Bundle bundle, Path file, Stamp stamp) {
    String before = bundle.getSymbolicName() + " " + bundle.getVersion();
    String[] identity = identities.get(name);
    // The same plugin in another version is an update; another plugin under the same file name takes its place.
    List<Change.Item> items = identity == null || identity[0].equals(bundle.getSymbolicName())
        ? List.of(Change.Item.update(String.valueOf(bundle.getBundleId()), file.toString()))
        : List.of(Change.Item.uninstall(String.valueOf(bundle.getBundleId())), Change.Item.install(file.toString(),
            uri(name)));
    Plan.Refused refused;
    try {
      // Uninstall and install go together or not at all: the bundle that was there stays if the new one cannot.
      Outcome o = installer.execute(new Change(items, Change.Scope.GIVEN, items.size() > 1
          ? Set.of(Change.Option.NO_GATE) : Set.of(Change.Option.PARTIAL, Change.Option.NO_GATE), "deploy"));
      refused = o.refused().isEmpty() ? null : o.refused().get(0);
      Removals.stopped(o.plan());
    } catch (PluginException e) {
      refused = new Plan.Refused(items.get(items.size() - 1), e.getMessage(), e.missing());
    }
    if (refused == null && items.size() > 1) {
      // Another plugin took the file's place: it is this file's bundle now.
      Bundle now = bundleAt(name);
      if (now != null) {
        bundle = now;
      }
    }
    if (refused != null) {
      state.put(name, stamp, false);
      markers.fail(name, "(" + before + ") cannot be updated; " + before + " stays: " + refused.reason(),
          subject(name, bundle, refused.unsatisfied()));
      return;
    }
    state.put(name, stamp, false);
    LOG.info("Updated {} to {} {} from deploy/{}", before, bundle.getSymbolicName(), bundle.getVersion(), name);
    ensureStarted(bundle, name);
  }

  /**
   * Starts a bundle of the folder that is not running, or records why it cannot: a bundle left
   * installed by a kill is never left silently. One the user stopped (it ran, and is not marked
   * to start) stays stopped; one above the framework's start level is started by the framework.
   */
  private void ensureStarted(Bundle bundle, String name) {
    try {
      int s = bundle.getState();
      if (s == Bundle.UNINSTALLED) {
        return;
      }
      BundleRevision rev = bundle.adapt(BundleRevision.class);
      if (rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
        if (s == Bundle.INSTALLED && !wiring.resolveBundles(List.of(bundle))) {
          List<MissingRequirement> missing = plugins.missingRequirements(bundle.getBundleId());
          markers.fail(name, reasons.unresolved("(" + bundle.getSymbolicName() + " " + bundle.getVersion() + ")",
              missing), subject(name, bundle, missing));
        } else {
          markers.clear(name);
        }
        return;
      }
      if (s == Bundle.ACTIVE || s == Bundle.STARTING) {
        markers.clear(name);
        state.started(name);
        return;
      }
      BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
      DeployState.Entry e = state.get(name);
      if (level != null && !level.isPersistentlyStarted() && e != null && e.started() && !markers.failing(name)) {
        return; // stopped by the user
      }
      FrameworkStartLevel fw = context.getBundle(0).adapt(FrameworkStartLevel.class);
      if (level != null && fw != null && level.getStartLevel() > fw.getStartLevel()) {
        if (!level.isPersistentlyStarted()) {
          bundle.start(); // only marks it: the framework starts it when it reaches its level
        }
        return;
      }
      bundle.start();
      LOG.info("Started {} {} from deploy/{}", bundle.getSymbolicName(), bundle.getVersion(), name);
      markers.clear(name);
      state.started(name);
    } catch (BundleException e) {
      List<MissingRequirement> missing = e.getType() == BundleException.RESOLVE_ERROR
          ? plugins.missingRequirements(bundle.getBundleId()) : List.of();
      markers.fail(name, reasons.failed(bundle, e, missing), subject(name, bundle, missing));
    } catch (IllegalStateException | IllegalArgumentException uninstalled) {
      // replaced or removed meanwhile
    } catch (RuntimeException | LinkageError e) {
      LOG.error("deploy folder: cannot check {}: {}", bundle, e.toString(), e);
    }
  }

  /** A jar refused for the permissions it requests is planned again once they are granted. */
  @Override
  public void handleEvent(Event event) {
    if (!waiting.isEmpty()) {
      recheckSoon();
    }
  }

  @Override
  public void bundleChanged(BundleEvent event) {
    try {
      onBundleEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("deploy folder: cannot handle {}: {}", event.getBundle(), e.toString());
    }
  }

  private void onBundleEvent(BundleEvent event) {
    Bundle bundle = event.getBundle();
    String name = deployName(bundle);
    int type = event.getType();
    // A bundle that comes, changes or goes may provide what a refused or failed one was missing.
    if ((!waiting.isEmpty() || !markers.names().isEmpty()) && (type == BundleEvent.INSTALLED
        || type == BundleEvent.RESOLVED || type == BundleEvent.STARTED || type == BundleEvent.UPDATED
        || type == BundleEvent.UNINSTALLED)) {
      recheckSoon();
    }
    if (name == null || executor.isShutdown()) {
      return;
    }
    switch (type) {
      case BundleEvent.INSTALLED -> executor.execute(() -> {
        // Perhaps installed another way under the file's location (the assistant's fix): the folder's own now.
        Path file = deploy.resolve(name);
        if (bundle.getState() != Bundle.UNINSTALLED && Files.isRegularFile(file) && waiting.contains(name)) {
          try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            adopt(name, bundle, new Stamp(a.size(), a.lastModifiedTime().toMillis()));
            state.save();
          } catch (IOException ignored) {
            // gone meanwhile: the scan uninstalls it
          }
        }
      });
      case BundleEvent.STARTED -> executor.execute(() -> {
        markers.clear(name);
        state.started(name);
      });
      case BundleEvent.RESOLVED, BundleEvent.UNRESOLVED -> {
        if (markers.failing(name)) {
          executor.execute(() -> ensureStarted(bundle, name));
        }
      }
      default -> {
        // nothing to do
      }
    }
  }

  /** Once the framework reaches its start level, the bundles of the folder it did not start are checked. */
  @Override
  public void frameworkEvent(FrameworkEvent event) {
    if ((event.getType() == FrameworkEvent.STARTED || event.getType() == FrameworkEvent.STARTLEVEL_CHANGED)
        && !executor.isShutdown()) {
      executor.execute(() -> {
        for (Bundle b : context.getBundles()) {
          String name = deployName(b);
          if (name != null) {
            ensureStarted(b, name);
          }
        }
        state.save();
      });
    }
  }
}
