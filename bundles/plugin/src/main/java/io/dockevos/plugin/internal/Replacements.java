package io.dockevos.plugin.internal;

import io.dockevos.install.ApplyException;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.internal.plan.Prepared;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The updates and uninstalls of a plan, inside its {@link Transaction}: each keeps what going back
 * needs (a copy of the jar, the data area, the start state) in {@code data/plugins/txn/} until the
 * plan commits, so that a failed health gate, or a kill, can put the bundle back as it was.
 */
final class Replacements {
  private static final Logger LOG = LoggerFactory.getLogger(Replacements.class);

  /** What the replacements need of the plugin manager. */
  interface Host {
    /** @return the plugin's copy of its jar, which may not exist */
    Path storeFile(Bundle bundle);

    /** Keeps {@code jar} as the plugin's copy. */
    void store(Bundle bundle, Path jar);

    Path dataArea(Bundle bundle);

    /**
     * @return where an uninstall with {@code --keep-data} keeps the data of a plugin of that name
     * @throws IOException when the name cannot name a folder there (it is no valid symbolic name)
     */
    Path keptData(String symbolicName) throws IOException;

    List<String> configurationPids(Bundle bundle);

    /** Deletes the configurations of a plugin that is gone, named for the log. */
    void deleteConfigurations(String name, List<String> pids);

    /** Asks a running plugin's {@link io.dockevos.plugin.StatefulPlugin} for its state; {@code null} if it has none. */
    Object saveState(Bundle bundle) throws PluginException;

    void restoreState(Bundle bundle, Object state) throws PluginException;

    /** Refreshes the bundles and those wired to them, and waits until that is done. */
    void refresh(List<Bundle> bundles);
  }

  private final BundleContext context;
  private final Path dir;
  private final Host host;
  /** For this plan: what each replaced bundle needs to go back, in the plan's order. */
  private final List<Journal.Replaced> records = new ArrayList<>();
  private final Map<String, Object> states = new HashMap<>();
  private final Map<String, Prepared.Update> updates = new LinkedHashMap<>();
  private final Map<String, Bundle> removed = new LinkedHashMap<>();
  /** The locations of the bundles that {@link #apply} changed already. */
  private final java.util.Set<String> applied = new java.util.HashSet<>();

  Replacements(BundleContext context, Path dir, Host host) {
    this.context = context;
    this.dir = dir;
    this.host = host;
  }

  /**
   * Before anything changes: copies the jars, asks running plugins for their state, notes the
   * configurations of the bundles to uninstall.
   */
  List<Journal.Replaced> prepare(List<Prepared.Update> ups, List<Prepared.Remove> removes, boolean keepData)
      throws PluginException {
    // A name that cannot keep its data (it is no symbolic name, so it is no folder name) is refused first.
    for (Prepared.Remove r : keepData ? removes : List.<Prepared.Remove>of()) {
      try {
        host.keptData(r.bundle().getSymbolicName());
      } catch (IOException e) {
        throw new PluginException("Cannot uninstall " + r.step().identity() + " with --keep-data: " + e.getMessage());
      }
    }
    try {
      Files.createDirectories(dir);
      for (Prepared.Update u : ups) {
        Bundle b = u.bundle();
        String previous = copy(host.storeFile(b), b, "previous");
        String next = copy(u.file(), b, "next");
        if (u.active()) {
          Object state = host.saveState(b);
          if (state != null) {
            states.put(b.getLocation(), state);
          }
        }
        updates.put(b.getLocation(), u);
        records.add(new Journal.Replaced(false, b.getLocation(), b.getSymbolicName(), previous, next, u.source(),
            startLevel(b), u.active(), null, false, List.of()));
      }
      for (Prepared.Remove r : removes) {
        Bundle b = r.bundle();
        String previous = copy(host.storeFile(b), b, "previous");
        removed.put(b.getLocation(), b);
        records.add(new Journal.Replaced(true, b.getLocation(), b.getSymbolicName(), previous, null,
            r.step().source(), startLevel(b), r.active(), dir.resolve(b.getBundleId() + "-data").toString(), keepData,
            // The configurations of the plugin manager's own plugins go with them; those of a deploy-folder
            // bundle belong to their files, which the user manages.
            b.getLocation().startsWith(PluginManagerImpl.LOCATION_PREFIX) ? host.configurationPids(b) : List.of()));
      }
    } catch (IOException e) {
      throw new ApplyException("Cannot keep what a rollback needs in " + dir + ": " + e.getMessage(),
          ApplyException.Stage.JOURNAL, null, e.getMessage(), e, List.of());
    }
    return List.copyOf(records);
  }

  private String copy(Path jar, Bundle b, String what) throws IOException {
    if (jar == null || !Files.isRegularFile(jar)) {
      return null;
    }
    Path to = dir.resolve(b.getBundleId() + "-" + what + ".jar");
    Files.copy(jar, to, StandardCopyOption.REPLACE_EXISTING);
    return to.toString();
  }

  private static int startLevel(Bundle b) {
    BundleStartLevel level = b.adapt(BundleStartLevel.class);
    return level == null ? 1 : level.getStartLevel();
  }

  /**
   * Updates and uninstalls the bundles, then refreshes them with the bundles wired to them.
   *
   * @throws BundleException naming the bundle whose update or uninstall the framework refused
   */
  void apply() throws PluginException {
    List<Bundle> changed = new ArrayList<>();
    for (Journal.Replaced r : records) {
      Bundle b = r.uninstall() ? removed.get(r.location()) : updates.get(r.location()).bundle();
      String identity = b.getSymbolicName() + " " + b.getVersion();
      try {
        if (r.active()) {
          b.stop(); // started again by the plan, in its order
        }
        if (r.uninstall()) {
          Path data = host.dataArea(b);
          if (Files.isDirectory(data)) {
            Files.move(data, Path.of(r.data()), StandardCopyOption.REPLACE_EXISTING);
          }
          b.uninstall();
        } else {
          try (InputStream in = Files.newInputStream(Path.of(r.next()))) {
            b.update(in);
          }
        }
        changed.add(b);
        applied.add(r.location());
      } catch (BundleException | IOException | IllegalStateException e) {
        applied.add(r.location()); // stopped, maybe moved: put back too
        throw new ApplyException("Cannot " + (r.uninstall() ? "uninstall " : "update ") + identity + ": "
            + e.getMessage(), ApplyException.Stage.INSTALL, identity, e.getMessage(), e, List.of());
      }
    }
    if (!changed.isEmpty()) {
      host.refresh(changed);
    }
  }

  /** After the plan's starts: gives each updated plugin the state its previous version saved. */
  void restoreStates() throws PluginException {
    for (Map.Entry<String, Object> e : states.entrySet()) {
      Bundle b = context.getBundle(e.getKey());
      if (b != null && b.getState() == Bundle.ACTIVE) {
        host.restoreState(b, e.getValue());
      }
    }
  }

  /** @return after {@link #undo}: for each updated plugin that runs again, a sentence that says so, or "" */
  String runningAgain() {
    StringBuilder s = new StringBuilder();
    for (Journal.Replaced r : records) {
      Bundle b = r.uninstall() ? null : context.getBundle(r.location());
      if (b != null && b.getState() == Bundle.ACTIVE) {
        s.append(" Rolled ").append(b.getSymbolicName()).append(" back to ").append(b.getVersion())
            .append(", which is running again.");
      }
    }
    return s.toString();
  }

  /** @return the bundles that the plan updated */
  List<Bundle> updated() {
    return updates.values().stream().map(Prepared.Update::bundle).toList();
  }

  /** Puts every replaced bundle back: the previous jar, the data area, the start state. */
  void undo() {
    undo(context, host, records.stream().filter(r -> applied.contains(r.location())).toList(), states);
  }

  private static void undo(BundleContext context, Host host, List<Journal.Replaced> records, Map<String, Object> states) {
    List<Bundle> back = new ArrayList<>();
    List<Bundle> start = new ArrayList<>();
    for (int i = records.size() - 1; i >= 0; i--) {
      Journal.Replaced r = records.get(i);
      Bundle b = context.getBundle(r.location());
      try {
        if (r.previous() == null) {
          if (b == null || !r.uninstall()) {
            LOG.error("Cannot put {} back as it was: there is no copy of its previous jar", r.name());
          }
          continue;
        }
        if (b == null) {
          try (InputStream in = Files.newInputStream(Path.of(r.previous()))) {
            b = context.installBundle(r.location(), in);
          }
          b.adapt(BundleStartLevel.class).setStartLevel(r.startLevel());
          host.store(b, Path.of(r.previous()));
          Path data = r.data() == null ? null : Path.of(r.data());
          if (data != null && Files.isDirectory(data)) {
            Path area = host.dataArea(b);
            Files.createDirectories(area.getParent());
            io.dockevos.common.internal.FileTrees.delete(area);
            Files.move(data, area);
          }
        } else if (!r.uninstall()) {
          if (b.getState() == Bundle.ACTIVE) {
            b.stop(Bundle.STOP_TRANSIENT);
          }
          try (InputStream in = Files.newInputStream(Path.of(r.previous()))) {
            b.update(in);
          }
        }
        back.add(b);
        if (r.active()) {
          start.add(b);
        }
      } catch (BundleException | IOException | IllegalStateException e) {
        LOG.error("Cannot put {} back as it was: {}", r.name(), e.toString(), e);
      }
    }
    if (!back.isEmpty()) {
      host.refresh(back);
    }
    for (int i = start.size() - 1; i >= 0; i--) {
      Bundle b = start.get(i);
      try {
        b.start();
        Object state = states.get(b.getLocation());
        if (state != null) {
          host.restoreState(b, state);
        }
      } catch (BundleException | PluginException | IllegalStateException e) {
        LOG.error("{} is back, but does not start again: {}", b.getSymbolicName(), e.toString());
      }
    }
  }

  /** @return the registry entries of the updated plugins, with their new source */
  static Map<String, Registry.Entry> entries(List<Journal.Replaced> records, Registry registry, Instant now) {
    Map<String, Registry.Entry> result = new LinkedHashMap<>();
    for (Journal.Replaced r : records) {
      Registry.Entry e = registry.get(r.location());
      if (!r.uninstall() && (e != null || r.location().startsWith(PluginManagerImpl.LOCATION_PREFIX))) {
        result.put(r.location(), (e != null ? e : new Registry.Entry(r.source(), now, null, false, null))
            .withSource(r.source()).withUpdated(now).withReason(null));
      }
    }
    return result;
  }

  /** @return the locations of the uninstalled plugins */
  static List<String> removedLocations(List<Journal.Replaced> records) {
    return records.stream().filter(Journal.Replaced::uninstall).map(Journal.Replaced::location).toList();
  }

  /** Once the registry says so: keeps the new jars, lets the uninstalled plugins' data go or keeps it. */
  void commit() {
    complete(context, host, records, true);
  }

  /**
   * The file work of a commit, also after a kill while committing.
   *
   * @param configurations whether Configuration Admin can be asked to delete the configurations
   */
  private static void complete(BundleContext context, Host host, List<Journal.Replaced> records,
      boolean configurations) {
    for (Journal.Replaced r : records) {
      try {
        if (!r.uninstall()) {
          Bundle b = context.getBundle(r.location());
          if (b != null && r.next() != null && Files.isRegularFile(Path.of(r.next()))) {
            host.store(b, Path.of(r.next()));
          }
          continue;
        }
        Path data = r.data() == null ? null : Path.of(r.data());
        if (data != null && Files.isDirectory(data)) {
          if (r.keepData()) {
            Path kept = host.keptData(r.name());
            io.dockevos.common.internal.FileTrees.delete(kept);
            Files.createDirectories(kept.getParent());
            Files.move(data, kept);
          } else {
            io.dockevos.common.internal.FileTrees.delete(data);
          }
        }
        if (!r.keepData() && !r.pids().isEmpty()) {
          if (configurations) {
            host.deleteConfigurations(r.name(), r.pids());
          } else {
            LOG.warn("The configurations {} of {} remain: the uninstall that was to delete them was cut short", r.pids(),
                r.name());
          }
        }
      } catch (IOException e) {
        LOG.warn("Cannot finish the files of {}: {}", r.name(), e.toString());
      }
    }
  }

  /** Deletes what the plan kept for going back. */
  void clear() {
    clear(dir);
  }

  static void clear(Path dir) {
    try {
      io.dockevos.common.internal.FileTrees.delete(dir);
    } catch (IOException e) {
      LOG.warn("Cannot remove {}: {}", dir, e.toString());
    }
  }

  /** After a kill while the plan was applying: puts the replaced bundles back. */
  static void undoAfterKill(BundleContext context, Host host, List<Journal.Replaced> records) {
    undo(context, host, records, Map.of());
  }

  /** After a kill while the plan was committing: finishes its file work. */
  static void completeAfterKill(BundleContext context, Host host, List<Journal.Replaced> records) {
    complete(context, host, records, false);
  }
}
