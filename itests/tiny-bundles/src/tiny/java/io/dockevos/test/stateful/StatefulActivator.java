package io.dockevos.test.stateful;

import io.dockevos.plugin.StatefulPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A plugin that carries state across an update. Its state is "state of VERSION"; its state
 * version is its major version. What it restores, it writes to restored.txt in its data area.
 * The manifest header X-Restore: fail makes restoreState throw.
 */
public final class StatefulActivator implements BundleActivator, StatefulPlugin {
  private BundleContext context;

  @Override
  public void start(BundleContext context) {
    this.context = context;
    context.registerService(StatefulPlugin.class, this, null);
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the service
  }

  @Override
  public int stateVersion() {
    return context.getBundle().getVersion().getMajor();
  }

  @Override
  public byte[] saveState() {
    return ("state of " + context.getBundle().getVersion()).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void restoreState(int stateVersion, byte[] state) throws Exception {
    if ("fail".equals(context.getBundle().getHeaders().get("X-Restore"))) {
      throw new IllegalStateException("cannot migrate state version " + stateVersion);
    }
    Files.writeString(context.getDataFile("restored.txt").toPath(), context.getBundle().getVersion()
        + " restored state version " + stateVersion + ": " + new String(state, StandardCharsets.UTF_8));
  }
}
