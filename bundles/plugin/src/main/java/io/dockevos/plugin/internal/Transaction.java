package io.dockevos.plugin.internal;

import io.dockevos.common.internal.Parallel;
import io.dockevos.install.ApplyException;
import io.dockevos.install.Change;
import io.dockevos.install.Outcome;
import io.dockevos.install.Plan;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.internal.plan.Prepared;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a plan as one transaction: records it in the {@link Journal}, installs every bundle,
 * resolves them all at once, starts them in the plan's order, passes the {@link HealthGate}, then
 * writes the registry once. Any failure before that restores what was there: the bundles the plan
 * installed are removed, those it started are stopped again.
 */
final class Transaction {
  private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);

  /** What the transaction needs of the plugin manager. */
  interface Host {
    Sources sources();

    Registry registry();

    /** @return why the trust policy refuses the jar, or {@code null} when it admits it */
    String refusal(java.nio.file.Path jar);

    /** Keeps a copy of the jar for a later update's rollback, and gives back data kept at an uninstall. */
    void installed(Bundle bundle, java.nio.file.Path jar);

    /** Removes a bundle the plan installed, with its copy, and refreshes. */
    void remove(List<Bundle> bundles);

    /** Why a bundle failed to start, in plain words. */
    String explain(Bundle bundle, Exception e);

    List<MissingRequirement> missing(Bundle bundle);

    /** Records a start failure and publishes it. */
    void failed(Bundle bundle, String reason, Throwable error);

    /**
     * Gives configuration files of the plan's bundles to Configuration Admin, telling {@code creating}
     * each new PID before it is created. @return what was applied
     */
    List<PluginConfigurations.Applied> applyConfigurations(String source, List<java.nio.file.Path> files,
        List<Bundle> bundles, PluginConfigurations.Creating creating) throws PluginException;

    /** Puts the configurations a failed plan applied back as they were. */
    void restoreConfigurations(List<PluginConfigurations.Applied> applied);
  }

  private final BundleContext context;
  private final FrameworkWiring wiring;
  private final Journal journal;
  private final HealthGate gate;
  private final Host host;
  private final Replacements.Host replacing;

  Transaction(BundleContext context, FrameworkWiring wiring, Journal journal, HealthGate gate, Host host,
      Replacements.Host replacing) {
    this.context = context;
    this.wiring = wiring;
    this.journal = journal;
    this.gate = gate;
    this.host = host;
    this.replacing = replacing;
  }

  /** Where a plan keeps what going back needs, until it commits. */
  static java.nio.file.Path txnDir(Journal journal) {
    return journal.file().resolveSibling("txn");
  }

  /**
   * @return the location of each bundle to install: the one it is given, or the plugin manager's own
   *     {@code name/version}, which an updated bundle may hold already under another version (then a
   *     {@code #n} suffix makes it unique: {@code installBundle} of a location in use would return that
   *     bundle instead of installing)
   */
  private Map<Prepared.Add, String> locations(List<Prepared.Add> adds) {
    Map<Prepared.Add, String> result = new LinkedHashMap<>();
    java.util.Set<String> taken = new java.util.HashSet<>();
    for (Prepared.Add add : adds) {
      if (add.location() != null) {
        result.put(add, add.location());
        taken.add(add.location());
        continue;
      }
      String location = PluginManagerImpl.freeLocation(context, add.step().symbolicName(), add.step().version(), taken);
      taken.add(location);
      result.put(add, location);
    }
    return result;
  }

  /** Applies one plan; the caller holds the pipeline's lock. */
  Outcome apply(Prepared prepared) throws PluginException {
    Plan plan = prepared.plan();
    Change change = plan.change();
    boolean partial = change.options().contains(Change.Option.PARTIAL);
    Map<Prepared.Add, String> locationOf = locations(prepared.adds());
    List<String> locations = List.copyOf(locationOf.values());
    List<Plan.Refused> refused = new ArrayList<>(plan.refused());
    if (prepared.adds().isEmpty() && prepared.updates().isEmpty() && prepared.removes().isEmpty()
        && plan.startOrder().isEmpty()) {
      return new Outcome(plan, List.of(), refused);
    }
    Replacements replacements = new Replacements(context, txnDir(journal), replacing);
    List<Journal.Replaced> replaced;
    Journal.Entry applying;
    try {
      replaced = replacements.prepare(prepared.updates(), prepared.removes(),
          change.options().contains(Change.Option.KEEP_DATA));
      applying = new Journal.Entry(change.origin(), sources(change), Journal.State.APPLYING, locations, Map.of(),
          replaced);
      write(applying);
    } catch (PluginException | RuntimeException e) {
      replacements.clear();
      throw e;
    }
    List<Bundle> added = new ArrayList<>();
    Map<Bundle, Prepared.Add> addOf = new LinkedHashMap<>();
    List<Bundle> started = new ArrayList<>();
    List<PluginConfigurations.Applied> configured = new ArrayList<>();
    try {
      // Updates and uninstalls first: a file of the deploy folder may give its location to another bundle.
      replacements.apply();
      // Installed side by side: each install reads and copies a jar. Every bundle installed is known
      // before a failure is thrown, so that going back removes them all.
      List<Prepared.Add> adds = prepared.adds();
      List<Parallel.Outcome<Bundle>> installs = Parallel.map(adds, add -> install(change, add, locationOf.get(add)));
      PluginException firstFailure = null;
      for (int i = 0; i < adds.size(); i++) {
        Parallel.Outcome<Bundle> o = installs.get(i);
        if (o.failed()) {
          if (firstFailure == null) {
            firstFailure = o.failure() instanceof PluginException pe ? pe : failure(change, ApplyException.Stage.INSTALL,
                adds.get(i).step().identity(), "it cannot be installed: " + o.failure(), o.failure(), List.of());
          }
        } else {
          added.add(o.value());
          addOf.put(o.value(), adds.get(i));
        }
      }
      if (firstFailure != null) {
        throw firstFailure;
      }
      if (!prepared.configurations().isEmpty()) {
        // Each new configuration is journaled before it is created, so that undoing after a kill deletes it.
        List<String> created = new ArrayList<>();
        configured.addAll(host.applyConfigurations(prepared.configSource(), prepared.configurations(), added, pid -> {
          created.add(pid);
          write(applying.creating(created));
        }));
      }
      java.util.Set<Bundle> toResolve = new java.util.LinkedHashSet<>(added);
      toResolve.addAll(replacements.updated());
      Map<String, Bundle> bundles = byIdentity();
      for (String identity : plan.startOrder()) {
        Bundle b = bundles.get(identity);
        if (b != null && !toResolve.contains(b)) {
          toResolve.add(b);
        }
      }
      if (!wiring.resolveBundles(toResolve)) {
        List<Bundle> unresolved = toResolve.stream().filter(b -> b.getState() == Bundle.INSTALLED).toList();
        if (!partial) {
          List<MissingRequirement> missing = new ArrayList<>();
          unresolved.forEach(b -> missing.addAll(host.missing(b)));
          String names = String.join(", ", unresolved.stream().map(b -> b.getSymbolicName() + " " + b.getVersion())
              .toList());
          throw failure(change, ApplyException.Stage.RESOLVE, unresolved.size() == 1 ? names : null, names
              + " did not resolve, although the plan found every provider; the resolver's account is in the log", null,
              missing);
        }
        for (Bundle b : unresolved) {
          Prepared.Add add = addOf.get(b);
          if (add != null && add.item() != null) {
            refused.add(new Plan.Refused(add.item(), b.getSymbolicName() + " " + b.getVersion() + " did not resolve",
                host.missing(b)));
          }
        }
      }
      for (String identity : plan.startOrder()) {
        Bundle b = bundles.get(identity);
        if (b == null || b.getState() == Bundle.ACTIVE || b.getState() == Bundle.INSTALLED && partial) {
          continue;
        }
        try {
          b.start();
          started.add(b);
        } catch (BundleException | IllegalStateException e) {
          String why = host.explain(b, e);
          host.failed(b, why, e);
          Prepared.Add add = addOf.get(b);
          if (!partial) {
            throw failure(change, ApplyException.Stage.START, b.getSymbolicName() + " " + b.getVersion(), why, e,
                List.of());
          }
          if (add != null && add.item() != null) {
            refused.add(new Plan.Refused(add.item(), why, List.of()));
          }
        }
      }
      replacements.restoreStates();
      if (!partial && !change.options().contains(Change.Option.NO_GATE)
          && !change.options().contains(Change.Option.NO_START)) {
        // Every bundle the plan starts, also those that were running and that a refresh restarted.
        List<Bundle> gated = new ArrayList<>(started);
        for (String identity : plan.startOrder()) {
          Bundle b = bundles.get(identity);
          if (b != null && !gated.contains(b)) {
            gated.add(b);
          }
        }
        List<String> problems = gate.await(gated);
        if (!problems.isEmpty()) {
          throw failure(change, ApplyException.Stage.GATE, null, "the health gate failed after "
              + gate.timeoutMs() / 1000.0 + " s: " + String.join("; ", problems), null, List.of());
        }
      }
    } catch (PluginException | RuntimeException e) {
      undo(added, started);
      replacements.undo();
      host.restoreConfigurations(configured);
      replacements.clear();
      journalDone();
      String back = ". Everything was put back as it was." + replacements.runningAgain();
      if (e instanceof ApplyException ae) {
        throw new ApplyException(ae.getMessage() + back, ae.stage(), ae.bundle(), ae.reason(), ae.getCause(),
            ae.missing());
      }
      if (e instanceof PluginException pe) {
        throw new ApplyException(pe.getMessage() + back, ApplyException.Stage.CONFIGURE, null, pe.getMessage(),
            pe.getCause(), pe.missing());
      }
      throw (RuntimeException) e;
    }
    // Commit: one registry write, with the journal saying so first.
    Map<String, Registry.Entry> entries = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    for (Bundle b : added) {
      Prepared.Add add = addOf.get(b);
      if (add.location() == null) {
        entries.put(b.getLocation(), new Registry.Entry(add.source(), now, null, false, null));
        sources.put(b.getLocation(), add.source());
      }
    }
    write(new Journal.Entry(change.origin(), sources(change), Journal.State.COMMITTING, locations, sources, replaced));
    entries.putAll(Replacements.entries(replaced, host.registry(), now));
    host.registry().change(entries, Replacements.removedLocations(replaced));
    replacements.commit();
    replacements.clear();
    journalDone();
    LOG.info("Applied the plan of {} ({}): {} bundle(s) installed, {} updated, {} uninstalled{}", change.origin(),
        io.dockevos.plugin.internal.plan.Planner.briefly(change), added.size(), prepared.updates().size(), prepared.removes().size(),
        refused.isEmpty() ? "" : ", " + refused.size() + " refused");
    List<Long> ids = new ArrayList<>(added.stream().map(Bundle::getBundleId).toList());
    replacements.updated().forEach(b -> ids.add(b.getBundleId()));
    return new Outcome(plan, ids, refused);
  }

  /** Installs one bundle of the plan: fetched, admitted, installed, stored. */
  private Bundle install(Change change, Prepared.Add add, String location) throws PluginException {
    Sources.Fetched fetched = add.file() != null ? new Sources.Fetched(add.file(), false)
        : host.sources().fetch(add.source());
    try (InputStream in = Files.newInputStream(fetched.file())) {
      // Named jars were admitted when planned; this also admits what the plan took from the repositories.
      String untrusted = host.refusal(fetched.file());
      if (untrusted != null) {
        throw failure(change, ApplyException.Stage.INSTALL, add.step().identity(), add.step().identity() + " from "
            + add.source() + " is refused: " + untrusted, null, List.of());
      }
      Bundle b = context.installBundle(location, in);
      if (add.item() != null && add.item().startLevel() > 0) {
        b.adapt(BundleStartLevel.class).setStartLevel(add.item().startLevel());
      }
      host.installed(b, fetched.file());
      return b;
    } catch (BundleException | IOException e) {
      throw failure(change, ApplyException.Stage.INSTALL, add.step().identity(), "it cannot be installed from "
          + add.source() + ": " + e.getMessage(), e, List.of());
    } finally {
      fetched.discard();
    }
  }

  private static ApplyException failure(Change change, ApplyException.Stage stage, String bundle, String reason,
      Throwable cause, List<MissingRequirement> missing) {
    return new ApplyException("Cannot " + io.dockevos.plugin.internal.plan.Planner.verb(change) + " " + sources(change)
        + ": " + reason, stage, bundle, reason, cause, missing);
  }

  private void undo(List<Bundle> added, List<Bundle> started) {
    for (int i = started.size() - 1; i >= 0; i--) {
      Bundle b = started.get(i);
      if (!added.contains(b)) {
        try {
          b.stop(Bundle.STOP_TRANSIENT);
        } catch (BundleException | IllegalStateException e) {
          LOG.warn("Cannot stop {} again: {}", b, e.toString());
        }
      }
    }
    host.remove(added);
  }

  private void write(Journal.Entry e) throws PluginException {
    try {
      journal.write(e);
    } catch (IOException x) {
      String why = "the install journal " + journal.file() + " cannot be written: " + x.getMessage();
      throw new ApplyException("Cannot apply the plan of " + e.origin() + ": " + why, ApplyException.Stage.JOURNAL, null,
          why, x, List.of());
    }
  }

  private void journalDone() {
    try {
      journal.delete();
    } catch (IOException e) {
      LOG.error("Cannot delete the install journal {}: {}", journal.file(), e.toString());
    }
  }

  /** @return every installed bundle by {@code name version} */
  private Map<String, Bundle> byIdentity() {
    Map<String, Bundle> result = new java.util.HashMap<>();
    for (Bundle b : context.getBundles()) {
      result.put(b.getSymbolicName() + " " + b.getVersion(), b);
    }
    return result;
  }

  /**
   * Deletes the configurations an interrupted plan created. It runs as the plugin manager is made,
   * before its references are set, so it asks the framework for Configuration Admin itself.
   */
  private static void deleteConfigurations(BundleContext context, Journal.Entry e) {
    if (e.configurations().isEmpty()) {
      return;
    }
    org.osgi.framework.ServiceReference<org.osgi.service.cm.ConfigurationAdmin> ref =
        context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class);
    org.osgi.service.cm.ConfigurationAdmin ca = ref == null ? null : context.getService(ref);
    if (ca == null) {
      LOG.warn("The configurations {} that the interrupted plan of {} created remain: Configuration Admin is not"
          + " running", e.configurations(), e.origin());
      return;
    }
    try {
      PluginConfigurations.delete(ca, "the interrupted plan of " + e.origin(), e.configurations());
    } finally {
      context.ungetService(ref);
    }
  }

  private static String sources(Change change) {
    return io.dockevos.plugin.internal.plan.Planner.what(change);
  }

  /**
   * After a kill: undoes a plan that was applying (removes every bundle it installed) or completes
   * one that was committing (writes its registry entries), and logs which. Runs before anything
   * starts the plan's bundles.
   */
  static void recover(BundleContext context, Journal journal, Registry registry, Replacements.Host replacing) {
    Journal.Entry e;
    try {
      e = journal.read();
    } catch (IOException x) {
      LOG.error("{}; the plan it recorded is neither undone nor completed", x.getMessage());
      return;
    }
    if (e == null) {
      return;
    }
    if (e.state() == Journal.State.COMMITTING) {
      Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
      Map<String, Registry.Entry> entries = new LinkedHashMap<>();
      e.sources().forEach((location, source) -> {
        if (context.getBundle(location) != null && registry.get(location) == null) {
          entries.put(location, new Registry.Entry(source, now, null, false, null));
        }
      });
      entries.putAll(Replacements.entries(e.replaced(), registry, now));
      registry.change(entries, Replacements.removedLocations(e.replaced()));
      Replacements.completeAfterKill(context, replacing, e.replaced());
      LOG.warn("The plan of {} ({}) was cut short when the runtime stopped, while it was being committed; completed"
          + " it: {} bundle(s) recorded, {} forgotten", e.origin(), e.what(), entries.size(),
          Replacements.removedLocations(e.replaced()).size());
    } else {
      List<String> removed = new ArrayList<>();
      for (String location : e.locations()) {
        Bundle b = context.getBundle(location);
        if (b != null) {
          try {
            b.uninstall();
            removed.add(b.getSymbolicName() + " " + b.getVersion());
          } catch (BundleException | IllegalStateException x) {
            LOG.error("Cannot remove {} of an interrupted plan: {}", b, x.toString());
          }
        }
      }
      Replacements.undoAfterKill(context, replacing, e.replaced());
      deleteConfigurations(context, e);
      LOG.warn("The plan of {} ({}) was cut short when the runtime stopped; undid it: removed {}{}", e.origin(),
          e.what(), removed.isEmpty() ? "nothing (it had installed nothing yet)" : String.join(", ", removed),
          e.replaced().isEmpty() ? "" : "; put back " + String.join(", ", e.replaced().stream()
              .map(Journal.Replaced::name).toList()));
    }
    Replacements.clear(txnDir(journal));
    try {
      journal.delete();
    } catch (IOException x) {
      LOG.error("Cannot delete the install journal {}: {}", journal.file(), x.toString());
    }
  }
}
