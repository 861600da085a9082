package io.dockevos.assist.internal;

import io.dockevos.api.Host;
import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.Incident;
import io.dockevos.install.Change;
import io.dockevos.install.Installer;
import io.dockevos.install.Outcome;
import io.dockevos.install.Plan;
import io.dockevos.install.PlanException;
import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.plugin.Provider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.BundleContext;

/**
 * A plugin that does not resolve: its fix is the install pipeline's plan. The analyzer plans the
 * plugin itself ({@link Change.Op#START} for an installed one, {@link Change.Op#INSTALL} of its jar
 * for one whose install was refused) with {@link Change.Scope#REPOSITORIES}; the Felix resolver
 * picks the providers (installed first, then the version the plugin's POM declares, then the
 * highest). The one diagnosis names the bundles the plan adds and what each is needed for, and its
 * one fix applies that plan. When no plan fits, the diagnosis names each requirement that nothing
 * satisfies, once ({@link PlanException#unsatisfied()}), and there is no fix.
 *
 * <p>Requirements come as values: from {@link Diagnostics} for an installed bundle and from the
 * plan, never parsed back out of an incident's text.
 *
 * <p>One of the {@link BuiltInAnalyzers}, which gives it its services.
 */
public final class UnresolvedRequirementAnalyzer implements ErrorAnalyzer {
  static final String NAME = "unresolved-requirement";
  /** {@link Change#origin()} of the plans of this analyzer's fixes. */
  static final String ORIGIN = "assist:fix";
  /**
   * How many times a plan is made again with providers that the plugin manager finds in {@code
   * system/} or the local Maven repository but the repositories do not offer (yet): each round may
   * find what a provider itself needs.
   */
  private static final int BRIDGE_ROUNDS = 3;

  private final PluginManager plugins;
  private final Diagnostics diagnostics;
  private final Installer installer;
  private final BundleContext context;

  /** @param context for the home and the deploy folder, or {@code null} (unit tests) */
  public UnresolvedRequirementAnalyzer(PluginManager plugins, Diagnostics diagnostics, Installer installer,
      BundleContext context) {
    this.plugins = plugins;
    this.diagnostics = diagnostics;
    this.installer = installer;
    this.context = context;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * What the plan is made for.
   *
   * @param item the plugin's own item: START of the installed bundle, or INSTALL of its jar
   * @param who the plugin as a person reads it: {@code name version}
   * @param ref how to find the plugin once the plan is applied
   * @param missing what it lacks now, as the plugin manager sees it (installed bundles only)
   */
  private record Target(Change.Item item, String who, String ref, List<MissingRequirement> missing) {}

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    Target target = target(incident);
    if (target == null) {
      return List.of();
    }
    Change change = new Change(List.of(target.item()), Change.Scope.REPOSITORIES, Set.of(), ORIGIN);
    Map<String, Provider> bridged = new LinkedHashMap<>();
    List<MissingRequirement> unsatisfied = List.of();
    for (int round = 0; ; round++) {
      try {
        Plan plan = installer.plan(change);
        return List.of(planned(target, change, plan, unsatisfied.isEmpty() ? target.missing() : unsatisfied, bridged));
      } catch (PlanException e) {
        if (unsatisfied.isEmpty()) {
          unsatisfied = e.unsatisfied();
        }
        Change more = round < BRIDGE_ROUNDS ? bridge(change, e.unsatisfied(), bridged) : null;
        if (more == null) {
          return List.of(unsatisfiable(target, unsatisfied.isEmpty() ? e.unsatisfied() : unsatisfied, e));
        }
        change = more;
      } catch (PluginException e) {
        return List.of(new Diagnosis(NAME, target.who() + " does not resolve, and no plan can be made for it: "
            + e.getMessage(), 0.5, List.of()));
      }
    }
  }

  /** @return the plugin the incident is about, when it does not resolve; else {@code null} */
  private Target target(Incident incident) {
    String bsn = Keys.get(incident, Keys.BUNDLE);
    String plugin = Keys.plugin(incident);
    Optional<Plugin> installed = Optional.empty();
    String id = Keys.get(incident, Keys.BUNDLE_ID);
    if (id != null) {
      installed = plugins.find(id).filter(p -> bsn == null || p.symbolicName().equals(bsn));
    }
    String version = Keys.get(incident, Keys.BUNDLE_VERSION);
    if (installed.isEmpty() && bsn != null && version != null) {
      installed = plugins.find(bsn + "/" + version);
    } else if (installed.isEmpty() && plugin != null) {
      installed = plugins.find(plugin);
    }
    if (installed.isPresent()) {
      Plugin p = installed.get();
      if (p.state() == PluginState.ACTIVE || p.state() == PluginState.DISABLED) {
        return null;
      }
      List<MissingRequirement> missing = diagnostics.diagnose(p.id(), Diagnostics.Depth.CANDIDATES)
          .map(BundleDiagnosis::missing).orElse(List.of());
      if (missing.isEmpty()) {
        return null; // it resolves (or fails for another reason): not this analyzer's
      }
      String ref = String.valueOf(p.id());
      return new Target(Change.Item.start(ref), p.symbolicName() + " " + p.version(), ref, missing);
    }
    // Not installed: its install was refused. Its jar is planned again, when it is known.
    if (Keys.get(incident, Keys.REQUIREMENT) == null && Keys.get(incident, Keys.REQUIREMENT_TEXT) == null) {
      return null;
    }
    String file = Keys.get(incident, Keys.FILE);
    if (file == null || !file.endsWith(".jar") || !Path.of(file).isAbsolute() || !Files.isRegularFile(Path.of(file))) {
      return null;
    }
    Path jar = Path.of(file);
    // A deploy-folder file keeps its file: location, so that the deploy folder knows the bundle as its own.
    String location = inDeployFolder(jar) ? jar.toUri().toString() : null;
    String who = (bsn != null ? bsn : plugin != null ? plugin : jar.getFileName().toString())
        + (version != null ? " " + version : "");
    String ref = bsn != null ? bsn + (version != null ? "/" + version : "") : plugin;
    return new Target(Change.Item.install(file, location), who, ref, List.of());
  }

  private boolean inDeployFolder(Path jar) {
    String deploy = context == null ? null : context.getProperty(Host.DEPLOY_PROPERTY);
    return context != null && jar.toAbsolutePath().normalize().startsWith(Path.of(deploy == null || deploy.isBlank()
        ? "deploy" : deploy).toAbsolutePath().normalize());
  }

  /**
   * Until the repositories offer what {@code system/} and the local Maven repository hold, the
   * plugin manager's providers of each requirement that nothing offers are named in the change, one
   * bundle per symbolic name, and the resolver checks the whole plan again: a provider that itself
   * lacks something shows at planning, not after an install.
   *
   * @return the change with those providers named, or {@code null} when there is none to add
   */
  private Change bridge(Change change, List<MissingRequirement> missing, Map<String, Provider> bridged) {
    List<Change.Item> items = new ArrayList<>();
    for (MissingRequirement m : missing) {
      if (!m.candidates().isEmpty() || "dockevos.host".equals(m.namespace())
          || "dockevos.hardware".equals(m.namespace())) {
        continue; // the repositories offer some (a conflict), or no bundle can provide it
      }
      List<Provider> found;
      try {
        found = plugins.providers(m.namespace(), m.filter());
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (found.stream().anyMatch(p -> bridged.containsKey(p.symbolicName()))) {
        continue;
      }
      for (Provider p : found) {
        if (p.kind() != Provider.Kind.FEATURE && plugins.find(p.symbolicName() + "/" + p.version()).isEmpty()) {
          bridged.put(p.symbolicName(), p);
          items.add(Change.Item.install(p.source()));
          break;
        }
      }
    }
    if (items.isEmpty()) {
      return null;
    }
    items.addAll(change.items());
    return new Change(items, change.scope(), change.options(), change.origin());
  }

  /** One diagnosis: the plugin needs the bundles the plan adds; one fix, which applies the plan. */
  private Diagnosis planned(Target target, Change change, Plan plan, List<MissingRequirement> missing,
      Map<String, Provider> bridged) {
    String own = target.item().source();
    List<Plan.Step> adds = plan.installs().stream().filter(s -> own == null || !own.equals(s.source())).toList();
    if (adds.isEmpty()) {
      String cause = target.who() + " does not resolve yet, though what it needs is installed now";
      return new Diagnosis(NAME, cause, 0.8, List.of(fix(target, change, plan, adds, bridged)));
    }
    // Each missing requirement under the bundle of the plan that provides it.
    Map<Plan.Step, List<String>> needs = new LinkedHashMap<>();
    adds.forEach(s -> needs.put(s, new ArrayList<>()));
    List<String> other = new ArrayList<>();
    for (MissingRequirement m : missing) {
      Plan.Step by = adds.stream().filter(s -> m.candidates().stream().anyMatch(c -> c.symbolicName()
          .equals(s.symbolicName()) && c.version().equals(s.version()))).findFirst()
          .or(() -> adds.stream().filter(s -> m.candidates().stream().anyMatch(c -> c.symbolicName()
              .equals(s.symbolicName()))).findFirst()).orElse(null);
      if (by != null) {
        needs.get(by).add(m.description());
      } else if (!other.contains(m.description())) {
        other.add(m.description());
      }
    }
    List<String> providers = new ArrayList<>();
    List<String> requires = new ArrayList<>();
    for (Map.Entry<Plan.Step, List<String>> e : needs.entrySet()) {
      // Without the requirements as values (a refused install), the plan's own reason says what it is for.
      providers.add(e.getKey().identity() + " in " + where(e.getKey().source(), bridged)
          + (e.getValue().isEmpty() && missing.isEmpty() ? " (" + e.getKey().reason() + ")" : ""));
      if (!e.getValue().isEmpty()) {
        requires.add(String.join(", ", e.getValue()) + (adds.size() > 1 ? " (" + e.getKey().symbolicName() + ")" : ""));
      }
    }
    requires.addAll(other);
    String cause = target.who() + " needs " + and(providers) + (requires.isEmpty() ? ""
        : ": it requires " + String.join("; ", requires) + ", which no installed bundle provides");
    return new Diagnosis(NAME, cause, 0.9, List.of(fix(target, change, plan, adds, bridged)));
  }

  /** The fix: apply the plan (made again when what is installed changed), then the plugin must be ACTIVE. */
  private Fix fix(Target target, Change change, Plan plan, List<Plan.Step> adds, Map<String, Provider> bridged) {
    boolean installOwn = target.item().op() == Change.Op.INSTALL;
    String plugin = target.who();
    List<String> installs = new ArrayList<>(adds.stream().map(Plan.Step::identity).toList());
    String description;
    if (installOwn) {
      installs.add(plugin + " from " + target.item().source());
      description = "install " + and(installs);
    } else {
      description = (installs.isEmpty() ? "" : "install " + and(installs) + " and ") + "start " + plugin;
    }
    StringBuilder dry = new StringBuilder();
    for (Plan.Step s : plan.steps()) {
      dry.append(dry.length() == 0 ? "" : "\n").append(s.op().name().toLowerCase()).append(' ').append(s.identity())
          .append(" from ").append(where(s.source(), bridged)).append(" (").append(s.reason()).append(')');
    }
    if (!installOwn) {
      String now = plugins.find(target.ref()).map(p -> " (now " + p.state() + ")").orElse("");
      dry.append(dry.length() == 0 ? "" : "\n").append("start ").append(plugin).append(now);
    }
    long[][] done = {new long[0]};
    // Installing a bundle adds code: a person reviews it. A plan that only starts the plugin adds none.
    boolean addsCode = !adds.isEmpty() || installOwn;
    return new BasicFix(description, addsCode ? Risk.MODERATE : Risk.SAFE, addsCode, dry.toString(), () -> {
      // Planned again: the plan shown may be stale (something was installed or removed meanwhile).
      Plan now = installer.plan(change);
      Outcome outcome = installer.apply(now);
      done[0] = outcome.bundles().stream().mapToLong(Long::longValue).toArray();
      List<String> did = new ArrayList<>();
      List<Plan.Step> steps = now.installs();
      for (int i = 0; i < steps.size() && i < outcome.bundles().size(); i++) {
        did.add(steps.get(i).identity() + " as plugin " + outcome.bundles().get(i));
      }
      StringBuilder result = new StringBuilder(did.isEmpty() ? "installed nothing" : "installed " + String.join(", ", did));
      if (!now.steps().equals(plan.steps())) {
        result.append(" (planned again: what is installed changed since the plan shown)");
      }
      Optional<Plugin> p = target.ref() == null ? Optional.empty() : plugins.find(target.ref());
      if (p.isPresent() && p.get().state() != PluginState.ACTIVE && p.get().state() != PluginState.STARTING) {
        p = Optional.of(plugins.start(String.valueOf(p.get().id())));
      }
      p.ifPresent(x -> result.append("; ").append(installOwn ? "" : "started ").append(x.symbolicName()).append(": ")
          .append(x.state()));
      return result.toString();
    }, () -> {
      long[] ids = done[0];
      for (int i = ids.length - 1; i >= 0; i--) {
        if (plugins.find(String.valueOf(ids[i])).isPresent()) {
          plugins.uninstall(String.valueOf(ids[i]), false);
        }
      }
      done[0] = new long[0];
    }, () -> BasicFix.within(ProviderFixes.SETTLE_MS, () -> active(target)));
  }

  /** Empty when the plugin is ACTIVE; else what it is. */
  private Optional<String> active(Target target) {
    if (target.ref() == null) {
      return Optional.empty();
    }
    Optional<Plugin> p = plugins.find(target.ref());
    if (p.isEmpty()) {
      return Optional.of(target.who() + " is not installed");
    }
    return p.get().state() == PluginState.ACTIVE ? Optional.empty()
        : Optional.of(target.who() + " is " + p.get().state() + (p.get().reason() != null ? ": " + p.get().reason() : ""));
  }

  /** No plan fits: each requirement that nothing satisfies once, grouped by the bundles that could provide it. */
  private Diagnosis unsatisfiable(Target target, List<MissingRequirement> unsatisfied, PlanException e) {
    if (unsatisfied.isEmpty()) {
      return new Diagnosis(NAME, target.who() + " does not resolve, and no plan fits: " + e.getMessage(), 0.6, List.of());
    }
    Map<List<String>, List<MissingRequirement>> groups = new LinkedHashMap<>();
    for (MissingRequirement m : unsatisfied) {
      List<String> by = m.candidates().stream().map(c -> c.symbolicName() + " " + c.version()).distinct().toList();
      groups.computeIfAbsent(by, k -> new ArrayList<>()).add(m);
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<List<String>, List<MissingRequirement>> g : groups.entrySet()) {
      List<String> what = g.getValue().stream().map(m -> m.description() + (m.chain().size() > 1 ? " (through "
          + m.path() + ")" : "")).distinct().toList();
      String it = what.size() == 1 ? "it" : "them";
      MissingRequirement first = g.getValue().get(0);
      String why;
      if ("dockevos.host".equals(first.namespace())) {
        why = "it needs a newer dockevOS";
      } else if ("dockevos.hardware".equals(first.namespace())) {
        why = "this machine does not meet " + it;
      } else if (g.getKey().isEmpty()) {
        why = "nothing installed, in system/ or in the repositories provides " + it;
      } else {
        why = String.join(", ", g.getKey()) + " would provide " + it + ", but do" + (g.getKey().size() == 1 ? "es" : "")
            + " not fit with what is installed";
      }
      parts.add(String.join(", ", what) + ": " + why);
    }
    String cause = target.who() + " does not resolve, and no plan fits: it requires " + String.join("; ", parts)
        + ". Install a plugin that provides " + (unsatisfied.size() == 1 ? "it" : "them") + ", then "
        + (target.item().op() == Change.Op.START ? "start " : "install ") + target.who() + " again";
    return new Diagnosis(NAME, cause, 0.6, List.of());
  }

  /** @return where a step's bundle comes from, for a person: {@code system/...}, the local Maven repository, an index */
  private String where(String source, Map<String, Provider> bridged) {
    for (Provider p : bridged.values()) {
      if (p.source().equals(source)) {
        return switch (p.kind()) {
          case SYSTEM -> p.location();
          case MAVEN -> "the local Maven repository (" + p.source() + ")";
          case INDEX -> "the index " + p.location();
          case FEATURE -> "the feature " + p.source();
        };
      }
    }
    if (source == null) {
      return "?";
    }
    if (source.startsWith("mvn:")) {
      return "the local Maven repository (" + source + ")";
    }
    String home = context == null ? null : context.getProperty(Host.HOME_PROPERTY);
    if (home != null && !source.contains(":")) {
      Path p = Path.of(source).toAbsolutePath().normalize();
      Path h = Path.of(home).toAbsolutePath().normalize();
      if (p.startsWith(h)) {
        return h.relativize(p).toString();
      }
    }
    return source;
  }

  private static String and(List<String> items) {
    if (items.size() <= 1) {
      return String.join("", items);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
  }
}
