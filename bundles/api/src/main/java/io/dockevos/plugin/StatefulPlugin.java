package io.dockevos.plugin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service a plugin registers to carry its state across an update.
 *
 * <p>On {@link PluginManager#update}, the manager calls {@link #saveState()} on the running version
 * before it stops, keeps the bytes in the plugin's data area, and calls {@link
 * #restoreState(int, byte[])} on the new version once it has started, with the version of the state
 * that the old one saved, so that the new one can migrate it. When either call throws, the update is
 * rolled back: the previous version runs again with its own state.
 *
 * @since 0.1
 */
@ConsumerType
public interface StatefulPlugin {
  /** @return the version of the state that {@link #saveState()} writes */
  int stateVersion();

  /** @return the state to carry over, in any format this plugin reads back */
  byte[] saveState() throws Exception;

  /**
   * @param stateVersion the {@link #stateVersion()} of the plugin that saved the state
   * @param state what it saved
   */
  void restoreState(int stateVersion, byte[] state) throws Exception;
}
