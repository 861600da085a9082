package io.dockevos.feature.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.PlanPrinter;

import io.dockevos.api.Host;
import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureDetails;
import io.dockevos.feature.FeatureException;
import io.dockevos.feature.FeatureManager;
import io.dockevos.feature.FeaturePlan;
import io.dockevos.feature.FeatureState;
import io.dockevos.feature.Repository;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code feature:*} Gogo commands, a thin layer over {@link FeatureManager}. The list and info
 * commands take {@code --json}. A failure is thrown as an {@link IllegalStateException} with the
 * manager's message, so that the console and {@code bin/dockevos client} print it as it is.
 * ({@code feature:repo-add} and the other hyphenated commands are in {@link RepositoryCommands}:
 * a Java method cannot have a hyphen in its name.)
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = FeatureCommands.class, property = {"osgi.command.scope=feature",
    "osgi.command.function=list", "osgi.command.function=info", "osgi.command.function=install",
    "osgi.command.function=uninstall"})
public final class FeatureCommands {
  private final FeatureManager features;
  private final Path home;

  @Activate
  public FeatureCommands(@Reference FeatureManager features, BundleContext context) {
    this.features = features;
    String h = context.getProperty(Host.HOME_PROPERTY);
    this.home = Path.of(h == null ? "." : h).toAbsolutePath().normalize();
  }

  /** The manager's own failures carry a message for users; anything else keeps its type. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws FeatureException;
  }

  static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (FeatureException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Descriptor("list the installed features (the boot features first) and those available to install")
  public void list(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "feature:list");
      return;
    }
    List<Feature> all = new ArrayList<>(features.installed());
    Set<String> installed = all.stream().map(Feature::id).collect(Collectors.toSet());
    features.available().stream().filter(f -> !installed.contains(f.id())).forEach(all::add);
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(all.stream().map(FeatureCommands::toMap).toList()));
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Name", "Version", "State", "Bundles", "Source"});
    for (Feature f : all) {
      rows.add(new String[] {f.name(), f.version(), f.state().name(), String.valueOf(f.bundles()), shorten(f.source())});
    }
    io.dockevos.common.internal.Tables.print(out, rows);
    List<String> problems = features.problems();
    if (!problems.isEmpty()) {
      out.println();
      out.println("Cannot be read:");
      problems.forEach(p -> out.println("  " + p));
    }
  }

  @Descriptor("show a feature: its bundles (where each comes from, and its state), its configurations, and what is wrong")
  public void info(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json,
      @Descriptor("feature name, name/version or ID") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "feature:info");
      return;
    }
    FeatureDetails d = call(() -> features.details(ref));
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(io.dockevos.common.internal.FeatureJson.of(d)));
      return;
    }
    Feature f = d.feature();
    out.println((f.title() != null ? f.title() + " (" + f.name() + " " + f.version() + ")" : f.name() + " "
        + f.version()) + ", " + f.id());
    if (f.description() != null) {
      out.println("  " + f.description());
    }
    out.println("  State:   " + f.state() + (f.installed() != null ? ", installed " + io.dockevos.common.internal.TimeFormat.of(f.installed()) : ""));
    out.println("  Source:  " + shorten(f.source()));
    d.metadata().forEach((k, v) -> out.println("  " + k + ": " + v));
    out.println("Bundles" + (d.bundles().isEmpty() ? ": none" : ":"));
    for (FeatureDetails.BundleEntry b : d.bundles()) {
      StringBuilder s = new StringBuilder("  ").append(b.id());
      if (b.startOrder() > 0) {
        s.append(" (start-order ").append(b.startOrder()).append(')');
      }
      if (b.symbolicName() != null) {
        s.append(": ").append(b.symbolicName()).append(' ').append(b.version());
      }
      s.append(b.bundleId() >= 0 ? ", bundle " + b.bundleId() + " " + b.state() + (b.owned() ? "" : " (there before)")
          : b.file() == null ? ", not found" : ", not installed");
      out.println(s);
    }
    out.println("Configurations" + (d.configurations().isEmpty() ? ": none" : ":"));
    d.configurations().forEach(c -> out.println("  " + c.pid() + " " + c.properties()));
    if (!d.problems().isEmpty()) {
      out.println("Problems:");
      d.problems().forEach(p -> out.println("  " + p));
    }
  }

  /** {@code feature:info} without its arguments: its help with {@code --help}, else what it needs. */
  public void info(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "feature:info", help);
  }

  @Descriptor("install a feature, all or nothing: its bundles (from system/ or the local Maven repository) and its configurations")
  public void install(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print the plan and change nothing") @Parameter(names = "--dry-run", presentValue = "true",
          absentValue = "false") boolean dryRun,
      @Descriptor("feature name, name/version or ID; or a feature file path or URL") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "feature:install");
      return;
    }
    PrintStream out = System.out;
    if (dryRun) {
      printPlan(out, call(() -> features.plan(ref)));
      return;
    }
    Feature f = call(() -> features.install(ref, (step, steps, message) -> {
      out.println(message);
      out.flush();
    }));
    if (f.state() == FeatureState.BOOT) {
      out.println("Feature " + f.name() + " " + f.version() + " is a boot feature, installed with the runtime");
    } else {
      out.println("Installed feature " + f.name() + " " + f.version() + ": " + f.bundles() + " bundle"
          + (f.bundles() == 1 ? "" : "s") + ", " + f.state());
    }
  }

  /** {@code feature:install} without its arguments: its help with {@code --help}, else what it needs. */
  public void install(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "feature:install", help);
  }

  /** A feature's plan: the feature, what it replaces, its bundles installed already, then the plan itself. */
  static void printPlan(PrintStream out, FeaturePlan plan) {
    Feature f = plan.feature();
    out.println("Feature " + f.name() + " " + f.version() + " (" + f.state() + "): " + f.bundles() + " bundle"
        + (f.bundles() == 1 ? "" : "s"));
    if (plan.replaces() != null) {
      out.println("Replaces " + plan.replaces() + ", which is uninstalled first");
    }
    if (!plan.present().isEmpty()) {
      out.println("Installed already, used as they are: " + String.join(", ", plan.present()));
    }
    PlanPrinter.print(out, plan.plan(), "nothing was changed (--dry-run)");
  }

  @Descriptor("uninstall a feature: the bundles it installed that no other feature needs (one plan), and its"
      + " configurations")
  public void uninstall(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print the plan and change nothing") @Parameter(names = "--dry-run", presentValue = "true",
          absentValue = "false") boolean dryRun,
      @Descriptor("feature name, name/version or ID") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "feature:uninstall");
      return;
    }
    if (dryRun) {
      PlanPrinter.print(System.out, call(() -> features.planUninstall(ref)), "nothing was changed (--dry-run)");
      return;
    }
    Feature f = call(() -> features.uninstall(ref));
    System.out.println("Uninstalled feature " + f.name() + " " + f.version());
  }

  /** {@code feature:uninstall} without its arguments: its help with {@code --help}, else what it needs. */
  public void uninstall(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "feature:uninstall", help);
  }

  /** A path in the home, relative to it, as a user knows it. */
  String shorten(String source) {
    if (source == null) {
      return "";
    }
    try {
      Path p = Path.of(source);
      if (p.isAbsolute() && p.startsWith(home)) {
        return home.relativize(p).toString();
      }
    } catch (IllegalArgumentException e) {
      // a URL
    }
    return source;
  }

  static Map<String, Object> toMap(Feature f) {
    return io.dockevos.common.internal.FeatureJson.of(f);
  }

  static Map<String, Object> toMap(Repository r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uri", r.uri());
    m.put("features", r.features());
    m.put("problem", r.problem());
    return m;
  }

}
