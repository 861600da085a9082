package io.dockevos.plugin.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.StatefulPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevisions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Updates a plugin from a new source: its data area survives, a {@link StatefulPlugin} carries its
 * state over, and a new version that fails to resolve or start is rolled back to the previous one.
 */
final class PluginUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(PluginUpdates.class);
  private static final String STATE_FILE = ".dockevos-plugin-state";
  private static final long SERVICE_WAIT_MS = 10_000;
  private final PluginManagerImpl m;

  PluginUpdates(PluginManagerImpl manager) {
    this.m = manager;
  }

  Plugin update(String ref, String source) throws PluginException {
    Bundle bundle = m.bundle(ref);
    m.refuseBoot(bundle, "update");
    Registry.Entry entry = m.entry(bundle);
    String from = source != null ? source : entry.source();
    String oldVersion = bundle.getVersion().toString();
    Sources.Fetched fetched = m.sources.fetch(from);
    try {
      Sources.Checked jar = Sources.check(fetched.file(), from);
      if (!jar.symbolicName().equals(bundle.getSymbolicName())) {
        throw new PluginException("Cannot update " + bundle.getSymbolicName() + " from " + from + ": that is "
            + jar.symbolicName() + ", another plugin. Install it with plugin:install.");
      }
      boolean wasActive = bundle.getState() == Bundle.ACTIVE;
      SavedState saved = wasActive ? saveState(bundle) : null;
      Path previous = m.storeFile(bundle);
      try {
        try (InputStream in = Files.newInputStream(fetched.file())) {
          bundle.update(in);
        }
        refreshIfNeeded(bundle);
        if (!m.resolve(bundle)) {
          throw new PluginException(m.unresolved(bundle, m.missingRequirements(bundle.getBundleId())), null,
              m.missingRequirements(bundle.getBundleId()));
        }
        if (wasActive) {
          m.startChecked(bundle, "");
        }
        if (saved != null) {
          restoreState(bundle, saved);
        }
      } catch (PluginException | BundleException | IOException | RuntimeException e) {
        String why = e instanceof PluginException ? e.getMessage() : m.explain(bundle, (Exception) e);
        rollback(bundle, previous, wasActive, saved);
        String message = "Cannot update " + bundle.getSymbolicName() + " " + oldVersion + " to " + jar.version()
            + ": " + why + ". Rolled back to " + oldVersion + (wasActive ? ", which is running again." : ".");
        throw new PluginException(message, e, e instanceof PluginException pe ? pe.missing() : List.of());
      }
      m.store(bundle, fetched.file());
      m.registry.put(bundle.getLocation(), m.entry(bundle).withSource(from).withUpdated(PluginManagerImpl.now()).withReason(null));
      LOG.info("Updated plugin {} from {} to {} ({})", bundle.getSymbolicName(), oldVersion, bundle.getVersion(), from);
      return m.plugin(bundle);
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
    StatefulPlugin hook = (StatefulPlugin) m.context.getService(ref);
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
      m.context.ungetService(ref);
    }
  }

  /** Keeps the saved state in the plugin's data area, so that it outlives a crash during the update. */
  private void writeState(Bundle bundle, SavedState saved) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 + saved.bytes().length).putInt(saved.version()).put(saved.bytes());
    AtomicFiles.write(m.dataArea(bundle).resolve(STATE_FILE), buf.array());
  }


  private void restoreState(Bundle bundle, SavedState saved) throws PluginException {
    long deadline = System.currentTimeMillis() + SERVICE_WAIT_MS;
    ServiceReference<?> ref = statefulService(bundle);
    while (ref == null && System.currentTimeMillis() < deadline) {
      PluginManagerImpl.sleep(50);
      ref = statefulService(bundle);
    }
    if (ref == null) {
      LOG.warn("{} {} registers no StatefulPlugin service: the state that {} saved is left in {}",
          bundle.getSymbolicName(), bundle.getVersion(), bundle.getSymbolicName(), m.dataArea(bundle).resolve(STATE_FILE));
      return;
    }
    StatefulPlugin hook = (StatefulPlugin) m.context.getService(ref);
    try {
      hook.restoreState(saved.version(), saved.bytes());
    } catch (Exception e) {
      throw new PluginException(bundle.getSymbolicName() + " " + bundle.getVersion()
          + " could not restore the state (version " + saved.version() + "): its restoreState threw " + e, e);
    } finally {
      m.context.ungetService(ref);
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
      m.refresh(List.of(bundle));
    }
  }
}
