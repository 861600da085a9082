package io.dockevos.plugin.internal.plan;

import io.dockevos.plugin.Provider;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

/** What the planner needs of the repository: its providers of a requirement, and how to get each one. */
public interface Catalog {
  /** The empty repository: plans then draw on what is installed and named only. */
  Catalog EMPTY = new Catalog() {
    @Override
    public List<Capability> findProviders(Requirement requirement) {
      return List.of();
    }

    @Override
    public String source(Resource resource) {
      throw new IllegalArgumentException("not a repository resource: " + resource);
    }

    @Override
    public Optional<Path> pom(Resource resource) {
      return Optional.empty();
    }

    @Override
    public Provider provider(Resource resource) {
      throw new IllegalArgumentException("not a repository resource: " + resource);
    }
  };

  /**
   * Called once before each plan: a repository that was read already looks for what changed on disk
   * since (cheaply, and not more than once a second); one that was never read stays unread.
   */
  default void checkForChanges() {
  }

  /** @return the capabilities of repository resources that match the requirement, in any order */
  List<Capability> findProviders(Requirement requirement);

  /** @return what {@code plugin:install} takes to install the resource: a path or a URL */
  String source(Resource resource);

  /** @return the POM beside the resource's jar in a Maven layout, if there is one */
  Optional<Path> pom(Resource resource);

  /** @return the resource as a provider a user can act on */
  Provider provider(Resource resource);
}
