package io.dockevos.plugin;

import java.util.List;

/**
 * Why a plugin is not {@link PluginState#ACTIVE}, in plain words: the words of its {@link
 * BundleDiagnosis} ({@link BundleDiagnosis#problems()}, {@link BundleDiagnosis#fixes()}).
 *
 * @param plugin the plugin
 * @param problems each cause, one sentence each; empty when the plugin is active and all its
 *     components are too
 * @param missing the requirements that nothing installed satisfies
 * @param fixes what a user can do about it, one command or step each
 * @since 0.1
 */
public record Diagnosis(Plugin plugin, List<String> problems, List<MissingRequirement> missing, List<String> fixes) {
  /** @return whether nothing is wrong */
  public boolean healthy() {
    return problems.isEmpty() && missing.isEmpty();
  }
}
