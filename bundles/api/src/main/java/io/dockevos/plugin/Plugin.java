package io.dockevos.plugin;

import java.time.Instant;

/**
 * A snapshot of one plugin: a bundle that the plugin manager knows.
 *
 * @param id the bundle id
 * @param symbolicName the bundle symbolic name, which names the plugin on every surface
 * @param version the bundle version
 * @param name the human name ({@code Bundle-Name}), or the symbolic name
 * @param state the state a user sees
 * @param reason why the plugin is {@link PluginState#FAILED}, or {@code null}
 * @param components the counts of its Declarative Services components
 * @param source where it was installed from: a path, a URL, Maven coordinates, or the boot feature
 * @param installed when it was installed
 * @param updated when it was last updated, or {@code null}
 * @param boot whether it belongs to a boot feature (the runtime itself)
 * @param trust how far its jar is trusted, from its signature (see {@link TrustLevel}); {@code @since 0.1}
 * @since 0.1
 */
public record Plugin(long id, String symbolicName, String version, String name, PluginState state, String reason,
    Components components, String source, Instant installed, Instant updated, boolean boot, TrustLevel trust) {

  public Plugin {
    java.util.Objects.requireNonNull(trust, "trust");
  }

  /** A plugin whose signature is not known to the caller: {@link TrustLevel#UNSIGNED}. */
  public Plugin(long id, String symbolicName, String version, String name, PluginState state, String reason,
      Components components, String source, Instant installed, Instant updated, boolean boot) {
    this(id, symbolicName, version, name, state, reason, components, source, installed, updated, boot,
        TrustLevel.UNSIGNED);
  }

  /**
   * The counts of a plugin's Declarative Services components.
   *
   * @param active components that are active (or satisfied, waiting to be used)
   * @param unsatisfied components whose references or configuration are missing
   * @param failed components whose activation failed
   */
  public record Components(int active, int unsatisfied, int failed) {
    /** No components. */
    public static final Components NONE = new Components(0, 0, 0);

    @Override
    public String toString() {
      return active + "/" + unsatisfied + "/" + failed;
    }
  }
}
