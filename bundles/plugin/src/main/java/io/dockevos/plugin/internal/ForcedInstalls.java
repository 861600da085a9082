package io.dockevos.plugin.internal;

import io.dockevos.plugin.PluginManager.InstallOption;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginEvents;
import io.dockevos.plugin.PluginException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The installs that do not go through the pipeline: {@code --force} (kept installed though it does
 * not resolve) and {@code NO_RESOLVE}, one source (a jar or an archive) at a time, each bundle
 * recorded as pending until the install ends so that a kill leaves nothing half installed.
 */
final class ForcedInstalls {
  private static final Logger LOG = LoggerFactory.getLogger(ForcedInstalls.class);
  private final PluginManagerImpl mgr;

  ForcedInstalls(PluginManagerImpl manager) {
    this.mgr = manager;
  }

  /**
   * Installs the plugin's bundle (the first jar) and, from an archive, its dependency bundles and
   * configurations, all or nothing: unless every new bundle resolves and starts, what was added is
   * removed again. A dependency that is installed already (same name and version) is used as it is.
   *
   * @param archiveDir the folder the archive was unpacked into, or {@code null} for a single jar
   */
  Plugin installAll(String source, List<Path> jars, List<Path> configs, List<InstallOption> opts,
      Path archiveDir) throws PluginException {
    String what = "Cannot install " + source + ": ";
    List<Path> toInstall = new ArrayList<>();
    List<Sources.Checked> checked = new ArrayList<>();
    for (int i = 0; i < jars.size(); i++) {
      Path jar = jars.get(i);
      String name = archiveDir == null ? source : source + "!/" + archiveDir.relativize(jar);
      Sources.Checked c = Sources.check(jar, name);
      mgr.trust.admit(jar, name);
      Optional<Bundle> same = java.util.stream.Stream.of(mgr.context.getBundles())
          .filter(b -> c.symbolicName().equals(b.getSymbolicName()) && c.version().equals(b.getVersion())).findFirst();
      if (same.isPresent() && i == 0) {
        Bundle b = same.get();
        throw new PluginException(what + c.symbolicName() + " " + c.version() + " is installed already, as plugin "
            + b.getBundleId() + " (" + mgr.sourceOf(b) + "). Use plugin:update " + b.getBundleId()
            + " to replace it, or raise the version.");
      }
      if (same.isEmpty() && checked.stream().noneMatch(o -> o.symbolicName().equals(c.symbolicName())
          && o.version().equals(c.version()))) {
        toInstall.add(jar);
        checked.add(c);
      }
    }
    for (Sources.Checked c : checked) {
      mgr.requireFeatures(what, c);
    }
    List<Bundle> added = new ArrayList<>();
    List<PluginConfigurations.Applied> configured = new ArrayList<>();
    try {
      for (int i = 0; i < toInstall.size(); i++) {
        Sources.Checked c = checked.get(i);
        String location = PluginManagerImpl.freeLocation(mgr.context, c.symbolicName(), c.version().toString(),
            java.util.Set.of());
        // Recorded first, as pending: a kill before the install ends leaves it for the next start to undo.
        mgr.registry.put(location, new Registry.Entry(archiveDir == null ? source
            : source + "!/" + archiveDir.relativize(toInstall.get(i)), PluginManagerImpl.now(), null, false, null, true));
        Bundle bundle;
        try (InputStream in = Files.newInputStream(toInstall.get(i))) {
          bundle = mgr.context.installBundle(location, in);
        } catch (BundleException | IOException e) {
          mgr.registry.remove(location);
          throw new PluginException(what + e.getMessage(), e);
        }
        added.add(bundle);
        mgr.store(bundle, toInstall.get(i));
        mgr.restoreKeptData(bundle);
      }
      mgr.trust.flush();
      configured.addAll(mgr.applyConfigurations(source, configs, added, pid -> { }));
      Bundle plugin = added.get(0);
      if (opts.contains(InstallOption.NO_RESOLVE)) {
        LOG.info("Installed plugin {} {} from {}, not resolved yet", plugin.getSymbolicName(), plugin.getVersion(),
            source);
        return done(added);
      }
      if (!mgr.wiring.resolveBundles(added)) {
        List<MissingRequirement> missing = new ArrayList<>();
        StringBuilder why = new StringBuilder();
        for (Bundle b : added) {
          if (b.getState() == Bundle.INSTALLED) {
            List<MissingRequirement> m = mgr.missingRequirements(b.getBundleId());
            missing.addAll(m);
            why.append(why.length() == 0 ? "" : "; ").append(mgr.unresolved(b, m));
            // For the error handler: the install failed, whatever becomes of the bundle.
            List<org.osgi.framework.wiring.BundleRequirement> unsatisfied = Requirements.unsatisfied(b, mgr.wiring);
            Map<String, Object> more = new HashMap<>();
            more.put(PluginEvents.SOURCE, source);
            if (!unsatisfied.isEmpty()) {
              // As values: the error handler does not parse them back out of text.
              more.put(PluginEvents.REQUIREMENT_NAMESPACES, unsatisfied.stream()
                  .map(org.osgi.framework.wiring.BundleRequirement::getNamespace).toArray(String[]::new));
              more.put(PluginEvents.REQUIREMENT_FILTERS, unsatisfied.stream().map(r -> r.getDirectives()
                  .getOrDefault(org.osgi.resource.Namespace.REQUIREMENT_FILTER_DIRECTIVE, "")).toArray(String[]::new));
            }
            mgr.post(PluginEvents.FAILED, b, mgr.unresolved(b, m), null, more);
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
            mgr.startChecked(added.get(i), what);
          }
        }
      }
      LOG.info("Installed plugin {} {} from {}{}", plugin.getSymbolicName(), plugin.getVersion(), source,
          added.size() > 1 ? " with " + (added.size() - 1) + " more bundle(s)" : "");
      return done(added);
    } catch (PluginException | RuntimeException e) {
      if (!opts.contains(InstallOption.FORCE) || !(e instanceof PluginException)) {
        for (Bundle b : added) {
          mgr.removeQuietly(b);
        }
        mgr.restoreConfigurations(configured);
      } else {
        done(added);
      }
      throw e;
    }
  }

  /** The install ended: its bundles are no longer pending. @return the plugin, the first of them */
  private Plugin done(List<Bundle> added) {
    for (Bundle b : added) {
      Registry.Entry e = mgr.registry.get(b.getLocation());
      if (e != null && e.pending()) {
        mgr.registry.put(b.getLocation(), e.withPending(false));
      }
    }
    return mgr.plugin(added.get(0));
  }

  /** Plugins whose install a kill cut short are removed, as a failed install would have removed them. */
  void undoInterruptedInstalls() {
    mgr.registry.all().forEach((location, e) -> {
      if (!e.pending()) {
        return;
      }
      Bundle b = mgr.context.getBundle(location);
      LOG.warn("The install of {} was cut short when the runtime stopped; removing {}", e.source(),
          b == null ? location : b.getSymbolicName() + " " + b.getVersion());
      if (b != null) {
        try {
          b.uninstall(); // no refresh to wait for here: this runs while the framework starts
        } catch (BundleException | IllegalStateException x) {
          LOG.warn("Cannot remove {}: {}", b, x.toString());
        }
        try {
          Files.deleteIfExists(mgr.storeFile(b));
        } catch (IOException ignored) {
          // a stale copy is harmless
        }
      }
      mgr.registry.remove(location);
    });
  }
}
