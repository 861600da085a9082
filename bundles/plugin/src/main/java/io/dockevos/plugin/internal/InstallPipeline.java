package io.dockevos.plugin.internal;

import io.dockevos.api.Host;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginEvents;
import io.dockevos.plugin.PluginException;
import io.dockevos.install.Change;
import io.dockevos.install.Outcome;
import io.dockevos.install.Plan;
import io.dockevos.plugin.internal.plan.Planner;
import io.dockevos.plugin.internal.plan.Prepared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The install pipeline inside the plugin manager: plans a change with the {@link Planner}, applies
 * it with the {@link Transaction}, one plan at a time, and publishes a user's refused install as
 * {@link PluginEvents#FAILED}. Plugin archives are unpacked here, their jars named together and
 * their configurations carried with the plan.
 */
final class InstallPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(InstallPipeline.class);
  private final PluginManagerImpl m;
  private final Planner planner;
  private final Transaction transaction;
  private final PermissionGate gate;
  /** One plan is applied at a time. */
  private final Object pipeline = new Object();
  /** Plans made by {@link #plan}, until they are applied: what applying needs beyond the plan itself. */
  private final Map<Plan, Prepared> prepared = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  InstallPipeline(PluginManagerImpl manager, Journal journal) {
    this.m = manager;
    this.gate = new PermissionGate(m.context, () -> m.permissions, m.home,
        (jar, source) -> m.trust.level(jar).label());
    this.planner = new Planner(m.context, m::catalog, m::dependencyVersions, new Planner.Host() {
      @Override
      public Planner.Fetched fetch(String source) throws PluginException {
        Path ready = staged.get(source);
        if (ready != null) {
          return new Planner.Fetched(ready, () -> { });
        }
        Sources.Fetched f = m.sources.fetch(source);
        return new Planner.Fetched(f.file(), f::discard);
      }

      @Override
      public java.util.jar.Manifest check(Path jar, String source) throws PluginException {
        Sources.Checked checked = Sources.check(jar, source);
        m.requireFeatures("Cannot install " + source + ": ", checked);
        m.trust.admit(jar, source);
        return checked.manifest();
      }

      @Override
      public Bundle changeable(String ref, String verb) throws PluginException {
        Bundle b = m.bundle(ref);
        m.refuseBoot(b, verb);
        return b;
      }

      @Override
      public String recordedSource(Bundle bundle) {
        Registry.Entry e = m.registry.get(bundle.getLocation());
        return e != null ? e.source() : m.sourceOf(bundle);
      }

      @Override
      public Plan.PermissionRequest permissions(Change change, Change.Item item, Path jar,
          java.util.jar.Manifest manifest, String source, org.osgi.resource.Resource resource) throws PluginException {
        return gate.request(change, item, jar, manifest, source, resource);
      }
    });
    this.transaction = new Transaction(m.context, m.wiring, journal, new HealthGate(m.context, () -> m.scr),
        new TransactionHost(), m.replacing);
  }

  /** What a transaction does to the plugin manager's records. */
  private final class TransactionHost implements Transaction.Host {
    /** The bundles that got kept data back in the plan under way. */
    private final java.util.Set<Long> restored = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public Sources sources() {
      return m.sources;
    }

    @Override
    public Registry registry() {
      return m.registry;
    }

    @Override
    public String refusal(Path jar) {
      return m.trust.refusal(jar);
    }

    @Override
    public void installed(Bundle bundle, Path jar) {
      m.store(bundle, jar);
      if (m.restoreKeptData(bundle)) {
        restored.add(bundle.getBundleId());
      }
    }

    @Override
    public void remove(List<Bundle> bundles) {
      for (Bundle b : bundles) {
        if (restored.remove(b.getBundleId())) {
          m.keepDataAgain(b); // the data it had kept is not lost with the plan that failed
        }
        try {
          b.uninstall();
        } catch (BundleException | IllegalStateException e) {
          LOG.warn("Cannot remove {} after a failed install: {}", b, e.toString());
        }
        m.registry.remove(b.getLocation());
        try {
          Files.deleteIfExists(m.storeFile(b));
        } catch (IOException ignored) {
          // a stale copy is harmless
        }
      }
      if (!bundles.isEmpty()) {
        m.refresh(bundles);
      }
    }

    @Override
    public String explain(Bundle bundle, Exception e) {
      return m.explain(bundle, e);
    }

    @Override
    public List<MissingRequirement> missing(Bundle bundle) {
      return m.missingRequirements(bundle.getBundleId());
    }

    @Override
    public void failed(Bundle bundle, String reason, Throwable error) {
      LOG.error("Plugin {} {} failed: {}", bundle.getSymbolicName(), bundle.getVersion(), reason);
      m.post(PluginEvents.FAILED, bundle, reason, error);
    }

    @Override
    public List<PluginConfigurations.Applied> applyConfigurations(String source, List<Path> files,
        List<Bundle> bundles, PluginConfigurations.Creating creating) throws PluginException {
      return m.applyConfigurations(source, files, bundles, creating);
    }

    @Override
    public void restoreConfigurations(List<PluginConfigurations.Applied> applied) {
      m.restoreConfigurations(applied);
    }
  }

  /** Files already fetched or unpacked for the plan being made, by the source name the plan gives them. */
  private final Map<String, Path> staged = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Plans the install of jars and plugin archives: an archive's jars are named together (one that
   * is installed already, but its first, is used as it is) and its configurations go with the plan.
   */
  Prepared prepareInstall(List<String> names, Change.Scope scope, java.util.Set<Change.Option> options, String by)
      throws PluginException {
    List<Change.Item> items = new ArrayList<>();
    List<Path> configs = new ArrayList<>();
    List<Runnable> cleanup = new ArrayList<>();
    String configSource = null;
    try {
      for (String source : names) {
        Sources.Fetched fetched = m.sources.fetch(source);
        cleanup.add(fetched::discard);
        if (!Archives.isArchive(fetched.file(), source)) {
          staged.put(source, fetched.file());
          cleanup.add(() -> staged.remove(source));
          items.add(Change.Item.install(source));
          continue;
        }
        Path dir = m.pluginsDir.resolve("unpacked").resolve(java.util.UUID.randomUUID().toString());
        cleanup.add(() -> {
          try {
            io.dockevos.common.internal.FileTrees.delete(dir);
          } catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", dir, e.toString());
          }
        });
        Archives.Unpacked archive = Archives.unpack(fetched.file(), source, dir, Archives.Limits.DEFAULT);
        for (int i = 0; i < archive.bundles().size(); i++) {
          Path jar = archive.bundles().get(i);
          String name = source + "!/" + archive.dir().relativize(jar);
          Sources.Checked c = Sources.check(jar, name);
          if (i > 0 && Stream.of(m.context.getBundles()).anyMatch(b -> c.symbolicName().equals(b.getSymbolicName())
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
      Prepared p = planOrReport(new Change(items, scope, options, INSTALL_ORIGIN, by));
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
        return applyGranted(p);
      }
    } finally {
      p.discard().run();
    }
  }

  /**
   * Applies a plan whose permissions are granted: refused (and audited) when its bundles request what
   * no one granted; the plan's bundles hold what it grants while it is applied, and the grants are
   * recorded once it committed. The caller holds the pipeline's lock.
   */
  private Outcome applyGranted(Prepared p) throws PluginException {
    gate.check(p.plan());
    AutoCloseable held = gate.hold(p.plan());
    try {
      Outcome o = transaction.apply(p);
      gate.committed(p.plan());
      return o;
    } finally {
      m.trust.flush();
      try {
        held.close();
      } catch (Exception e) {
        LOG.warn("Cannot let go of the permissions the plan held: {}", e.toString());
      }
    }
  }


  /** The origin of a user's {@code plugin:install}: its refusals are published as {@link PluginEvents#FAILED}. */
  static final String INSTALL_ORIGIN = "plugin:install";

  Plan plan(Change change) throws PluginException {
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
        for (MissingRequirement x : e.unsatisfied()) {
          byRoot.computeIfAbsent(x.chain().isEmpty() ? x.requiringBundle() : x.chain().get(0),
              k -> new ArrayList<>()).add(x);
        }
        byRoot.forEach((root, missing) -> postRefused(change, root, missing, e.getMessage()));
      }
      throw e;
    }
  }

  private void postRefused(Change change, String root, List<MissingRequirement> missing, String reason) {
    EventAdmin ea = m.events;
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

  Outcome apply(Plan plan) throws PluginException {
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
        return applyGranted(p);
      }
    } finally {
      p.discard().run();
    }
  }

  Outcome execute(Change change) throws PluginException {
    synchronized (pipeline) {
      Prepared p = planOrReport(change);
      try {
        return applyGranted(p);
      } finally {
        p.discard().run();
      }
    }
  }
}
