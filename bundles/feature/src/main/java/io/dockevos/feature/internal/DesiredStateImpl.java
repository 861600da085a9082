package io.dockevos.feature.internal;

import io.dockevos.api.Host;
import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Periodic;
import io.dockevos.feature.DesiredState;
import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureDetails;
import io.dockevos.feature.FeatureException;
import io.dockevos.feature.FeatureManager;
import io.dockevos.feature.FeaturePlan;
import io.dockevos.feature.FeatureState;
import io.dockevos.feature.StateEvents;
import io.dockevos.install.Change;
import io.dockevos.install.Plan;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desired state: reads the state file ({@link StateFile}) every {@value #POLL_MS} ms and, when its
 * content changed (a ConfigMap swaps a symlink, so the bytes are compared, not the file's time), applies
 * it through the {@link FeatureManager}. The features it installed are recorded in {@code
 * data/state/owned.json}; its own bundles and configurations are one feature, {@code data/state/configurations.json} and {@code
 * data/state/plugins.json}, which the feature manager records and replaces like any other, so that what the file no longer names
 * goes and what was there before stays.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = DesiredState.class, immediate = true)
public final class DesiredStateImpl implements DesiredState {
  private static final Logger LOG = LoggerFactory.getLogger(DesiredStateImpl.class);
  static final long POLL_MS = 500;
  /** The framework property that, {@code false}, applies the file at start and by {@code state:apply} only. */
  static final String WATCH_PROPERTY = "dockevos.state.watch";

  private final BundleContext context;
  private final FeatureManager features;
  private final Path file;
  private final Path home;
  private final Path dir;
  private final ScheduledExecutorService timer;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;

  /** The digest last tried by the watcher: a file is applied once per content. */
  private String tried;
  private volatile Status status;

  @Activate
  public DesiredStateImpl(BundleContext context, @Reference FeatureManager features) {
    this.context = context;
    this.features = features;
    String h = context.getProperty(Host.HOME_PROPERTY);
    this.home = Path.of(h == null ? "." : h).toAbsolutePath().normalize();
    String d = context.getProperty(Host.DATA_PROPERTY);
    this.dir = (d == null ? home.resolve("data") : Path.of(d)).resolve("state");
    this.file = file(context::getProperty, home);
    this.status = new Status(file.toString(), Files.exists(file) ? Phase.PENDING : Phase.NO_FILE, null, null, null,
        null);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dockevos-state");
      t.setDaemon(true);
      return t;
    });
    Runnable check = Periodic.guarded(this::check, t -> LOG.error("Desired state: {}", t.toString(), t));
    if ("false".equalsIgnoreCase(String.valueOf(context.getProperty(WATCH_PROPERTY)).trim())) {
      start = check; // applied once the framework runs, then only by state:apply
      timer.scheduleWithFixedDelay(this::once, 0, POLL_MS, TimeUnit.MILLISECONDS);
    } else {
      timer.scheduleWithFixedDelay(check, 0, POLL_MS, TimeUnit.MILLISECONDS);
    }
  }

  private Runnable start;
  private boolean started;

  /** Without the watch: the one apply at start, once the framework runs. */
  private void once() {
    if (!started && context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() == Bundle.ACTIVE) {
      started = true;
      start.run();
      timer.shutdown();
      LOG.info("The state file {} was looked at as the framework started ({}); with {}=false only state:apply"
          + " applies it from now on", file, Files.exists(file) ? status.phase() : "there is none", WATCH_PROPERTY);
    }
  }

  @Deactivate
  void deactivate() {
    timer.shutdownNow();
  }

  /** @return the state file that the framework properties name, absolute */
  static Path file(java.util.function.Function<String, String> properties, Path home) {
    String f = properties.apply(FILE_PROPERTY);
    return home.resolve(f == null || f.isBlank() ? DEFAULT_FILE : f.trim()).toAbsolutePath().normalize();
  }

  // ---- the watcher -------------------------------------------------------------------------------

  private void check() {
    if (context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() != Bundle.ACTIVE) {
      return; // the framework still starts: the boot features come first
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      synchronized (this) {
        if (!Files.exists(file) && status.phase() != Phase.NO_FILE) {
          if (tried != null) {
            LOG.info("The state file {} is gone; what it applied stays", file);
          }
          tried = null;
          status = new Status(file.toString(), Phase.NO_FILE, null, status.applied(), status.at(), null);
        }
      }
      return;
    }
    String digest = StateFile.digest(bytes);
    synchronized (this) {
      if (digest.equals(tried)) {
        return;
      }
      tried = digest;
    }
    try {
      apply();
    } catch (FeatureException e) {
      // logged and published by apply
    }
  }

  // ---- the state ---------------------------------------------------------------------------------

  @Override
  public Status status() {
    return status;
  }

  /** The features the state installed, and the digest of the file last applied. */
  private record Owned(List<String> features, String applied) {}

  private Owned owned() {
    Path f = dir.resolve("owned.json");
    if (!Files.exists(f)) {
      return new Owned(List.of(), null);
    }
    try (InputStream in = Files.newInputStream(f); Json.ProviderLoader l = Json.providerLoader()) {
      JsonObject o = Json.read(in);
      List<String> names = o.containsKey("features") ? Json.toJava(o.get("features")) : List.of();
      return new Owned(List.copyOf(names), o.containsKey("applied") && !o.isNull("applied")
          ? o.getString("applied") : null);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot read {}: {}; the state owns no feature", f, e.toString());
      return new Owned(List.of(), null);
    }
  }

  private void record(Owned o) throws FeatureException {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("features", o.features());
    m.put("applied", o.applied());
    try (Json.ProviderLoader l = Json.providerLoader()) {
      Files.createDirectories(dir);
      AtomicFiles.write(dir.resolve("owned.json"), (Json.pretty(m) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FeatureException("Cannot record what the state owns in " + dir.resolve("owned.json") + ": " + e, e);
    }
  }

  /** Writes one of the state's own feature files when its content differs; @return its path. */
  private Path own(String name, byte[] bytes) throws FeatureException {
    Path f = dir.resolve(name);
    try {
      if (!Files.exists(f) || !Arrays.equals(Files.readAllBytes(f), bytes)) {
        Files.createDirectories(dir);
        AtomicFiles.write(f, bytes);
      }
    } catch (IOException e) {
      throw new FeatureException("Cannot write " + f + ": " + e, e);
    }
    return f;
  }

  /** What a change needs done, with the differences it shows. */
  private record Work(StateFile file, Owned owned, List<String> remove, List<String> install, List<Part> parts,
      List<Difference> differences) {
    boolean nothing() {
      return differences.isEmpty() && remove.isEmpty() && install.isEmpty() && parts.isEmpty();
    }
  }

  /** One of the state's own features that changed: its configurations, or its plugins. */
  private record Part(String entry, Path file) {}

  private String shown() {
    return file.startsWith(home) ? home.relativize(file).toString() : file.toString();
  }

  private FeatureException wrong(String entry, FeatureException e) {
    return new FeatureException("The state file " + file + " cannot be applied: " + entry + ": " + e.getMessage(), e);
  }

  private Work work() throws FeatureException {
    StateFile s = StateFile.read(file);
    if (s == null) {
      return null;
    }
    Owned owned = owned();
    List<Difference> diffs = new ArrayList<>();
    Map<String, Feature> installed = new HashMap<>();
    features.installed().forEach(f -> installed.put(f.name(), f));
    Set<String> named = new LinkedHashSet<>();
    List<String> install = new ArrayList<>();
    for (String ref : s.features()) {
      FeaturePlan p;
      try {
        p = features.plan(ref);
      } catch (FeatureException e) {
        throw wrong("feature " + ref, e);
      }
      Feature f = p.feature();
      named.add(f.name());
      if (f.state() == FeatureState.BOOT || (f.state() == FeatureState.INSTALLED && p.plan().isEmpty()
          && p.replaces() == null)) {
        continue;
      }
      install.add(ref);
      diffs.add(new Difference("install", "feature", f.name() + " " + f.version(), "named by the state file"));
      plugins(p.plan(), diffs);
    }
    List<String> remove = new ArrayList<>();
    for (String name : owned.features()) {
      Feature f = installed.get(name);
      if (!named.contains(name) && f != null && f.state() != FeatureState.BOOT) {
        remove.add(name);
        diffs.add(new Difference("uninstall", "feature", f.name() + " " + f.version(),
            "installed by the state file, which no longer names it"));
      }
    }
    List<Part> parts = new ArrayList<>();
    part(new Part("its configurations", own("configurations.json", s.configurations())), parts, diffs);
    part(new Part("its bundles", own("plugins.json", s.plugins())), parts, diffs);
    return new Work(s, owned, remove, install, parts, diffs);
  }

  /** Plans one of the state's own features; when it changes, adds it to {@code parts} and its differences. */
  private void part(Part part, List<Part> parts, List<Difference> diffs) throws FeatureException {
    FeaturePlan p;
    try {
      p = features.plan(part.file().toString());
    } catch (FeatureException e) {
      throw wrong(part.entry(), e);
    }
    if (p.feature().state() == FeatureState.INSTALLED && p.plan().isEmpty() && p.replaces() == null) {
      return;
    }
    parts.add(part);
    plugins(p.plan(), diffs);
    Set<String> kept = new LinkedHashSet<>(p.present());
    p.plan().installs().forEach(st -> kept.add(st.identity()));
    Set<String> pids = new LinkedHashSet<>(p.plan().configurations());
    if (p.replaces() != null) {
      try {
        FeatureDetails old = features.details(p.replaces().replace(' ', '/'));
        for (FeatureDetails.BundleEntry b : old.bundles()) {
          String id = b.symbolicName() + " " + b.version();
          if (b.owned() && b.symbolicName() != null && !kept.contains(id)) {
            diffs.add(new Difference("uninstall", "plugin", id, "no longer named by the state file"));
          }
        }
        for (FeatureDetails.ConfigurationEntry c : old.configurations()) {
          if (!pids.contains(c.pid())) {
            diffs.add(new Difference("delete", "configuration", c.pid(), "no longer named by the state file"));
          }
        }
      } catch (FeatureException e) {
        LOG.debug("No details of {}: {}", p.replaces(), e.getMessage());
      }
    }
    for (String pid : pids) {
      diffs.add(new Difference("configure", "configuration", pid, "named by the state file"));
    }
  }

  private static void plugins(Plan plan, List<Difference> diffs) {
    for (Plan.Step st : plan.steps()) {
      String action = st.op() == Change.Op.INSTALL ? "install" : st.op() == Change.Op.UPDATE ? "update"
          : st.op() == Change.Op.UNINSTALL ? "uninstall" : "start";
      diffs.add(new Difference(action, "plugin", st.identity(), st.reason()));
    }
  }

  /** Keeps the phase in step with the file's being there, when the watcher does not run. */
  private void seen(boolean there) {
    Status s = status;
    if (!there && s.phase() != Phase.NO_FILE) {
      status = new Status(file.toString(), Phase.NO_FILE, null, s.applied(), s.at(), null);
    } else if (there && s.phase() == Phase.NO_FILE) {
      status = new Status(file.toString(), Phase.PENDING, null, s.applied(), s.at(), null);
    }
  }

  @Override
  public synchronized List<Difference> diff() throws FeatureException {
    Work w = work();
    seen(w != null);
    return w == null ? List.of() : w.differences();
  }

  @Override
  public synchronized List<Difference> apply() throws FeatureException {
    Work w;
    try {
      w = work();
    } catch (FeatureException e) {
      failed(null, e);
      throw e;
    }
    if (w == null) {
      status = new Status(file.toString(), Phase.NO_FILE, null, status.applied(), status.at(), null);
      return List.of();
    }
    String digest = w.file().digest();
    if (w.nothing()) {
      if (!digest.equals(w.owned().applied())) {
        record(new Owned(w.owned().features(), digest));
      }
      LOG.info("The desired state {} is applied already: nothing changed", shown());
      status = new Status(file.toString(), Phase.APPLIED, digest, digest, Instant.now(), null);
      post(StateEvents.UNCHANGED, digest, 0, null);
      return List.of();
    }
    LOG.info("Applying the desired state {}: {} change{}", shown(), w.differences().size(),
        w.differences().size() == 1 ? "" : "s");
    Set<String> wasInstalled = new java.util.HashSet<>();
    features.installed().forEach(f -> wasInstalled.add(f.name()));
    // Recorded first: a kill in the middle leaves what the state installed owned by it.
    Set<String> owns = new LinkedHashSet<>(w.owned().features());
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    String step = null;
    try {
      for (String ref : w.install()) {
        owns.add(features.details(ref).feature().name());
      }
      record(new Owned(List.copyOf(owns), w.owned().applied()));
      for (String name : w.remove()) {
        step = "uninstalling feature " + name;
        features.uninstall(name);
        removed.add(name);
        owns.remove(name);
      }
      for (String ref : w.install()) {
        step = "feature " + ref;
        Feature f = features.install(ref);
        if (!wasInstalled.contains(f.name())) {
          added.add(f.name());
        } else if (!w.owned().features().contains(f.name())) {
          owns.remove(f.name()); // installed by hand before: not the state's
        }
      }
      for (Part part : w.parts()) {
        step = part.entry();
        features.install(part.file().toString());
      }
    } catch (FeatureException e) {
      List<String> undo = new ArrayList<>();
      for (int i = added.size() - 1; i >= 0; i--) {
        try {
          features.uninstall(added.get(i));
        } catch (FeatureException again) {
          undo.add("uninstalling feature " + added.get(i) + " failed: " + again.getMessage());
        }
      }
      for (String name : removed) {
        try {
          features.install(name);
        } catch (FeatureException again) {
          undo.add("installing feature " + name + " again failed: " + again.getMessage());
        }
      }
      try {
        record(w.owned());
      } catch (FeatureException again) {
        undo.add(again.getMessage());
      }
      FeatureException f = new FeatureException("The state file " + file + " cannot be applied: " + step + ": "
          + e.getMessage() + (undo.isEmpty() ? "; nothing was changed" : "; putting back: " + String.join("; ", undo)),
          e);
      failed(digest, f);
      throw f;
    }
    record(new Owned(List.copyOf(owns), digest));
    for (Difference d : w.differences()) {
      LOG.info("Desired state: {} {} {} ({})", d.action(), d.kind(), d.name(), d.reason());
    }
    LOG.info("Applied the desired state {}: {} change{}", shown(), w.differences().size(),
        w.differences().size() == 1 ? "" : "s");
    status = new Status(file.toString(), Phase.APPLIED, digest, digest, Instant.now(), null);
    post(StateEvents.APPLIED, digest, w.differences().size(), null);
    return w.differences();
  }

  private void failed(String digest, FeatureException e) {
    LOG.error("{}", e.getMessage());
    Status s = status;
    status = new Status(file.toString(), Phase.FAILED, digest, s.applied(), Instant.now(), e.getMessage());
    post(StateEvents.FAILED, digest, 0, e.getMessage());
  }

  private void post(String topic, String digest, int changes, String reason) {
    EventAdmin ea = events;
    if (ea == null) {
      return;
    }
    Map<String, Object> props = new HashMap<>();
    props.put(StateEvents.FILE, file.toString());
    if (digest != null) {
      props.put(StateEvents.DIGEST, digest);
    }
    props.put(StateEvents.CHANGES, changes);
    if (reason != null) {
      props.put(StateEvents.REASON, reason);
    }
    ea.postEvent(new Event(topic, props));
  }
}
