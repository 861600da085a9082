package io.dockevos.plugin.internal.plan;

import io.dockevos.install.Change;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Provider;
import io.dockevos.plugin.internal.Requirements;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.service.resolver.ResolutionException;

/**
 * Why no plan fits: follows the named resources down their preferred providers and names each
 * mandatory requirement that nothing (installed, named or, where the scope allows, in the
 * repository) satisfies, once, with the chain of bundles that leads to it and the repository's
 * candidates.
 */
final class Explainer {
  private static final int MAX_VISITED = 5_000;
  private final PlanContext ctx;
  private final Catalog repository;
  private final Change.Scope scope;
  private final Map<String, MissingRequirement> found = new LinkedHashMap<>();
  private final Set<Resource> visited = new HashSet<>();
  private final Set<Resource> requirers = new java.util.LinkedHashSet<>();

  /** @param repository the whole repository, for the candidates even of a plan that may not use it */
  Explainer(PlanContext ctx, Catalog repository, Change.Scope scope) {
    this.ctx = ctx;
    this.repository = repository;
    this.scope = scope;
  }

  List<MissingRequirement> explain(Collection<Resource> roots) {
    for (Resource root : roots) {
      visit(root, List.of(PlanContext.identity(root)));
    }
    return new ArrayList<>(found.values());
  }

  private void visit(Resource r, List<String> chain) {
    if (visited.size() > MAX_VISITED || !visited.add(r)) {
      return;
    }
    for (Requirement req : r.getRequirements(null)) {
      String resolution = req.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
      if (!ctx.isEffective(req) || Namespace.RESOLUTION_OPTIONAL.equals(resolution) || "dynamic".equals(resolution)) {
        continue;
      }
      List<Capability> providers = ctx.findProviders(req);
      if (providers.isEmpty()) {
        String filter = req.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        found.computeIfAbsent(req.getNamespace() + ";" + filter, k -> new MissingRequirement(req.getNamespace(), filter,
            describe(req), PlanContext.identity(r), chain, candidates(req)));
        requirers.add(r);
      } else {
        Resource p = providers.get(0).getResource();
        if (!(p instanceof BundleRevision br && br.getWiring() != null)) {
          List<String> next = new ArrayList<>(chain);
          next.add(PlanContext.identity(p));
          visit(p, next);
        }
      }
    }
  }

  /** @return after {@link #explain}: the resources that have a requirement nothing satisfies */
  Set<Resource> requirers() {
    return requirers;
  }

  private List<Provider> candidates(Requirement req) {
    Map<String, Provider> result = new LinkedHashMap<>();
    try {
      for (Capability c : repository.findProviders(req)) {
        if (!ctx.offered(c.getResource())) {
          continue; // another version of what the change updates or uninstalls
        }
        Provider p = repository.provider(c.getResource());
        result.putIfAbsent(p.kind() + p.source(), p);
      }
    } catch (RuntimeException e) {
      // a repository that cannot answer offers nothing
    }
    return new ArrayList<>(result.values());
  }

  private static org.osgi.framework.Version version(String text) {
    try {
      return org.osgi.framework.Version.parseVersion(text);
    } catch (IllegalArgumentException e) {
      return org.osgi.framework.Version.emptyVersion;
    }
  }

  /** @return what a change names, for its messages: the sources, the plugins it updates (from where) or uninstalls */
  static String what(Change change) {
    return String.join(", ", names(change));
  }

  /** @return what the change names, as {@link #what}, the first three only when it names more than five */
  static String briefly(Change change) {
    List<String> names = names(change);
    return names.size() <= 5 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
  }

  private static List<String> names(Change change) {
    return change.items().stream().map(i -> i.op() == Change.Op.UPDATE
        ? i.ref() + (i.source() != null ? " from " + i.source() : "") : i.source() != null ? i.source() : i.ref()).toList();
  }

  /** @return what the change does, as a verb for its messages: the one op all its items share, else install */
  static String verb(Change change) {
    List<Change.Op> ops = change.items().stream().map(Change.Item::op).distinct().toList();
    return ops.size() == 1 ? ops.get(0).name().toLowerCase() : ops.contains(Change.Op.INSTALL) ? "install" : "change";
  }

  static String describe(Requirement req) {
    return Requirements.describe(req);
  }

  /**
   * @return the message of a change that no plan fits: each unsatisfiable requirement once, those
   *     of one requirer that the same candidate would satisfy on one line
   */
  static String message(Change change, List<MissingRequirement> missing, ResolutionException e, Object hostVersion) {
    String sources = what(change);
    String verb = verb(change);
    String nothing = verb.equals("install") ? "Nothing was installed." : "Nothing was changed.";
    StringBuilder s = new StringBuilder("Cannot ").append(verb).append(" ").append(sources).append(": ");
    if (missing.isEmpty()) {
      return s.append("its requirements each have a provider, but the providers conflict (a uses constraint): ")
          .append(e == null ? "the resolver leaves it out" : e.getMessage()).append(". ").append(nothing).toString();
    }
    s.append(verb.equals("uninstall") ? "other plugins need what it provides. " : "no plan fits. ").append(nothing);
    // One line per requirer and set of candidates: a missing jackson-core is one line, not one per package.
    Map<String, List<MissingRequirement>> groups = new LinkedHashMap<>();
    for (MissingRequirement m : missing) {
      String key = m.path() + "|" + m.namespace() + "|" + m.candidates().stream()
          .map(p -> p.symbolicName() + " " + p.version()).toList();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
    }
    for (List<MissingRequirement> group : groups.values()) {
      MissingRequirement first = group.get(0);
      s.append("\n  - ").append(first.path()).append(" requires ")
          .append(String.join(", ", group.stream().map(MissingRequirement::description).toList()));
      String it = group.size() == 1 ? "it" : "them";
      if ("dockevos.host".equals(first.namespace())) {
        s.append(" (this host is ").append(hostVersion).append("): it needs a newer dockevOS");
      } else if ("dockevos.hardware".equals(first.namespace())) {
        s.append(": this machine does not meet it (hw:info shows what it has, once the feature dockevos-hardware is"
            + " installed)");
      } else if (first.candidates().isEmpty() && !verb.equals("install") && !verb.equals("start")) {
        s.append(": only what the change takes away provides ").append(it);
      } else if (first.candidates().isEmpty()) {
        s.append(": nothing installed").append(change.scope() == Change.Scope.REPOSITORIES ? " or in the repositories"
            : "").append(" provides ").append(it);
      } else {
        // The highest version first; past two, the others are counted, and plugin:search lists them.
        List<Provider> best = first.candidates().stream().sorted(java.util.Comparator.comparing(
            (Provider p) -> version(p.version())).reversed()).toList();
        List<String> names = best.stream().map(p -> p.symbolicName() + " " + p.version()).distinct().toList();
        s.append(": not installed; ");
        if (names.size() <= 2) {
          s.append(names.size() == 1 ? names.get(0) + " provides " + it : String.join(", ", names) + " provide " + it)
              .append(" (").append(best.get(0).command()).append(")");
        } else {
          s.append(names.get(0)).append(" provides ").append(it).append(" (").append(best.get(0).command())
              .append("), and ").append(names.size() - 1).append(" other versions do: plugin:search --requirement '")
              .append(first.namespace()).append(";filter:=\"").append(first.filter()).append("\"'");
        }
      }
    }
    if (verb.equals("uninstall")) {
      s.append("\nUninstall them with it (name them too), or use --force to leave them unresolved.");
    } else if (change.scope() == Change.Scope.GIVEN && missing.stream().anyMatch(m -> !m.candidates().isEmpty())) {
      s.append("\nNothing is taken from the repositories for this change; plugin:install without --no-deps adds"
          + " what is needed.");
    }
    return s.toString();
  }

}
