package io.dockevos.core.internal;

import io.dockevos.api.DeployEvents;
import io.dockevos.api.Host;
import io.dockevos.feature.FeatureManager;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.PluginManager;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deploy folder: a guard in front of Felix FileInstall, and the record of what failed.
 *
 * <p>Users drop files into {@code deploy/}. This component copies a file into the staging folder
 * that FileInstall watches only once it is complete: a jar once it opens as a zip with a bundle
 * manifest, a configuration once it has not changed for a moment. FileInstall's own check (two
 * equal polls) would pick a slowly copied jar up half-written. FileInstall then installs, updates
 * and uninstalls; this component starts what it installed and explains each failure in
 * {@code deploy/<file>.failed}, in the log and as a {@link DeployEvents#FAILED} event. A feature
 * file goes to the feature manager instead ({@link DeployedFeatures}).
 */
@Component(service = {}, immediate = true, configurationPid = "dockevos.deploy")
@Designate(ocd = DeployFolder.Config.class)
public final class DeployFolder implements BundleListener, LogListener {
  private static final Logger LOG = LoggerFactory.getLogger(DeployFolder.class);
  static final String MARKER = ".failed";
  private static final Set<String> HANDLED = Set.of("jar", "cfg", "config", "json");

  @ObjectClassDefinition(name = "dockevOS deploy folder")
  public @interface Config {
    @AttributeDefinition(description = "How long (ms) a jar that does not open may stay unchanged before it is reported as corrupt; a slower copy counts as still being written")
    long settleMillis() default 2000;

    @AttributeDefinition(description = "How long (ms) a configuration file must stay unchanged before it is applied")
    long stableMillis() default 100;

    @AttributeDefinition(description = "How often (ms) the folder is listed, besides the file-system notifications")
    long rescanMillis() default 500;
  }

  /** What was last seen of a file: its size and time, and since when they have not changed. */
  private record Seen(long size, long modified, long since) {}

  private final BundleContext context;
  private final PluginManager plugins;
  private final Config config;
  private final Path deploy;
  private final Path staging;
  private final ScheduledExecutorService executor;
  private final Map<String, Seen> seen = new HashMap<>();
  private final Map<String, String> failed = new ConcurrentHashMap<>();
  /** The symbolic name and version of each jar handed to FileInstall, by file name. */
  private final Map<String, String> staged = new HashMap<>();
  private final WatchService watcher;
  private final Thread watchThread;
  private ScheduledFuture<?> pendingScan;
  private ScheduledFuture<?> pendingRecheck;
  private final DeployedFeatures features;
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
  public DeployFolder(BundleContext context, Config config, @Reference PluginManager plugins) throws IOException {
    this.context = context;
    this.plugins = plugins;
    this.config = config;
    this.deploy = Path.of(property(context, Host.DEPLOY_PROPERTY, "deploy"));
    this.staging = Path.of(property(context, "felix.fileinstall.dir", deploy.resolveSibling("deploy-staging").toString()));
    Files.createDirectories(deploy);
    Files.createDirectories(staging);
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dockevos-deploy");
      t.setDaemon(true);
      return t;
    });
    this.features = new DeployedFeatures(deploy, () -> featureManager,
        (name, reason) -> executor.execute(() -> fail(name, reason, null)), name -> executor.execute(() -> clear(name)));
    // Copies that a kill -9 interrupted: FileInstall never saw them (it skips dot files).
    for (String name : list(staging)) {
      if (name.startsWith(".") && name.endsWith(".tmp")) {
        Files.deleteIfExists(staging.resolve(name));
      }
    }
    for (String name : list(deploy)) {
      if (name.endsWith(MARKER)) {
        // Kept until this run either confirms the failure or sees the file work.
        failed.put(name.substring(0, name.length() - MARKER.length()), "");
      }
    }
    context.addBundleListener(this);
    this.watcher = deploy.getFileSystem().newWatchService();
    deploy.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    this.watchThread = new Thread(this::watch, "dockevos-deploy-watch");
    watchThread.setDaemon(true);
    watchThread.start();
    executor.scheduleWithFixedDelay(this::scan, 0, config.rescanMillis(), TimeUnit.MILLISECONDS);
    executor.execute(() -> {
      for (Bundle b : context.getBundles()) {
        String name = deployName(b);
        if (name != null && (failed.containsKey(name) || persistentlyStarted(b))) {
          check(b);
        }
      }
    });
  }

  @Deactivate
  void deactivate() throws IOException {
    context.removeBundleListener(this);
    watcher.close();
    executor.shutdownNow();
    features.close();
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addLogReader(LogReaderService reader) {
    reader.addLogListener(this);
  }

  void removeLogReader(LogReaderService reader) {
    reader.removeLogListener(this);
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
        key.pollEvents();
        key.reset();
        scanSoon(0);
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // deactivated
    }
  }

  private synchronized void scanSoon(long delay) {
    if (pendingScan == null || pendingScan.isDone()) {
      pendingScan = executor.schedule(this::scan, delay, TimeUnit.MILLISECONDS);
    }
  }

  /** Compares deploy/ with the staging folder and moves on every file that changed. Runs on the executor. */
  private void scan() {
    try {
      long now = System.currentTimeMillis();
      Set<String> present = new HashSet<>();
      for (String name : list(deploy)) {
        if (handled(name)) {
          present.add(name);
          consider(name, now);
        }
      }
      for (String name : list(staging)) {
        if (!name.startsWith(".") && !present.contains(name)) {
          Files.deleteIfExists(staging.resolve(name));
          LOG.info("deploy/{} was removed; FileInstall uninstalls it", name);
          seen.remove(name);
          staged.remove(name);
          forget(name);
        }
      }
      for (String name : Set.copyOf(failed.keySet())) {
        if (!present.contains(name)) {
          forget(name);
        }
      }
      features.retainPresent(present);
      seen.keySet().retainAll(present);
    } catch (Exception | LinkageError e) {
      // Never let one failure end the scheduled scan for good.
      LOG.error("Cannot scan {}: {}", deploy, e.toString(), e);
    }
  }

  private void consider(String name, long now) throws IOException {
    Path file = deploy.resolve(name);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException gone) {
      return;
    }
    long size = attrs.size();
    long modified = attrs.lastModifiedTime().toMillis();
    Seen before = seen.get(name);
    if (before == null || before.size() != size || before.modified() != modified) {
      before = new Seen(size, modified, now);
      seen.put(name, before);
    }
    Path staged = staging.resolve(name);
    if (Files.exists(staged)) {
      BasicFileAttributes s = Files.readAttributes(staged, BasicFileAttributes.class);
      if (s.size() == size && s.lastModifiedTime().toMillis() == modified) {
        return;
      }
    }
    long unchanged = now - before.since();
    if (name.endsWith(".jar")) {
      Verdict verdict = checkJar(file);
      if (verdict == null) {
        verdict = duplicate(name, file);
      }
      if (verdict == null) {
        stage(file, staged);
      } else if (verdict.definite() || unchanged >= config.settleMillis()) {
        fail(name, verdict.reason(), null);
      } else {
        scanSoon(config.settleMillis() - unchanged);
      }
    } else if (name.endsWith(".json") && (features.handed(name, size, modified) || DeployedFeatures.isFeature(file))) {
      if (unchanged >= config.stableMillis()) {
        features.offer(name, file, size, modified, unchanged);
      } else {
        scanSoon(config.stableMillis() - unchanged);
      }
    } else if (name.endsWith(".json")) {
      String problem = JsonConfigInstaller.problem(file);
      if (problem == null) {
        stage(file, staged);
      } else if (unchanged >= config.settleMillis()) {
        fail(name, problem, null);
      } else {
        scanSoon(config.settleMillis() - unchanged);
      }
    } else if (unchanged >= config.stableMillis()) {
      stage(file, staged);
    } else {
      scanSoon(config.stableMillis() - unchanged);
    }
  }

  /** Why a jar cannot be a bundle; {@code definite} when waiting will not change it. */
  record Verdict(String reason, boolean definite) {}

  static Verdict checkJar(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry entry = zip.getEntry("META-INF/MANIFEST.MF");
      if (entry == null) {
        return new Verdict("is a zip file without META-INF/MANIFEST.MF, so it is not an OSGi bundle", true);
      }
      Manifest manifest;
      try (var in = zip.getInputStream(entry)) {
        manifest = new Manifest(in);
      } catch (IOException e) {
        return new Verdict("has a manifest that cannot be read: " + e.getMessage(), true);
      }
      if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
        return new Verdict("is a jar but not an OSGi bundle: its manifest has no Bundle-SymbolicName", true);
      }
      return null;
    } catch (ZipException e) {
      return new Verdict("is not a valid jar (zip) file: " + e.getMessage(), false);
    } catch (IOException e) {
      return new Verdict("cannot be read: " + e, false);
    }
  }

  /**
   * FileInstall would update an installed bundle of the same symbolic name and version instead of
   * installing a second one, so two files would silently share one bundle.
   */
  private Verdict duplicate(String name, Path file) throws IOException {
    java.util.jar.Attributes main;
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(file.toFile())) {
      main = jar.getManifest().getMainAttributes();
    }
    String bsn = main.getValue("Bundle-SymbolicName").split(";")[0].trim();
    org.osgi.framework.Version version;
    try {
      version = org.osgi.framework.Version.parseVersion(main.getValue("Bundle-Version"));
    } catch (IllegalArgumentException e) {
      return new Verdict("has an invalid Bundle-Version: " + e.getMessage(), true);
    }
    String identity = bsn + " " + version;
    String already = null;
    for (Map.Entry<String, String> e : staged.entrySet()) {
      // Handed to FileInstall, perhaps not installed yet.
      if (e.getValue().equals(identity) && !e.getKey().equals(name)) {
        already = "deploy/" + e.getKey();
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
      return new Verdict("is " + identity + ", as " + already + " is; a symbolic name and version can be installed "
          + "once. Remove one of them, or change the version", true);
    }
    staged.put(name, identity);
    return null;
  }

  private void stage(Path file, Path staged) throws IOException {
    Path temp = staging.resolve("." + staged.getFileName() + ".tmp");
    Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    Files.move(temp, staged, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    LOG.debug("deploy/{} handed to FileInstall", file.getFileName());
    String name = file.getFileName().toString();
    if (!name.endsWith(".jar")) {
      clear(name);
    } else if (failed.containsKey(name) && findBundle(name) == null) {
      // A new version of a file that failed before it was installed; the bundle check decides now.
      clear(name);
    }
  }

  private static List<String> list(Path dir) throws IOException {
    List<String> names = new java.util.ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        if (Files.isRegularFile(p)) {
          names.add(p.getFileName().toString());
        }
      }
    }
    return names;
  }

  private static boolean handled(String name) {
    int dot = name.lastIndexOf('.');
    return !name.startsWith(".") && dot > 0 && HANDLED.contains(name.substring(dot + 1));
  }

  // ---- the bundles -----------------------------------------------------------------------------

  /** @return the name in deploy/ of a bundle that FileInstall installed from the staging folder */
  String deployName(Bundle bundle) {
    String location = bundle.getLocation();
    if (!location.startsWith("file:")) {
      return null;
    }
    try {
      Path p = Path.of(URI.create(location));
      return staging.equals(p.getParent()) ? p.getFileName().toString() : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Bundle findBundle(String name) {
    for (Bundle b : context.getBundles()) {
      if (name.equals(deployName(b))) {
        return b;
      }
    }
    return null;
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
    // A bundle that comes or changes may provide what a failed one was missing.
    if (!failed.isEmpty() && (type == BundleEvent.INSTALLED || type == BundleEvent.RESOLVED
        || type == BundleEvent.STARTED || type == BundleEvent.UPDATED)) {
      recheckSoon();
    }
    if (name == null) {
      return;
    }
    switch (type) {
      case BundleEvent.INSTALLED, BundleEvent.UPDATED -> executor.execute(() -> check(bundle));
      case BundleEvent.RESOLVED, BundleEvent.UNRESOLVED -> {
        if (bundle.getState() != Bundle.UNINSTALLED && (failed.containsKey(name) || persistentlyStarted(bundle))) {
          executor.execute(() -> check(bundle));
        }
      }
      case BundleEvent.STARTED -> executor.execute(() -> clear(name));
      default -> {
        // nothing to do
      }
    }
  }

  private synchronized void recheckSoon() {
    if (pendingRecheck == null || pendingRecheck.isDone()) {
      pendingRecheck = executor.schedule(() -> {
        for (String name : Set.copyOf(failed.keySet())) {
          Bundle b = findBundle(name);
          if (b != null) {
            check(b);
          }
        }
      }, 100, TimeUnit.MILLISECONDS);
    }
  }

  private static boolean persistentlyStarted(Bundle b) {
    BundleStartLevel sl = b.adapt(BundleStartLevel.class);
    return sl != null && sl.isPersistentlyStarted();
  }

  /** Starts a bundle from the deploy folder if it is not running, and records why it cannot. */
  private void check(Bundle bundle) {
    check(bundle, 0);
  }

  private void check(Bundle bundle, int attempt) {
    try {
      tryStart(bundle, attempt);
    } catch (Exception | LinkageError e) {
      LOG.error("deploy folder: cannot check {}: {}", bundle, e.toString(), e);
    }
  }

  private void tryStart(Bundle bundle, int attempt) {
    String name = deployName(bundle);
    if (name == null || bundle.getState() == Bundle.UNINSTALLED) {
      return;
    }
    BundleRevision rev = bundle.adapt(BundleRevision.class);
    boolean fragment = rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    if (fragment || bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.STARTING) {
      clear(name);
      return;
    }
    try {
      bundle.start();
      LOG.info("Started {} {} from deploy/{}", bundle.getSymbolicName(), bundle.getVersion(), name);
      clear(name);
    } catch (BundleException e) {
      if (e.getType() == BundleException.RESOLVE_ERROR && attempt < 10
          && plugins.missingRequirements(bundle.getBundleId()).isEmpty()) {
        // Nothing is missing, yet it did not resolve: another resolve (FileInstall's refresh) held
        // the framework's lock. Try again in a moment.
        executor.schedule(() -> check(bundle, attempt + 1), 200, TimeUnit.MILLISECONDS);
        return;
      }
      fail(name, explain(bundle, e), bundle);
    } catch (IllegalStateException uninstalled) {
      // replaced or removed meanwhile
    }
  }

  private String explain(Bundle bundle, BundleException e) {
    String who = "(" + bundle.getSymbolicName() + " " + bundle.getVersion() + ")";
    if (e.getType() == BundleException.RESOLVE_ERROR) {
      List<MissingRequirement> missing = plugins.missingRequirements(bundle.getBundleId());
      if (!missing.isEmpty()) {
        StringBuilder s = new StringBuilder(who).append(" cannot resolve: it requires ")
            .append(String.join("; ", missing.stream().map(MissingRequirement::description).toList()))
            .append(missing.size() == 1 ? ", which" : ", which each").append(" no installed bundle provides");
        for (MissingRequirement m : missing) {
          if (!m.providers().isEmpty()) {
            s.append(". ").append(m.description()).append(" is available from ")
                .append(String.join(", ", m.providers()));
          }
        }
        return s.toString();
      }
      return who + " cannot resolve: " + e.getMessage();
    }
    Throwable cause = e.getCause();
    if (e.getType() == BundleException.ACTIVATOR_ERROR && cause != null) {
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      return who + " failed to start: its activator threw " + cause.getClass().getName() + ": " + cause.getMessage();
    }
    return who + " failed to start: " + e.getMessage();
  }

  // ---- FileInstall's own failures --------------------------------------------------------------

  @Override
  public void logged(LogEntry entry) {
    if (entry.getLogLevel().ordinal() > LogLevel.WARN.ordinal() || entry.getBundle() == null
        || !"org.apache.felix.fileinstall".equals(entry.getBundle().getSymbolicName())) {
      return;
    }
    String message = entry.getMessage();
    String prefix = staging.toString() + java.io.File.separator;
    int at = message == null ? -1 : message.indexOf(prefix);
    if (at < 0) {
      return;
    }
    String rest = message.substring(at + prefix.length());
    String name = rest.split("[\\s:,]", 2)[0];
    Throwable t = entry.getException();
    String cause = t == null ? message : (t.getMessage() == null ? t.toString() : t.getMessage());
    executor.execute(() -> fail(name, "cannot be installed: " + cause, null));
  }

  // ---- markers ---------------------------------------------------------------------------------

  private void fail(String name, String reason, Bundle bundle) {
    if (reason.equals(failed.get(name)) && Files.exists(deploy.resolve(name + MARKER))) {
      return;
    }
    failed.put(name, reason);
    String text = "deploy/" + name + " " + reason + "\n\n"
        + "Seen at " + Instant.now() + ". Fix or replace the file and dockevOS tries again;\n"
        + "this marker disappears once the file works. Delete the file to give up on it.\n";
    try {
      Path marker = deploy.resolve(name + MARKER);
      Path temp = deploy.resolve("." + name + MARKER + ".tmp");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.error("Cannot write the marker for deploy/{}: {}", name, e.toString());
    }
    LOG.error("deploy/{} {}", name, reason);
    post(DeployEvents.FAILED, name, reason, bundle);
  }

  /** The file is gone: its marker goes too, without a claim that it works. */
  private void forget(String name) {
    failed.remove(name);
    try {
      Files.deleteIfExists(deploy.resolve(name + MARKER));
    } catch (IOException e) {
      LOG.error("Cannot remove the marker of deploy/{}: {}", name, e.toString());
    }
  }

  private void clear(String name) {
    String was = failed.remove(name);
    try {
      if (Files.deleteIfExists(deploy.resolve(name + MARKER)) || (was != null && !was.isEmpty())) {
        LOG.info("deploy/{} works now", name);
        post(DeployEvents.RECOVERED, name, null, null);
      }
    } catch (IOException e) {
      LOG.error("Cannot remove the marker of deploy/{}: {}", name, e.toString());
    }
  }

  private void post(String topic, String name, String reason, Bundle bundle) {
    EventAdmin ea = events;
    if (ea == null) {
      return;
    }
    Map<String, Object> props = new HashMap<>();
    props.put(DeployEvents.PROP_FILE, deploy.resolve(name).toString());
    if (reason != null) {
      props.put(DeployEvents.PROP_REASON, reason);
    }
    if (bundle != null) {
      props.put(DeployEvents.PROP_BUNDLE, bundle.getSymbolicName());
      props.put(DeployEvents.PROP_BUNDLE_ID, bundle.getBundleId());
    }
    ea.postEvent(new Event(topic, props));
  }
}
