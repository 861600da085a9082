package io.dockevos.assist;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A fix that can be applied.
 *
 * @since 0.1
 */
@ConsumerType
public interface Fix {
  /** What it does, in plain words, for example {@code install io.example.api 1.2.0 from system/}. */
  String description();

  /** How much it may change. */
  Risk risk();

  /**
   * Whether applying it adds code to the runtime: installs or updates a bundle, a feature, or
   * anything else that runs. A fix that adds code is never {@link Risk#SAFE}: the assistant shows,
   * applies and records it as {@link Risk#MODERATE} at least, so that a person reviews it, and the
   * policy never applies it by itself. A fix that says it adds none but installs or updates a bundle
   * while the policy applies it is refused: what it installed never resolves and is uninstalled, and
   * the fix is rolled back. By default a fix adds code; a fix that only starts, enables or configures
   * what is installed returns {@code false}.
   *
   * @since 0.1
   */
  default boolean addsCode() {
    return true;
  }

  /** What would change, without changing anything, one line a change. */
  String dryRun();

  /**
   * Applies the fix and returns what it did, in plain words.
   *
   * @throws Exception when it could not be applied; the message says why
   */
  String apply() throws Exception;

  /** Undoes what {@link #apply()} did, where it can; does nothing by default. */
  default void rollback() throws Exception {}

  /**
   * Checks, after {@link #apply()}, that the condition is gone: for example that the plugin is
   * ACTIVE now. By default, a fix that applied without throwing worked.
   *
   * @return empty when it worked; else what is still wrong, in plain words
   * @since 0.1
   */
  default Optional<String> verify() throws Exception {
    return Optional.empty();
  }
}
