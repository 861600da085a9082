package io.dockevos.plugin.internal.plan;

import io.dockevos.install.Change;
import io.dockevos.install.Plan;
import java.nio.file.Path;
import java.util.List;

/**
 * A plan with what applying it needs: the file of each bundle to install and its location.
 *
 * @param plan the plan, as the user sees it
 * @param adds one per install step of the plan, in its order
 * @param discard run once the plan was applied or dropped: deletes downloaded files
 * @param configurations configuration files applied with the plan (a plugin archive's)
 * @param configSource the archive they came from, or {@code null}
 */
public record Prepared(Plan plan, List<Add> adds, List<Update> updates, List<Remove> removes, Runnable discard,
    List<Path> configurations, String configSource) {
  public Prepared(Plan plan, List<Add> adds, Runnable discard) {
    this(plan, adds, List.of(), List.of(), discard, List.of(), null);
  }

  /**
   * @param files configuration files ({@code PID.cfg}, {@code FACTORY~NAME.cfg}) applied with the plan
   *     and removed if it fails, as a plugin archive carries them
   * @param source the archive they came from, for messages
   * @param cleanup run with {@link #discard()}, after this plan's own
   * @return this plan with the configurations, which its {@link Plan#configurations()} names
   */
  public Prepared withConfigurations(List<Path> files, String source, Runnable cleanup) {
    Plan p = new Plan(plan.change(), plan.steps(), plan.refresh(), plan.startOrder(),
        files.stream().map(f -> f.getFileName().toString().replaceFirst("\\.cfg$", "")).toList(), plan.refused(),
        plan.stopped(), plan.permissions());
    Runnable own = discard;
    return new Prepared(p, adds, updates, removes, () -> {
      own.run();
      cleanup.run();
    }, List.copyOf(files), source);
  }

  /** @return this plan with its change carrying {@code option} ({@link Change.Option#GRANT}, when the user said yes) */
  public Prepared with(Change.Option option) {
    Plan p = new Plan(plan.change().with(option), plan.steps(), plan.refresh(), plan.startOrder(),
        plan.configurations(), plan.refused(), plan.stopped(), plan.permissions());
    return new Prepared(p, adds, updates, removes, discard, configurations, configSource);
  }

  /**
   * A bundle to install.
   *
   * @param step its step in the plan
   * @param item the item that named it, or {@code null} for one the plan added from the repository
   * @param file its jar, for a named source (fetched already); {@code null} for a repository's, fetched at apply
   * @param source what to fetch for a repository's resource
   * @param location the bundle location to install it under, or {@code null} for the plugin manager's own
   * @param fragment whether it is a fragment (never started)
   */
  public record Add(Plan.Step step, Change.Item item, Path file, String source, String location, boolean fragment) {}

  /**
   * A bundle to update.
   *
   * @param step its step in the plan
   * @param bundle the installed bundle
   * @param file the new jar, fetched already
   * @param source where the new jar came from, recorded as the plugin's source
   * @param active whether it ran before: the transaction stops it for the update and starts it again
   */
  public record Update(Plan.Step step, org.osgi.framework.Bundle bundle, Path file, String source, boolean active) {}

  /**
   * A bundle to uninstall.
   *
   * @param step its step in the plan
   * @param bundle the installed bundle
   * @param active whether it ran, for a rollback
   */
  public record Remove(Plan.Step step, org.osgi.framework.Bundle bundle, boolean active) {}
}
