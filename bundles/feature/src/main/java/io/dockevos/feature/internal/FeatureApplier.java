package io.dockevos.feature.internal;

import io.dockevos.common.internal.Filters;
import io.dockevos.feature.FeatureException;
import io.dockevos.feature.FeatureManager.Progress;
import io.dockevos.install.Installer;
import io.dockevos.install.Plan;
import io.dockevos.install.PlanException;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes what is installed for a feature: plans its new bundles with the {@link Installer}, gives
 * its configurations to Configuration Admin, applies the plan (one resolve, start order, health
 * gate), and undoes all of it when a step fails; uninstalls a feature's bundles and configurations;
 * and undoes an install that a kill cut short.
 */
final class FeatureApplier {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureApplier.class);
  static final String NOTHING_REMAINS = "Nothing the install added remains installed.";

  private final BundleContext context;
  private final PluginManager plugins;
  private final Installer installer;
  private final ConfigurationAdmin configAdmin;
  private final FeatureRegistry registry;

  FeatureApplier(BundleContext context, PluginManager plugins, Installer installer, ConfigurationAdmin configAdmin,
      FeatureRegistry registry) {
    this.context = context;
    this.plugins = plugins;
    this.installer = installer;
    this.configAdmin = configAdmin;
    this.registry = registry;
  }

  // ---- plan --------------------------------------------------------------------------------------

  /**
   * Plans the feature's bundles that are not installed yet: one resolve for all of them.
   *
   * @throws FeatureException naming each bundle that does not resolve and what it misses; nothing changed
   */
  Plan plan(FeaturePlanner.Result fp) throws FeatureException {
    String what = "Cannot install feature " + fp.feature().label() + ": ";
    try {
      return installer.plan(fp.change());
    } catch (PlanException e) {
      throw new FeatureException(what + unresolved(fp, e) + "\nNothing was installed.", e);
    } catch (PluginException e) {
      throw new FeatureException(what + withoutPrefix(fp, e.getMessage()) + ". Nothing was installed.", e);
    }
  }

  /** @return the plan as {@code feature:install --dry-run} shows it: with the PIDs of the feature's configurations */
  static Plan withConfigurations(Plan plan, Descriptor d) {
    return new Plan(plan.change(), plan.steps(), plan.refresh(), plan.startOrder(),
        d.configurations().stream().map(Descriptor.ConfigSpec::pid).toList(), plan.refused(), plan.stopped(),
        plan.permissions());
  }

  /** Each feature bundle that does not resolve, with what it misses, as the feature manager has always said it. */
  static String unresolved(FeaturePlanner.Result fp, PlanException e) {
    List<MissingRequirement> missing = e.unsatisfied();
    if (missing.isEmpty()) {
      return withoutPrefix(fp, e.getMessage());
    }
    Map<String, List<MissingRequirement>> byRequirer = new LinkedHashMap<>();
    missing.forEach(m -> byRequirer.computeIfAbsent(m.requiringBundle(), k -> new ArrayList<>()).add(m));
    List<String> causes = new ArrayList<>();
    for (Map.Entry<String, List<MissingRequirement>> entry : byRequirer.entrySet()) {
      String who = fp.byKey(entry.getKey()).map(FeaturePlanner.Planned::label).orElse(entry.getKey());
      StringBuilder s = new StringBuilder("bundle ").append(who).append(" does not resolve; it requires:");
      entry.getValue().forEach(m -> s.append("\n  - ").append(m.explained()));
      causes.add(s.toString());
    }
    return String.join("\n", causes);
  }

  /** The installer's message without its {@code Cannot install SOURCES: } and its closing sentence. */
  static String withoutPrefix(FeaturePlanner.Result fp, String message) {
    String prefix = "Cannot install " + String.join(", ", fp.change().items().stream().map(i -> i.source()).toList())
        + ": ";
    String m = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    for (String end : List.of(". Everything was put back as it was.", ". Nothing was installed.")) {
      if (m.endsWith(end)) {
        m = m.substring(0, m.length() - end.length());
      }
    }
    return m;
  }

  /** A failure of the plan's apply, naming the feature's bundle by its Maven ID when it is about one. */
  static String applyFailure(FeaturePlanner.Result fp, PluginException e) {
    if (!(e instanceof io.dockevos.install.ApplyException ae)) {
      return withoutPrefix(fp, e.getMessage()) + ".";
    }
    String bundle = ae.bundle() == null ? null : fp.byKey(ae.bundle()).map(b -> b.spec().id()).orElse(null);
    return (bundle != null ? "bundle " + bundle + ": " : "") + ae.reason() + ".";
  }


  // ---- install -----------------------------------------------------------------------------------

  /**
   * Installs a planned feature: its configurations, then the plan, then starts its bundles that were
   * there but not running. Any failure puts everything back and says so.
   *
   * @param plan the plan {@link #plan} made of {@code fp}
   * @param repair the record of the feature when it is repaired, or null
   * @return the record of the installed feature, written to the registry
   */
  FeatureRegistry.Installed install(FeaturePlanner.Result fp, Plan plan, Progress progress,
      FeatureRegistry.Installed repair) throws FeatureException {
    Descriptor d = fp.feature();
    String what = "Cannot install feature " + d.label() + ": ";
    List<String> planned = plan.installs().stream().map(Plan.Step::identity).toList();
    List<Long> added = new ArrayList<>();
    List<Bundle> startedShared = new ArrayList<>();
    List<Runnable> undoConfigs = new ArrayList<>();
    List<String> createdConfigs = new ArrayList<>();
    Map<String, Bundle> present = InstalledBundles.byIdentity(context);
    List<FeaturePlanner.Planned> bundles = fp.bundles();
    int n = bundles.size();
    try {
      journal(d, planned, createdConfigs);
      for (int i = 0; i < n; i++) {
        FeaturePlanner.Planned b = bundles.get(i);
        progress.step(i + 1, n, b.present() ? "bundle " + (i + 1) + "/" + n + ": " + b.label() + " is installed already"
            : "installing bundle " + (i + 1) + "/" + n + ": " + b.label());
      }
      applyConfigurations(d, undoConfigs, createdConfigs, planned);
      // The plan starts its bundles; those of the feature that were there but not running start after.
      List<Bundle> toStart = new ArrayList<>();
      for (FeaturePlanner.Planned b : bundles) {
        Bundle bundle = present.get(b.key());
        if (b.present() && bundle != null && !InstalledBundles.running(bundle) && !InstalledBundles.isFragment(bundle)
            && !plan.startOrder().contains(b.key())) {
          toStart.add(bundle);
        }
      }
      toStart.sort(Comparator.comparingInt(b -> b.adapt(BundleStartLevel.class).getStartLevel()));
      List<String> starts = new ArrayList<>(plan.startOrder());
      toStart.forEach(b -> starts.add(InstalledBundles.key(b)));
      for (int i = 0; i < starts.size(); i++) {
        String key = starts.get(i);
        progress.step(i + 1, starts.size(), "starting bundle " + (i + 1) + "/" + starts.size() + ": "
            + fp.byKey(key).map(FeaturePlanner.Planned::label).orElse(key));
      }
      if (!plan.isEmpty()) {
        try {
          added.addAll(installer.apply(plan).bundles());
        } catch (PluginException e) {
          throw new FeatureException(what + applyFailure(fp, e), e);
        }
      }
      for (Bundle b : toStart) {
        try {
          plugins.start(String.valueOf(b.getBundleId()));
        } catch (PluginException e) {
          String prefix = "Cannot start " + b.getSymbolicName() + ": ";
          String why = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
          String id = fp.byKey(InstalledBundles.key(b)).map(p -> p.spec().id()).orElse(InstalledBundles.key(b));
          throw new FeatureException(what + "bundle " + id + ": " + why + ".", e);
        }
        startedShared.add(b);
      }
      List<FeatureRegistry.Bundle> records = new ArrayList<>();
      for (FeaturePlanner.Planned b : bundles) {
        records.add(new FeatureRegistry.Bundle(b.spec().id(), b.identity().symbolicName(),
            b.identity().version().toString(), b.owned()));
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
      return rec;
    } catch (FeatureException | RuntimeException e) {
      rollback(d, added, startedShared, undoConfigs);
      registry.donePending();
      String message = e instanceof FeatureException ? e.getMessage() : what + e;
      throw new FeatureException(message + (message.contains("\n") ? "\n" : " ") + NOTHING_REMAINS, e);
    }
  }

  /**
   * Records what the install will add (the bundles of its plan, by symbolic name and version: the
   * planner refuses one that is installed, so any found later came from this install) and the
   * configurations it created, for {@link #undoInterruptedInstall}.
   */
  private void journal(Descriptor d, List<String> bundles, List<String> createdConfigs) throws FeatureException {
    try {
      registry.pending(new FeatureRegistry.Pending(d.id(), List.copyOf(bundles), List.copyOf(createdConfigs)));
    } catch (IOException e) {
      throw new FeatureException("Cannot install feature " + d.label() + ": the record of the install under way, "
          + registry.copy(d.id()).getParent().resolveSibling("registry.json") + ", cannot be written: " + e, e);
    }
  }

  /**
   * Gives the feature's configurations to Configuration Admin; each undo puts one back as it was,
   * and the PID of each that did not exist before goes into {@code created}, and into the journal
   * before it is created: a kill between the two leaves no configuration that the next start does
   * not remove with the rest of the install.
   */
  private void applyConfigurations(Descriptor d, List<Runnable> undo, List<String> created, List<String> planned)
      throws FeatureException {
    for (Descriptor.ConfigSpec c : d.configurations()) {
      try {
        Configuration config = c.factoryPid() == null ? configAdmin.getConfiguration(c.pid(), "?")
            : configAdmin.getFactoryConfiguration(c.factoryPid(), c.name(), "?");
        Dictionary<String, Object> before = config.getProperties();
        if (before != null) {
          // As Karaf's features do: a configuration that is there already (the user's, the runtime's,
          // another plugin's) is never replaced; a PID.cfg in deploy/ changes it.
          LOG.info("Feature {} keeps the configuration {} that is there already, and does not apply its own",
              d.label(), config.getPid());
          continue;
        }
        created.add(config.getPid());
        journal(d, planned, created);
        Hashtable<String, Object> values = new Hashtable<>();
        c.values().forEach((k, v) -> values.put(k, v instanceof String s ? expand(s, d.variables(),
            context::getProperty) : v));
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

  /** {@code ${name}} from the feature's variables, then {@code properties} (the framework's, then the system's). */
  static String expand(String value, Map<String, Object> variables, Function<String, Object> properties) {
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
      Object v = variables.containsKey(name) ? variables.get(name) : properties.apply(name);
      out.append(v == null ? "${" + name + "}" : v);
      i = end + 1;
    }
    return out.toString();
  }

  private void rollback(Descriptor d, List<Long> added, List<Bundle> startedShared, List<Runnable> undoConfigs) {
    List<Long> reverse = new ArrayList<>(added);
    Collections.reverse(reverse);
    for (long id : reverse) {
      try {
        plugins.uninstall(String.valueOf(id), true);
      } catch (PluginException | RuntimeException e) {
        LOG.error("Cannot remove bundle {} after the failed install of feature {}: {}", id, d.label(), e.toString());
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

  /** An install that a crash or a kill cut short is undone, as a failed one would have been. */
  void undoInterruptedInstall() {
    Optional<FeatureRegistry.Pending> pending = registry.pending();
    if (pending.isEmpty()) {
      return;
    }
    FeatureRegistry.Pending p = pending.get();
    LOG.warn("The install of feature {} was cut short when the runtime stopped; removing what it had added: {} bundles,"
        + " {} configurations", p.feature(), p.bundles().size(), p.configurations().size());
    Map<String, Bundle> byIdentity = InstalledBundles.byIdentity(context);
    for (String bundle : p.bundles()) {
      Bundle b = context.getBundle(bundle);
      if (b == null) {
        b = byIdentity.get(bundle);
      }
      if (b != null) {
        try {
          plugins.uninstall(String.valueOf(b.getBundleId()), true);
        } catch (PluginException | RuntimeException e) {
          LOG.error("Cannot remove {} of the interrupted install of {}: {}", bundle, p.feature(), e.toString());
        }
      }
    }
    for (String pid : p.configurations()) {
      deleteConfiguration(pid);
    }
    registry.donePending();
  }

  // ---- uninstall ---------------------------------------------------------------------------------

  /**
   * @return the change that uninstalls the bundles the feature installed that no other installed
   *     feature names, last installed first; their data is kept, as a feature's install gives it back
   */
  io.dockevos.install.Change uninstallChange(FeatureRegistry.Installed rec) {
    Map<String, Bundle> bundles = InstalledBundles.byIdentity(context);
    List<FeatureRegistry.Installed> others = new ArrayList<>(registry.installed());
    others.removeIf(o -> o.id().equals(rec.id()));
    List<FeatureRegistry.Bundle> owned = new ArrayList<>(rec.bundles());
    owned.removeIf(b -> !b.owned());
    Collections.reverse(owned);
    List<io.dockevos.install.Change.Item> items = new ArrayList<>();
    for (FeatureRegistry.Bundle fb : owned) {
      Bundle b = bundles.get(InstalledBundles.key(fb.symbolicName(), fb.version()));
      if (b != null && heir(others, fb).isEmpty()) {
        items.add(io.dockevos.install.Change.Item.uninstall(String.valueOf(b.getBundleId())));
      }
    }
    return new io.dockevos.install.Change(items, io.dockevos.install.Change.Scope.GIVEN,
        Set.of(io.dockevos.install.Change.Option.PARTIAL, io.dockevos.install.Change.Option.KEEP_DATA),
        "feature:uninstall " + rec.name());
  }

  /** @return the other installed feature that names the bundle too, which keeps it */
  private static Optional<FeatureRegistry.Installed> heir(List<FeatureRegistry.Installed> others,
      FeatureRegistry.Bundle fb) {
    return others.stream().filter(o -> o.bundles().stream().anyMatch(ob -> ob.sameBundle(fb.symbolicName(),
        fb.version()))).findFirst();
  }

  /**
   * Uninstalls the bundles the feature installed that no other installed feature names (one that
   * does becomes that feature's), and its configurations that no other feature applies, then forgets it.
   *
   * @param keptPids the PIDs that other features (boot ones too) apply
   * @return what could not be done, one sentence each
   */
  List<String> uninstall(FeatureRegistry.Installed rec, Set<String> keptPids) {
    List<String> problems = new ArrayList<>();
    List<FeatureRegistry.Installed> others = new ArrayList<>(registry.installed());
    others.removeIf(o -> o.id().equals(rec.id()));
    // One plan removes every bundle that goes, refreshing what was wired to them once.
    try {
      io.dockevos.install.Outcome outcome = installer.execute(uninstallChange(rec));
      for (io.dockevos.install.Plan.Refused r : outcome.refused()) {
        problems.add(r.reason());
      }
    } catch (PluginException | RuntimeException e) {
      problems.add(e.getMessage());
    }
    List<FeatureRegistry.Bundle> owned = new ArrayList<>(rec.bundles());
    owned.removeIf(b -> !b.owned());
    for (FeatureRegistry.Bundle fb : owned) {
      Optional<FeatureRegistry.Installed> heir = heir(others, fb);
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
      }
    }
    Set<String> kept = new HashSet<>(keptPids);
    others.forEach(o -> kept.addAll(o.configurations()));
    for (String pid : rec.configurations()) {
      if (!kept.contains(pid)) {
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
    return problems;
  }

  /** @return null, or why the configuration cannot be deleted */
  private String deleteConfiguration(String pid) {
    try {
      Configuration[] configs = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + Filters.escape(pid) + ")");
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

}
