package io.dockevos.feature;

import io.dockevos.install.Plan;
import java.util.List;

/**
 * What installing a feature would do, computed without changing anything ({@code feature:install
 * --dry-run}).
 *
 * @param feature the feature, in the state it is in now
 * @param plan the plan of its bundles that are not installed yet, as the {@link io.dockevos.install.Installer}
 *     computed it, with the PIDs of the configurations the feature applies; it changes nothing when the
 *     feature is installed already or is a boot feature
 * @param present its bundles that are installed already, used as they are, as {@code name version}
 * @param replaces the installed feature this one replaces (its file changed, or another feature of the same
 *     file), as {@code name version}: it is uninstalled first; or {@code null}
 * @since 0.1
 */
public record FeaturePlan(Feature feature, Plan plan, List<String> present, String replaces) {
  public FeaturePlan {
    present = List.copyOf(present);
  }
}
