package io.dockevos.test.wantsplugins;

import io.dockevos.plugin.PluginManager;

/**
 * A DS component (OSGI-INF/wants-plugins.xml, written by hand) with a mandatory reference to the
 * PluginManager, which its bundle requests with {@code Dockevos-Permissions: plugins.manage}: active
 * only while the plugin holds that permission.
 */
public final class WantsPlugins {
  public void setPlugins(PluginManager plugins) {}

  public void unsetPlugins(PluginManager plugins) {}
}
