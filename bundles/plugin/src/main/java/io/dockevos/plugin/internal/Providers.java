package io.dockevos.plugin.internal;

import aQute.bnd.osgi.resource.CapReqBuilder;
import io.dockevos.api.Host;
import io.dockevos.plugin.internal.repo.RepositoryIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Resource;

/**
 * Finds bundles that are not installed but would satisfy a requirement: a view of the {@link
 * RepositoryIndex} ({@code system/} and the features that name its jars, the local Maven
 * repository, the registered indexes), so that diagnoses and plans see the same bundles.
 */
final class Providers {
  /** Diagnoses ask about each missing requirement in turn: one look at the disk serves them all. */
  private static final Duration FRESH = Duration.ofSeconds(2);

  private final Path system;
  private final Path maven;
  private volatile RepositoryIndex own;

  /** The plugin manager's repository, when its service runs: the index to use. */
  private final java.util.function.Supplier<io.dockevos.plugin.internal.plan.Catalog> catalog;

  Providers(Path system, Path maven) {
    this(system, maven, () -> null);
  }

  Providers(Path system, Path maven, java.util.function.Supplier<io.dockevos.plugin.internal.plan.Catalog> catalog) {
    this.system = system;
    this.maven = maven;
    this.catalog = catalog;
  }

  /**
   * The index of the repository service when it runs for these folders; else one of this manager's
   * own, kept where that service keeps it ({@code data/plugins/repo}).
   */
  private RepositoryIndex index() {
    if (catalog.get() instanceof RepositoryIndex service) {
      return service;
    }
    return RepositoryIndex.shared(system, maven).orElseGet(() -> {
      RepositoryIndex i = own;
      if (i == null) {
        synchronized (this) {
          if (own == null) {
            Path home = system.toAbsolutePath().getParent();
            String data = System.getProperty(Host.DATA_PROPERTY);
            Path state = (data != null ? Path.of(data) : home.resolve("data")).resolve("plugins").resolve("repo");
            own = new RepositoryIndex(system, maven, state);
          }
          i = own;
        }
      }
      return i;
    });
  }

  /**
   * @return each provider found: the jars of {@code system/} (or the features that name them), then
   *     those of the local Maven repository, then those of the registered indexes
   * @throws IllegalArgumentException when the filter is not valid
   */
  List<io.dockevos.plugin.Provider> providers(String namespace, String f) {
    if (f == null) {
      return List.of();
    }
    try {
      FrameworkUtil.createFilter(f);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("not a valid filter: " + f + ": " + e.getMessage(), e);
    }
    RepositoryIndex index = index();
    index.refreshIfOlderThan(FRESH);
    List<Capability> caps = index.findProviders(new CapReqBuilder(namespace)
        .addDirective(Namespace.REQUIREMENT_FILTER_DIRECTIVE, f).buildSyntheticRequirement());
    Map<Resource, Boolean> seen = new IdentityHashMap<>();
    Map<String, io.dockevos.plugin.Provider> found = new LinkedHashMap<>();
    for (Capability c : caps) {
      if (seen.put(c.getResource(), Boolean.TRUE) == null) {
        for (io.dockevos.plugin.Provider p : index.providers(c.getResource())) {
          found.putIfAbsent(p.kind() + ":" + p.source(), p);
        }
      }
    }
    return new ArrayList<>(found.values());
  }
}
