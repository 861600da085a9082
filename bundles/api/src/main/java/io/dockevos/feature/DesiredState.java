package io.dockevos.feature;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The desired state: one feature file ({@value #DEFAULT_FILE} in the home, or the framework property
 * {@value #FILE_PROPERTY}) that names the features, plugins and configurations this instance must have.
 * It is applied at start and whenever its content changes, through the {@link FeatureManager} and so
 * the install pipeline: all or nothing, and a second apply changes nothing. What the file added and no
 * longer names is removed; what was installed by hand and never named is left alone. Every apply
 * publishes a {@link StateEvents} event.
 *
 * @since 0.2
 */
@ProviderType
public interface DesiredState {
  /** The framework property naming the state file, absolute or relative to the home. */
  String FILE_PROPERTY = "dockevos.state.file";
  /** The state file when the property is not set, relative to the home. */
  String DEFAULT_FILE = "etc/state.json";
  /** The name of the feature file's extension that names the features to install, a text extension. */
  String FEATURES_EXTENSION = "dockevos-features";

  /** Where the desired state stands. */
  enum Phase {
    /** There is no state file: nothing to apply. */
    NO_FILE,
    /** The file has not been applied yet since the start. */
    PENDING,
    /** The file as it is now has been applied. */
    APPLIED,
    /** The file as it is now could not be applied; the last state applied is kept. */
    FAILED
  }

  /**
   * @param file the state file, absolute
   * @param phase where it stands
   * @param digest the SHA-256 of the file as last read, or {@code null} when there is none
   * @param applied the SHA-256 of the file last applied, or {@code null}
   * @param at when it was last applied or failed, or {@code null}
   * @param problem why the last apply failed, or {@code null}
   */
  record Status(String file, Phase phase, String digest, String applied, Instant at, String problem) {
    /** @return whether the state has been applied since the start and nothing holds readiness back */
    public boolean ready() {
      return phase == Phase.NO_FILE || phase == Phase.APPLIED || (phase == Phase.FAILED && applied != null);
    }
  }

  /**
   * One thing that applying the file changes.
   *
   * @param action {@code install}, {@code uninstall}, {@code update} or {@code configure}
   * @param kind {@code feature}, {@code plugin} or {@code configuration}
   * @param name the feature's name, the plugin's {@code name version}, or the configuration's PID
   * @param reason why, for example {@code named by the state file}
   */
  record Difference(String action, String kind, String name, String reason) {}

  /** @return where the desired state stands */
  Status status();

  /**
   * Computes what applying the file would change, without changing anything.
   *
   * @throws FeatureException naming the file, the entry and the cause when it cannot be applied
   */
  List<Difference> diff() throws FeatureException;

  /**
   * Applies the file now: all or nothing.
   *
   * @return what changed; empty when the state was applied already
   * @throws FeatureException naming the file, the entry and the cause; nothing was changed
   */
  List<Difference> apply() throws FeatureException;
}
