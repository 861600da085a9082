package io.dockevos.plugin.internal;

import io.dockevos.plugin.PluginException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.Bundle;

/** What {@link Replacements} do to the plugin manager's files, configurations and plugins' states. */
final class ReplacementHost implements Replacements.Host {
  private final PluginManagerImpl m;
  private final PluginStates states;

  ReplacementHost(PluginManagerImpl manager, PluginStates states) {
    this.m = manager;
    this.states = states;
  }

  @Override
  public Path storeFile(Bundle bundle) {
    return m.storeFile(bundle);
  }

  @Override
  public void store(Bundle bundle, Path jar) {
    m.store(bundle, jar);
    m.trust.flush();
  }

  @Override
  public Path dataArea(Bundle bundle) {
    return m.dataArea(bundle);
  }

  @Override
  public Path keptData(String symbolicName) throws java.io.IOException {
    return m.keptData(symbolicName);
  }

  @Override
  public List<String> configurationPids(Bundle bundle) {
    return m.configurationPids(bundle);
  }

  @Override
  public void deleteConfigurations(String name, List<String> pids) {
    m.deleteConfigurations(name, pids);
  }

  @Override
  public Object saveState(Bundle bundle) throws PluginException {
    return states.saveState(bundle);
  }

  @Override
  public void restoreState(Bundle bundle, Object state) throws PluginException {
    states.restoreState(bundle, (PluginStates.SavedState) state);
  }

  @Override
  public void refresh(List<Bundle> bundles) {
    m.refresh(bundles);
  }
}
