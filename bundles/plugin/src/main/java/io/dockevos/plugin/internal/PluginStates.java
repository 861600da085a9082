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
 * Carries a plugin's state over an update: its {@link StatefulPlugin} saves it before, the new
 * version restores it after its start (and the previous one again after a rollback). The data area
 * survives an update anyway.
 */
final class PluginStates {
  private static final Logger LOG = LoggerFactory.getLogger(PluginStates.class);
  private static final String STATE_FILE = ".dockevos-plugin-state";
  private static final long SERVICE_WAIT_MS = 10_000;
  private final PluginManagerImpl m;

  PluginStates(PluginManagerImpl manager) {
    this.m = manager;
  }

  /** A plugin's state, as its {@link StatefulPlugin} saved it before an update. */
  record SavedState(int version, byte[] bytes) {}

  /** @return the running plugin's state, or {@code null} when it offers none */
  SavedState saveState(Bundle bundle) throws PluginException {
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


  void restoreState(Bundle bundle, SavedState saved) throws PluginException {
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
}
