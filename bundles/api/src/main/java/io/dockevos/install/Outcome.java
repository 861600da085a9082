package io.dockevos.install;

import java.util.List;

/**
 * What applying a {@link Plan} did.
 *
 * @param plan the plan applied
 * @param bundles the bundle id of each step that installed or updated a bundle, in the plan's order
 * @param refused the named sources that were left out ({@link Change.Option#PARTIAL}): the plan's own
 *     and those whose bundle failed to start
 * @since 0.1
 */
public record Outcome(Plan plan, List<Long> bundles, List<Plan.Refused> refused) {
  public Outcome {
    bundles = List.copyOf(bundles);
    refused = List.copyOf(refused);
  }
}
