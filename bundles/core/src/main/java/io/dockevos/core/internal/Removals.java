package io.dockevos.core.internal;

import io.dockevos.common.internal.Refreshes;
import io.dockevos.install.Change;
import io.dockevos.install.Installer;
import io.dockevos.install.Outcome;
import io.dockevos.install.Plan;
import io.dockevos.plugin.PluginException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the deploy folder does when its files go: their bundles leave with one plan, and the plan's casualties are logged. */
final class Removals {
  private static final Logger LOG = LoggerFactory.getLogger(DeployFolder.class);
  private final Installer installer;
  private final FrameworkWiring wiring;

  Removals(Installer installer, FrameworkWiring wiring) {
    this.installer = installer;
    this.wiring = wiring;
  }

  /** Uninstalls the bundles of removed files with one plan, which refreshes what was wired to them once. */
  void uninstall(List<Bundle> bundles) {
    if (bundles.isEmpty()) {
      return;
    }
    List<Change.Item> items = bundles.stream().map(b -> Change.Item.uninstall(String.valueOf(b.getBundleId()))).toList();
    try {
      Outcome o = installer.execute(new Change(items, Change.Scope.GIVEN,
          Set.of(Change.Option.PARTIAL, Change.Option.NO_GATE), "deploy"));
      stopped(o.plan());
      List<Bundle> left = bundles.stream().filter(b -> b.getState() != Bundle.UNINSTALLED).toList();
      if (left.isEmpty()) {
        return;
      }
      bundles = left;
      LOG.warn("The plan did not uninstall {}: {}", left, o.refused().stream().map(Plan.Refused::reason).toList());
    } catch (PluginException | RuntimeException e) {
      LOG.error("Cannot plan the uninstall of {}: {}; uninstalling them one by one", bundles, e.toString());
    }
    List<Bundle> done = new ArrayList<>();
    for (Bundle b : bundles) {
      try {
        b.uninstall();
        done.add(b);
      } catch (BundleException | IllegalStateException e) {
        LOG.error("Cannot uninstall {}: {}", b, e.toString());
      }
    }
    refresh(done);
  }

  /** Logs the installed bundles that a plan left unresolved, because they needed what went away. */
  static void stopped(Plan plan) {
    for (Plan.Stopped s : plan.stopped()) {
      LOG.warn("{} no longer resolves: it needs {}", s.identity(), String.join(", ",
          s.missing().stream().map(m -> m.description()).distinct().toList()));
    }
  }

  private void refresh(List<Bundle> bundles) {
    try {
      if (!Refreshes.andWait(wiring, bundles, Refreshes.DEFAULT_TIMEOUT)) {
        LOG.warn("Refreshing {} takes longer than 30 s", bundles);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
