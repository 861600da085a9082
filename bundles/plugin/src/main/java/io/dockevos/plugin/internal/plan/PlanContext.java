package io.dockevos.plugin.internal.plan;

import aQute.bnd.osgi.resource.ResourceUtils;
import io.dockevos.api.Host;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.IdentityNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;
import org.osgi.service.resolver.HostedCapability;
import org.osgi.service.resolver.ResolveContext;

/**
 * What the Felix resolver sees of a plan: the installed bundles (with their wirings), the named
 * sources and, for a plan that may draw on them, the repository's resources. Providers come in the
 * order of preference: what is installed, then what was named, then the repository's, those whose
 * version the requirer's POM declares first and then the highest version.
 */
final class PlanContext extends ResolveContext {
  private final FrameworkWiring framework;
  private final Map<Resource, Wiring> wirings;
  private final Collection<Resource> mandatory;
  private final Collection<Resource> optional;
  private final List<Resource> named;
  private final Catalog catalog;
  /** The versions each requirer's POM declares, by artifact id; empty when it has no POM at hand. */
  private final Function<Resource, Map<String, String>> declared;
  /**
   * Identities ({@code name version}) of installed (also those the plan replaces or removes) and named
   * resources: the repository's copies are not offered.
   */
  private final Set<String> present = new HashSet<>();
  /** The symbolic names of what the plan replaces or removes: the repository offers no other version of them. */
  private final Set<String> replacedNames = new HashSet<>();
  /** Installed revisions that the plan replaces or removes: not offered, not wired to. */
  private final Set<Resource> excluded;

  /**
   * @param started installed bundles that do not resolve yet and that the plan resolves ({@code
   *     Change.Op.START}): roots as the named sources are, but their capabilities come from the framework
   */
  PlanContext(FrameworkWiring framework, Map<Resource, Wiring> wirings, List<Resource> named,
      List<Resource> started, boolean partial, Catalog catalog, Function<Resource, Map<String, String>> declared,
      Set<Resource> excluded, Collection<BundleRevision> installed) {
    this.framework = framework;
    this.wirings = wirings;
    this.named = named;
    List<Resource> roots = new ArrayList<>(named);
    roots.addAll(started);
    this.mandatory = partial ? List.of() : roots;
    this.optional = partial ? roots : List.of();
    this.catalog = catalog;
    this.declared = declared;
    this.excluded = excluded;
    // What the plan replaces or removes is not offered again from the repository, in no version.
    for (BundleRevision r : installed) {
      present.add(identity(r));
    }
    for (Resource r : excluded) {
      replacedNames.add(name(r));
    }
    named.forEach(r -> present.add(identity(r)));
  }

  /** @return {@code name version} of the resource */
  static String identity(Resource r) {
    return name(r) + " " + version(r);
  }

  /** @return whether the repository may offer this resource: it is no version of what the plan replaces */
  boolean offered(Resource r) {
    return !replacedNames.contains(name(r));
  }

  /**
   * @return the resource's symbolic name, read from its identity capability (bnd's {@code
   *     ResourceUtils.getIdentity} makes a proxy each time: a plan asks thousands of times)
   */
  static String name(Resource r) {
    for (Capability c : r.getCapabilities(IdentityNamespace.IDENTITY_NAMESPACE)) {
      Object n = c.getAttributes().get(IdentityNamespace.IDENTITY_NAMESPACE);
      if (n != null) {
        return n.toString();
      }
    }
    return String.valueOf(r);
  }

  static Version version(Resource r) {
    for (Capability c : r.getCapabilities(IdentityNamespace.IDENTITY_NAMESPACE)) {
      Object v = c.getAttributes().get(IdentityNamespace.CAPABILITY_VERSION_ATTRIBUTE);
      if (v != null) {
        return v instanceof Version ver ? ver : Version.parseVersion(v.toString());
      }
    }
    return Version.emptyVersion;
  }

  @Override
  public Collection<Resource> getMandatoryResources() {
    return mandatory;
  }

  @Override
  public Collection<Resource> getOptionalResources() {
    return optional;
  }

  @Override
  public List<Capability> findProviders(Requirement requirement) {
    List<Capability> installed = new ArrayList<>();
    for (Capability c : framework.findProviders(requirement)) {
      if (!excluded.contains(c.getResource())) {
        installed.add(c);
      }
    }
    // Resolved bundles before those that are not (yet).
    installed.sort(Comparator.comparingInt(c -> wirings.containsKey(c.getResource()) ? 0 : 1));
    List<Capability> result = new ArrayList<>();
    // A bundle that imports a package it exports itself (a substitutable export) keeps its own first:
    // another version of the same bundle is no better a provider.
    Resource requirer = requirement.getResource();
    if (requirer != null && !(requirer instanceof org.osgi.framework.wiring.BundleRevision)) {
      for (Capability c : requirer.getCapabilities(requirement.getNamespace())) {
        if (ResourceUtils.matches(requirement, c)) {
          result.add(c);
        }
      }
    }
    result.addAll(installed);
    for (Resource r : named) {
      if (r.equals(requirer)) {
        continue;
      }
      for (Capability c : r.getCapabilities(requirement.getNamespace())) {
        if (ResourceUtils.matches(requirement, c)) {
          result.add(c);
        }
      }
    }
    // The repository is asked only when nothing installed or named provides: what is installed comes
    // first anyway, and a plan whose requirements are all met never reads the repository's index.
    // An optional requirement never pulls a bundle in: it wires to what is there, as the user asked for.
    if (result.isEmpty() && !Namespace.RESOLUTION_OPTIONAL.equals(requirement.getDirectives().get(
        Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))) {
      for (Capability c : fromRepository(requirement)) {
        if (!c.getResource().equals(requirer)) {
          result.add(c);
        }
      }
    }
    return result;
  }

  /** The repository's providers that are not installed or named, best first. */
  List<Capability> fromRepository(Requirement requirement) {
    List<Capability> repo = new ArrayList<>();
    for (Capability c : catalog.findProviders(requirement)) {
      if (!present.contains(identity(c.getResource())) && !replacedNames.contains(name(c.getResource()))) {
        repo.add(c);
      }
    }
    if (repo.size() > 1) {
      Map<String, String> pom = requirement.getResource() == null ? Map.of() : declared.apply(requirement.getResource());
      repo.sort(Comparator.comparing((Capability c) -> declaredBy(pom, c.getResource()) ? 0 : 1)
          .thenComparing(c -> version(c.getResource()), Comparator.reverseOrder()));
    }
    return repo;
  }

  /** @return whether the requirer's POM declares this resource's artifact in this version */
  boolean declaredBy(Map<String, String> pom, Resource candidate) {
    if (pom.isEmpty()) {
      return false;
    }
    return Poms.artifact(catalog, candidate).map(a -> a[1].equals(Poms.versionOf(pom, a[0]))).orElse(false);
  }

  /** @return the reason a repository resource was chosen for a requirement, for the plan */
  String why(Requirement requirement, Resource chosen) {
    List<Capability> all = fromRepository(requirement);
    Map<String, String> pom = requirement.getResource() == null ? Map.of() : declared.apply(requirement.getResource());
    if (declaredBy(pom, chosen)) {
      return "the version its POM declares";
    }
    long versions = all.stream().map(c -> version(c.getResource())).distinct().count();
    return versions <= 1 ? "the only version available" : "the highest version in range";
  }

  @Override
  public boolean isEffective(Requirement requirement) {
    String effective = requirement.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
    // A feature that a plugin requires is checked against the installed features before planning.
    return (effective == null || Namespace.EFFECTIVE_RESOLVE.equals(effective))
        && !Host.FEATURE_NAMESPACE.equals(requirement.getNamespace());
  }

  @Override
  public Map<Resource, Wiring> getWirings() {
    return wirings;
  }

  @Override
  public int insertHostedCapability(List<Capability> capabilities, HostedCapability hostedCapability) {
    capabilities.add(hostedCapability);
    return capabilities.size() - 1;
  }

  /** @return the wirings of every resolved installed bundle, but those the plan replaces */
  static Map<Resource, Wiring> wirings(Collection<BundleRevision> installed, Set<Resource> excluded) {
    Map<Resource, Wiring> result = new LinkedHashMap<>();
    for (BundleRevision r : installed) {
      if (r.getWiring() != null && !excluded.contains(r)) {
        result.put(r, r.getWiring());
      }
    }
    return result;
  }
}
