package io.dockevos.common.internal;

import io.dockevos.install.Plan;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the shell shows a plan ({@code --dry-run} of {@code plugin:install}, {@code plugin:update},
 * {@code plugin:uninstall}, {@code feature:install}, {@code feature:uninstall}): one row a bundle,
 * with where it comes from and why, then what is refreshed or stops resolving, the start order, the
 * configurations and what was refused.
 */
public final class PlanPrinter {
  private PlanPrinter() {}

  /**
   * @param note what the caller adds to the last line, for example {@code nothing was changed (--dry-run)}
   */
  public static void print(PrintStream out, Plan plan, String note) {
    if (plan.isEmpty() && plan.refused().isEmpty() && plan.configurations().isEmpty() && plan.permissions().isEmpty()) {
      out.println("The plan changes nothing; " + note);
      return;
    }
    if (!plan.steps().isEmpty()) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"Action", "Bundle", "Version", "Source", "Why"});
      for (Plan.Step s : plan.steps()) {
        rows.add(new String[] {s.op().name().toLowerCase(Locale.ROOT), s.symbolicName(), s.version(), s.source(),
            s.reason()});
      }
      Tables.print(out, rows);
    }
    if (!plan.refresh().isEmpty()) {
      out.println("Refreshed (they restart): " + String.join(", ", plan.refresh()));
    }
    for (Plan.Stopped s : plan.stopped()) {
      out.println("Stops resolving: " + s.identity() + ", which needs " + String.join(", ",
          s.missing().stream().map(m -> m.description()).distinct().toList()));
    }
    if (!plan.startOrder().isEmpty()) {
      out.println("Start order: " + String.join(", ", plan.startOrder()));
    }
    if (!plan.configurations().isEmpty()) {
      out.println("Configurations: " + String.join(", ", plan.configurations()));
    }
    permissions(out, plan);
    for (Plan.Refused r : plan.refused()) {
      out.println("Refused: " + r.reason());
    }
    List<String> counts = new ArrayList<>();
    counts.add(plan.installs().size() + " to install");
    if (!plan.steps(io.dockevos.install.Change.Op.UPDATE).isEmpty()) {
      counts.add(plan.steps(io.dockevos.install.Change.Op.UPDATE).size() + " to update");
    }
    if (!plan.steps(io.dockevos.install.Change.Op.UNINSTALL).isEmpty()) {
      counts.add(plan.steps(io.dockevos.install.Change.Op.UNINSTALL).size() + " to uninstall");
    }
    out.println("The plan: " + String.join(", ", counts) + "; " + note);
  }

  /**
   * The permissions the plan's bundles request: those already held, those a policy grants, and those
   * the user is asked for ({@code --grant}).
   */
  public static void permissions(PrintStream out, Plan plan) {
    for (Plan.PermissionRequest r : plan.permissions()) {
      List<io.dockevos.security.Permission> held = r.requested().stream().filter(p -> !r.ungranted().contains(p))
          .toList();
      StringBuilder s = new StringBuilder("Permissions of ").append(r.identity()).append(": ");
      if (r.ungranted().isEmpty()) {
        s.append(io.dockevos.security.Permission.join(r.requested())).append(" (granted already)");
      } else if (r.policy() != null) {
        s.append(io.dockevos.security.Permission.join(r.ungranted())).append(" (granted by the policy, ")
            .append(r.policy()).append(")");
      } else {
        s.append(io.dockevos.security.Permission.join(r.ungranted())).append(" (NOT GRANTED)");
      }
      if (!r.ungranted().isEmpty() && !held.isEmpty()) {
        s.append("; holds already ").append(io.dockevos.security.Permission.join(held));
      }
      out.println(s);
    }
  }
}
