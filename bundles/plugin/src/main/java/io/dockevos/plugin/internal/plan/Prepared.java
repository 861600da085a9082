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
 */
public record Prepared(Plan plan, List<Add> adds, Runnable discard) {
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
}
