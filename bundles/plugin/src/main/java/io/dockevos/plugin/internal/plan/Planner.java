package io.dockevos.plugin.internal.plan;

import aQute.bnd.osgi.resource.ResourceBuilder;
import aQute.bnd.osgi.resource.ResourceUtils;
import io.dockevos.common.internal.Parallel;
import io.dockevos.install.Change;
import io.dockevos.install.DependencyVersions;
import io.dockevos.install.Plan;
import io.dockevos.install.PlanException;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.PluginException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wire;
import org.osgi.service.resolver.ResolutionException;
import org.osgi.service.resolver.Resolver;

/**
 * Turns a {@link Change} into a {@link Plan} with the framework's Felix resolver: the named
 * sources are resolved together against the installed bundles and, when the change's scope allows
 * it, the repository, whose resources the resolver pulls in form the closure.
 */
public final class Planner {
  /** What the planner needs of the plugin manager. */
  public interface Host {
    /** @return the fetched jar of a source (a path, a URL, {@code mvn:} coordinates) */
    Fetched fetch(String source) throws PluginException;

    /**
     * Checks what a jar's manifest says before planning (its form, the features it requires).
     *
     * @return the manifest it read, which the planner then reads instead of opening the jar again; or
     *     {@code null}, and the planner reads the jar's manifest itself
     */
    Manifest check(Path jar, String source) throws PluginException;

    /**
     * @return the installed plugin that {@code ref} (id, name or {@code name/version}) names, which may
     *     be updated or uninstalled
     * @throws PluginException when there is none, or it is part of the runtime itself
     */
    Bundle changeable(String ref, String verb) throws PluginException;

    /** @return the source a plugin was installed from, for an update that names none */
    String recordedSource(Bundle bundle);

    /**
     * What the bundle of a jar requests ({@code Dockevos-Permissions}) and does not hold yet.
     *
     * @param item the item that names the jar, or {@code null} for one the plan takes from the repository
     * @param jar the jar, or {@code null} when it is not on this machine (an index's URL): it is not read
     * @param manifest the jar's manifest, when it was read already; else {@code null}
     * @return the request, or {@code null} when there is nothing to grant or show
     * @throws io.dockevos.install.NotGrantedException when the change leaves out a named source whose
     *     permissions no one granted ({@link Change.Option#PARTIAL} without {@link Change.Option#GRANT})
     * @throws PluginException when the header is not valid, naming the source and the entry
     */
    default Plan.PermissionRequest permissions(Change change, Change.Item item, Path jar, Manifest manifest,
        String source, Resource resource) throws PluginException {
      return null;
    }
  }

  /** A source's jar; {@code discard} deletes it when it was downloaded. */
  public record Fetched(Path file, Runnable discard) {}

  private final BundleContext context;
  private final FrameworkWiring framework;
  private final Supplier<Catalog> catalog;
  private final Poms poms;
  private final Supplier<DependencyVersions> versions;
  private final Host host;
  /** How many times a plan fetches what POMs declare from the remote repositories, and tries again. */
  static final int FETCH_ROUNDS = 3;

  public Planner(BundleContext context, Supplier<Catalog> catalog, Supplier<DependencyVersions> versions, Host host) {
    this.context = context;
    this.framework = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    this.catalog = catalog;
    this.poms = new Poms(versions);
    this.versions = versions;
    this.host = host;
  }

  /**
   * A named source, fetched and read; {@code replaces} is the installed revision an update replaces;
   * {@code request} what it requests and does not hold, or {@code null}.
   */
  private record Named(Change.Item item, Fetched fetched, Resource resource, BundleRevision replaces,
      Plan.PermissionRequest request) {}

  /** A source read ahead of its turn: its file, resource and permission request. */
  private record Read(Fetched fetched, Resource resource, Plan.PermissionRequest request) {}

  /**
   * Reads the local jars that the change installs side by side (each is opened a few times: its
   * checks, its manifest, its permissions); a download or a Maven source is read in its turn.
   */
  private Map<Change.Item, Parallel.Outcome<Read>> readAhead(Change change) {
    List<Change.Item> local = change.items().stream().filter(i -> i.op() == Change.Op.INSTALL && i.source() != null
        && (i.source().startsWith("file:") || !i.source().matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*"))).toList();
    Map<Change.Item, Parallel.Outcome<Read>> result = new java.util.IdentityHashMap<>();
    if (local.size() < Parallel.MIN_PARALLEL) {
      return result; // (each is taken out as it is used)
    }
    List<Parallel.Outcome<Read>> reads = Parallel.map(local, item -> {
      Fetched fetched = host.fetch(item.source());
      try {
        Manifest mf = host.check(fetched.file(), item.source());
        Resource resource = resource(fetched.file(), mf, item.source());
        return new Read(fetched, resource, host.permissions(change, item, fetched.file(), mf, item.source(), resource));
      } catch (PluginException | RuntimeException e) {
        fetched.discard().run();
        throw e;
      }
    });
    for (int i = 0; i < local.size(); i++) {
      result.put(local.get(i), reads.get(i));
    }
    return result;
  }

  public Prepared plan(Change change) throws PluginException {
    Map<Change.Item, Parallel.Outcome<Read>> ahead = readAhead(change);
    List<Named> named = new ArrayList<>();
    List<BundleRevision> started = new ArrayList<>();
    List<Plan.Refused> refused = new ArrayList<>();
    List<Plan.PermissionRequest> notGranted = new ArrayList<>();
    boolean partial = change.options().contains(Change.Option.PARTIAL);
    Map<String, Bundle> installed = new HashMap<>();
    for (Bundle b : context.getBundles()) {
      installed.put(b.getSymbolicName() + " " + b.getVersion(), b);
    }
    Map<String, Named> byIdentity = new HashMap<>();
    List<BundleRevision> removed = new ArrayList<>();
    try {
      for (Change.Item item : change.items()) {
        if (item.op() == Change.Op.UNINSTALL || item.op() == Change.Op.UPDATE) {
          try {
            Bundle b = host.changeable(item.ref(), item.op() == Change.Op.UPDATE ? "update" : "uninstall");
            BundleRevision r = b.adapt(BundleRevision.class);
            if (removed.contains(r) || named.stream().anyMatch(n -> r.equals(n.replaces()))) {
              throw new PluginException("Cannot " + item.op().name().toLowerCase() + " " + item.ref() + ": the change"
                  + " names " + b.getSymbolicName() + " " + b.getVersion() + " twice");
            }
            if (item.op() == Change.Op.UNINSTALL) {
              removed.add(r);
            } else {
              named.add(readUpdate(change, item, b, byIdentity));
            }
          } catch (PluginException e) {
            if (!partial) {
              throw e;
            }
            refused.add(new Plan.Refused(item, e.getMessage(), e.missing()));
            if (e instanceof io.dockevos.install.NotGrantedException ng) {
              notGranted.addAll(ng.requests());
            }
          }
          continue;
        }
        if (item.op() == Change.Op.START) {
          try {
            started.add(installed(item.ref()));
          } catch (PluginException e) {
            if (!partial) {
              throw e;
            }
            refused.add(new Plan.Refused(item, e.getMessage(), List.of()));
          }
          continue;
        }
        try {
          named.add(read(change, item, installed, byIdentity, ahead.remove(item)));
        } catch (PluginException e) {
          if (!partial) {
            throw e;
          }
          refused.add(new Plan.Refused(item, e.getMessage(), e.missing()));
          if (e instanceof io.dockevos.install.NotGrantedException ng) {
            notGranted.addAll(ng.requests());
          }
        }
      }
      return resolve(change, named, started, removed, refused, notGranted);
    } catch (PluginException | RuntimeException e) {
      named.forEach(n -> n.fetched().discard().run());
      ahead.values().stream().filter(o -> !o.failed()).forEach(o -> o.value().fetched().discard().run());
      throw e;
    }
  }

  /** @return the revision of the installed bundle that {@code ref} names: its id, symbolic name or {@code name/version} */
  private BundleRevision installed(String ref) throws PluginException {
    for (Bundle b : context.getBundles()) {
      String bsn = b.getSymbolicName();
      if (b.getBundleId() != 0 && (String.valueOf(b.getBundleId()).equals(ref) || ref.equals(bsn)
          || ref.equals(bsn + "/" + b.getVersion()))) {
        BundleRevision r = b.adapt(BundleRevision.class);
        if (r != null && b.getState() != Bundle.UNINSTALLED) {
          return r;
        }
      }
    }
    throw new PluginException("Cannot start " + ref + ": no plugin of that id or name is installed");
  }

  /**
   * @param installed every installed bundle by {@code name version}
   * @param before the sources named before this one, by {@code name version}
   * @param ahead the source read ahead ({@link #readAhead}), or {@code null}
   */
  private Named read(Change change, Change.Item item, Map<String, Bundle> installed, Map<String, Named> before,
      Parallel.Outcome<Read> ahead) throws PluginException {
    if (ahead != null && ahead.failed()) {
      if (ahead.failure() instanceof PluginException pe) {
        throw pe;
      }
      throw (RuntimeException) ahead.failure(); // the task throws nothing else
    }
    Fetched fetched = ahead != null ? ahead.value().fetched() : host.fetch(item.source());
    try {
      Manifest mf = ahead == null ? host.check(fetched.file(), item.source()) : null;
      Resource resource = ahead != null ? ahead.value().resource() : resource(fetched.file(), mf, item.source());
      String identity = PlanContext.identity(resource);
      Bundle b = installed.get(identity);
      if (b != null) {
        throw new PluginException("Cannot install " + item.source() + ": " + identity + " is installed already, as plugin "
            + b.getBundleId() + ". Use plugin:update " + b.getBundleId() + " to replace it, or raise the version.");
      }
      Named n = before.get(identity);
      if (n != null) {
        throw new PluginException("Cannot install " + item.source() + ": it is " + identity + ", as "
            + n.item().source() + " is; a symbolic name and version can be installed once");
      }
      Named read = new Named(item, fetched, resource, null, ahead != null ? ahead.value().request()
          : host.permissions(change, item, fetched.file(), mf, item.source(), resource));
      before.put(identity, read);
      return read;
    } catch (PluginException | RuntimeException e) {
      fetched.discard().run();
      throw e;
    }
  }

  /** Reads the new jar of an update: the same symbolic name, any version. */
  private Named readUpdate(Change change, Change.Item item, Bundle bundle, Map<String, Named> before)
      throws PluginException {
    String source = item.source() != null ? item.source() : host.recordedSource(bundle);
    if (source == null) {
      throw new PluginException("Cannot update " + bundle.getSymbolicName() + ": it records no source to update from;"
          + " name one (plugin:update " + bundle.getBundleId() + " SOURCE)");
    }
    Fetched fetched = host.fetch(source);
    try {
      Manifest mf = host.check(fetched.file(), source);
      Resource resource = resource(fetched.file(), mf, source);
      String bsn = PlanContext.name(resource);
      if (!bsn.equals(bundle.getSymbolicName())) {
        throw new PluginException("Cannot update " + bundle.getSymbolicName() + " from " + source + ": that is " + bsn
            + ", another plugin. Install it with plugin:install.");
      }
      Change.Item update = new Change.Item(Change.Op.UPDATE, source, null, item.ref(), item.startLevel());
      Named read = new Named(update, fetched, resource, bundle.adapt(BundleRevision.class),
          host.permissions(change, update, fetched.file(), mf, source, resource));
      before.put(PlanContext.identity(resource), read);
      return read;
    } catch (PluginException | RuntimeException e) {
      fetched.discard().run();
      throw e;
    }
  }


  /**
   * @param manifest the jar's manifest, when it was read already; else {@code null}, and it is read here
   * @return the jar's resource: its capabilities and requirements, as bnd reads them from the manifest
   */
  static Resource resource(Path jar, Manifest manifest, String source) throws PluginException {
    if (manifest != null) {
      return resource(manifest, source);
    }
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      return resource(file.getManifest(), source);
    } catch (IOException e) {
      throw new PluginException("Cannot install " + source + ": its manifest cannot be read: " + e.getMessage(), e);
    }
  }

  private static Resource resource(Manifest mf, String source) throws PluginException {
    try {
      ResourceBuilder rb = new ResourceBuilder();
      if (mf == null || !rb.addManifest(mf)) {
        throw new PluginException("Cannot install " + source + ": it is not an OSGi bundle (no Bundle-SymbolicName)");
      }
      return io.dockevos.plugin.internal.repo.Light.copy(rb.build());
    } catch (IllegalArgumentException e) {
      throw new PluginException("Cannot install " + source + ": its manifest cannot be read: " + e.getMessage(), e);
    }
  }

  private Prepared resolve(Change change, List<Named> named, List<BundleRevision> started, List<BundleRevision> removed,
      List<Plan.Refused> refused, List<Plan.PermissionRequest> notGranted) throws PluginException {
    List<BundleRevision> installed = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      BundleRevision r = b.adapt(BundleRevision.class);
      if (r != null && b.getState() != Bundle.UNINSTALLED) {
        installed.add(r);
      }
    }
    catalog.get().checkForChanges();
    // What an update replaces or an uninstall removes is gone for the resolver; the bundles wired to
    // it are refreshed with it, so they are resolved again, as roots.
    Set<Resource> excluded = new HashSet<>(removed);
    named.stream().filter(n -> n.replaces() != null).forEach(n -> excluded.add(n.replaces()));
    List<BundleRevision> dependents = dependents(excluded);
    Set<Resource> unwired = new HashSet<>(excluded);
    unwired.addAll(dependents);
    boolean partial = change.options().contains(Change.Option.PARTIAL);
    Catalog repo = change.scope() == Change.Scope.REPOSITORIES ? catalog.get() : Catalog.EMPTY;
    Map<Resource, Named> byResource = new LinkedHashMap<>();
    named.forEach(n -> byResource.put(n.resource(), n));
    // Installed bundles to start that do not resolve yet are resolved as the named sources are.
    List<Resource> unresolved = new ArrayList<>(started.stream().filter(r -> r.getWiring() == null)
        .map(r -> (Resource) r).toList());
    unresolved.addAll(dependents);
    List<Resource> roots = new ArrayList<>(byResource.keySet());
    roots.addAll(unresolved);
    Map<Resource, Map<String, String>> declared = new HashMap<>();
    PlanContext ctx = new PlanContext(framework, PlanContext.wirings(installed, unwired),
        new ArrayList<>(byResource.keySet()), unresolved, partial, repo, r -> declared.computeIfAbsent(r, x -> {
          Named n = byResource.get(x);
          return n != null ? poms.ofJar(n.fetched().file())
              : x instanceof BundleRevision br ? poms.ofBundle(br.getBundle()) : poms.ofRepository(repo, x);
        }), excluded, installed);
    Map<Resource, List<Wire>> wires;
    if (roots.isEmpty()) {
      wires = Map.of();
    } else {
      wires = null;
      for (int round = 0; wires == null; round++) {
        try {
          wires = resolver().resolve(ctx);
        } catch (ResolutionException e) {
          Explainer explainer = new Explainer(ctx, catalog.get(), change.scope());
          List<MissingRequirement> missing = explainer.explain(roots);
          // The remote Maven repositories join the repository through the POMs: what the bundles that
          // miss something declare, and the local repository lacks, is fetched, and the plan tried again.
          if (round < FETCH_ROUNDS && change.scope() == Change.Scope.REPOSITORIES
              && fetchDeclared(explainer.requirers(), byResource, repo)) {
            repo.checkForChanges();
            continue;
          }
          throw new PlanException(Explainer.message(change, missing, e, hostVersion()), missing);
        }
      }
    }
    // What was named but is not in the result could not be resolved (PARTIAL only).
    List<Named> kept = new ArrayList<>();
    for (Named n : named) {
      if (wires.containsKey(n.resource())) {
        kept.add(n);
      } else {
        List<MissingRequirement> missing = new Explainer(ctx, catalog.get(), change.scope()).explain(List.of(n.resource()));
        refused.add(new Plan.Refused(n.item(), Explainer.message(change, missing, null, hostVersion()), missing));
        n.fetched().discard().run();
      }
    }
    // Bundles refreshed with what the plan replaces or removes that do not resolve again (PARTIAL only).
    List<Plan.Stopped> stopped = new ArrayList<>();
    for (BundleRevision d : dependents) {
      if (!wires.containsKey(d)) {
        stopped.add(new Plan.Stopped(PlanContext.identity(d),
            new Explainer(ctx, catalog.get(), change.scope()).explain(List.of(d))));
      }
    }
    Set<Resource> installedSet = new HashSet<>(installed);
    List<Resource> order = order(byResource.keySet(), wires, installedSet);
    List<Prepared.Add> adds = new ArrayList<>();
    List<Prepared.Update> updates = new ArrayList<>();
    List<Plan.Step> steps = new ArrayList<>();
    List<Plan.PermissionRequest> permissions = new ArrayList<>();
    List<String> starts = new ArrayList<>();
    Map<String, Integer> levels = new HashMap<>();
    int initial = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class)
        .getInitialBundleStartLevel();
    for (Resource r : order) {
      Named n = byResource.get(r);
      if (installedSet.contains(r) || n != null && !kept.contains(n)) {
        continue;
      }
      String identity = PlanContext.identity(r);
      String source = n != null ? n.item().source() : repo.source(r);
      boolean fragment = ResourceUtils.isFragment(r);
      if (n != null && n.replaces() != null) {
        Bundle old = n.replaces().getBundle();
        Plan.Step step = new Plan.Step(Change.Op.UPDATE, PlanContext.name(r), PlanContext.version(r).toString(),
            source, "named; replaces " + old.getVersion());
        steps.add(step);
        if (n.request() != null) {
          permissions.add(n.request());
        }
        boolean active = old.getState() == Bundle.ACTIVE || old.getState() == Bundle.STARTING;
        updates.add(new Prepared.Update(step, old, n.fetched().file(), source, active));
        if (active && !fragment) {
          starts.add(identity);
          BundleStartLevel level = old.adapt(BundleStartLevel.class);
          levels.put(identity, level == null ? initial : level.getStartLevel());
        }
        continue;
      }
      String reason = n != null ? "named" : pulledBy(ctx, wires, r);
      Plan.Step step = new Plan.Step(Change.Op.INSTALL, PlanContext.name(r), PlanContext.version(r).toString(),
          source, reason);
      steps.add(step);
      Plan.PermissionRequest request = n != null ? n.request() : host.permissions(change, null, localFile(source),
          null, source, r);
      if (request != null) {
        permissions.add(request);
      }
      adds.add(new Prepared.Add(step, n == null ? null : n.item(), n == null ? null : n.fetched().file(), source,
          n == null ? null : n.item().location(), fragment));
      if (!fragment) {
        starts.add(identity);
        levels.put(identity, n != null && n.item().startLevel() > 0 ? n.item().startLevel() : initial);
      }
    }
    // Installed bundles that this plan resolves (they waited for a provider) start too.
    for (Resource r : order) {
      if (installedSet.contains(r) && r instanceof BundleRevision br && br.getBundle().getState() == Bundle.INSTALLED
          && !ResourceUtils.isFragment(r)) {
        starts.add(PlanContext.identity(r));
        BundleStartLevel level = br.getBundle().adapt(BundleStartLevel.class);
        levels.put(PlanContext.identity(r), level == null ? initial : level.getStartLevel());
      }
    }
    // So does each plugin to start that resolved already (its providers came meanwhile), unless it runs.
    for (BundleRevision r : started) {
      String identity = PlanContext.identity(r);
      if (!starts.contains(identity) && r.getBundle().getState() != Bundle.ACTIVE && !ResourceUtils.isFragment(r)
          && (wires.containsKey(r) || r.getWiring() != null)) {
        starts.add(identity);
        BundleStartLevel level = r.getBundle().adapt(BundleStartLevel.class);
        levels.put(identity, level == null ? initial : level.getStartLevel());
      }
    }
    // Refreshed bundles that ran run again (the framework restarts them; the plan makes sure).
    List<String> refresh = new ArrayList<>();
    for (BundleRevision d : dependents) {
      refresh.add(PlanContext.identity(d));
      Bundle b = d.getBundle();
      if (wires.containsKey(d) && b.getState() == Bundle.ACTIVE && !ResourceUtils.isFragment(d)
          && !starts.contains(PlanContext.identity(d))) {
        starts.add(PlanContext.identity(d));
        BundleStartLevel level = b.adapt(BundleStartLevel.class);
        levels.put(PlanContext.identity(d), level == null ? initial : level.getStartLevel());
      }
    }
    List<Prepared.Remove> removes = new ArrayList<>();
    for (BundleRevision r : removed) {
      Bundle b = r.getBundle();
      Plan.Step step = new Plan.Step(Change.Op.UNINSTALL, b.getSymbolicName(), b.getVersion().toString(),
          host.recordedSource(b), "named");
      steps.add(step);
      removes.add(new Prepared.Remove(step, b, b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING));
    }
    // By start level, as the framework starts them at boot; the sort is stable, so within a level
    // providers still come before the bundles that need them.
    starts.sort(java.util.Comparator.comparingInt(identity -> levels.getOrDefault(identity, initial)));
    if (change.options().contains(Change.Option.NO_START)) {
      starts.clear();
    }
    permissions.addAll(notGranted);
    Plan plan = new Plan(change, steps, refresh, starts, List.of(), refused, stopped, permissions);
    return new Prepared(plan, adds, updates, removes, () -> named.forEach(n -> n.fetched().discard().run()),
        List.of(), null);
  }

  /** @return the jar of a repository's source when it is a file on this machine (system/, the local Maven repository) */
  private static Path localFile(String source) {
    try {
      Path p = Path.of(source);
      return p.isAbsolute() && java.nio.file.Files.isRegularFile(p) ? p : null;
    } catch (java.nio.file.InvalidPathException e) {
      return null; // a URL
    }
  }

  /**
   * Fetches into the local Maven repository the runtime dependencies that the POMs of {@code requirers}
   * declare, from the configured remote repositories.
   *
   * @return whether anything was downloaded
   */
  private boolean fetchDeclared(java.util.Collection<Resource> requirers, Map<Resource, Named> named, Catalog repo) {
    DependencyVersions dv = versions.get();
    if (dv == null) {
      return false;
    }
    boolean fetched = false;
    for (Resource r : requirers) {
      Named n = named.get(r);
      Poms.Deps deps = n != null ? poms.depsOfJar(n.fetched().file())
          : r instanceof BundleRevision br ? poms.depsOfBundle(br.getBundle()) : poms.depsOfRepository(repo, r);
      for (Map.Entry<String, String> d : deps.runtime().entrySet()) {
        fetched |= dv.fetch(d.getKey(), d.getValue());
      }
    }
    return fetched;
  }

  /** @return the resolved bundles that the framework refreshes with {@code changed}, but those themselves */
  private List<BundleRevision> dependents(Set<Resource> changed) {
    if (changed.isEmpty()) {
      return List.of();
    }
    List<Bundle> bundles = changed.stream().map(r -> ((BundleRevision) r).getBundle()).toList();
    List<BundleRevision> result = new ArrayList<>();
    for (Bundle b : framework.getDependencyClosure(bundles)) {
      BundleRevision r = b.adapt(BundleRevision.class);
      if (r != null && !changed.contains(r) && r.getWiring() != null && b.getState() != Bundle.UNINSTALLED) {
        result.add(r);
      }
    }
    return result;
  }

  /** @return what a change does, as a verb for its messages: {@code install}, {@code update}, {@code uninstall}... */
  public static String verb(Change change) {
    return Explainer.verb(change);
  }

  /** @return what a change names, for its messages */
  /** @return the resource's symbolic name, from its identity capability */
  public static String name(Resource r) {
    return PlanContext.name(r);
  }

  /** @return the resource's version, from its identity capability */
  public static org.osgi.framework.Version version(Resource r) {
    return PlanContext.version(r);
  }

  public static String what(Change change) {
    return Explainer.what(change);
  }

  /** @return what the change names, for a line of the log: the first three only when it names more than five */
  public static String briefly(Change change) {
    return Explainer.briefly(change);
  }

  /** Why the plan takes a repository resource: who needs it, for what, and why this version. */
  private static String pulledBy(PlanContext ctx, Map<Resource, List<Wire>> wires, Resource r) {
    for (Map.Entry<Resource, List<Wire>> e : wires.entrySet()) {
      for (Wire w : e.getValue()) {
        if (w.getProvider().equals(r) && !w.getRequirer().equals(r)) {
          Requirement req = w.getRequirement();
          return "needed by " + PlanContext.identity(w.getRequirer()) + " (" + Explainer.describe(req) + "); "
              + ctx.why(req, r);
        }
      }
    }
    return "needed by the plan";
  }

  /** The resources of the result that are new or newly resolved, providers before those that need them. */
  /**
   * @param named the named sources' resources, in the order the change names them
   * @return the resources of the resolver's result in start order: each after what it is wired to, and
   *     otherwise in the order the change names them (the resolver's result has none of its own)
   */
  private static List<Resource> order(Collection<Resource> named, Map<Resource, List<Wire>> wires,
      Set<Resource> installed) {
    Map<Resource, Integer> rank = new HashMap<>();
    named.forEach(r -> rank.put(r, rank.size()));
    Set<Resource> done = new LinkedHashSet<>();
    for (Resource r : named) {
      if (wires.containsKey(r)) {
        visit(r, wires, rank, done, new HashSet<>());
      }
    }
    for (Resource r : wires.keySet()) {
      visit(r, wires, rank, done, new HashSet<>());
    }
    List<Resource> result = new ArrayList<>();
    for (Resource r : done) {
      if (wires.containsKey(r) && (!installed.contains(r) || r instanceof BundleRevision)) {
        result.add(r);
      }
    }
    return result;
  }

  /** Visits what {@code r} is wired to first: the named ones in the order the change names them, then the others. */
  private static void visit(Resource r, Map<Resource, List<Wire>> wires, Map<Resource, Integer> rank,
      Set<Resource> done, Set<Resource> path) {
    if (done.contains(r) || !path.add(r)) {
      return; // a cycle: the order within it does not matter, they resolve together
    }
    List<Resource> providers = new ArrayList<>(new LinkedHashSet<>(wires.getOrDefault(r, List.of()).stream()
        .map(Wire::getProvider).filter(wires::containsKey).toList()));
    providers.sort(java.util.Comparator.comparingInt(p -> rank.getOrDefault(p, Integer.MAX_VALUE)));
    for (Resource p : providers) {
      visit(p, wires, rank, done, path);
    }
    done.add(r);
  }

  /** @return the version of this dockevOS host, as the system bundle's capability has it */
  private Object hostVersion() {
    BundleRevision system = framework.getBundle().adapt(BundleRevision.class);
    return system.getCapabilities(io.dockevos.api.Host.NAMESPACE).stream()
        .map(c -> c.getAttributes().get(io.dockevos.api.Host.VERSION_ATTRIBUTE)).filter(java.util.Objects::nonNull)
        .findFirst().orElse("unknown");
  }

  private Resolver resolver() throws PluginException {
    ServiceReference<Resolver> ref = context.getServiceReference(Resolver.class);
    Resolver r = ref == null ? null : context.getService(ref);
    if (r == null) {
      throw new PluginException("Cannot plan: the framework offers no Resolver service");
    }
    return r;
  }
}
