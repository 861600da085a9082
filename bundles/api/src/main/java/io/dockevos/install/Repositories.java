package io.dockevos.install;

import io.dockevos.plugin.PluginException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The repository that plans draw from: an OSGi Repository view over {@code system/}, the local
 * Maven repository (indexed on disk, refreshed by what changed) and the R5 indexes a user
 * registered ({@code repo:add}).
 *
 * @since 0.1
 */
@ProviderType
public interface Repositories {
  /** @return every repository, the built-in ones ({@code system}, {@code maven-local}) first */
  List<RepositoryInfo> list();

  /**
   * Registers an R5 index (XML, plain or gzipped), read at once; the registration survives a restart.
   *
   * @param location a path or a {@code file:}, {@code http:} or {@code https:} URL
   * @throws PluginException naming the location and why it cannot be read
   */
  RepositoryInfo add(String location) throws PluginException;

  /** Forgets a registered index, by its name or location. */
  RepositoryInfo remove(String ref) throws PluginException;

  /** @return what the repositories offer whose name, symbolic name or exported package contains {@code text} */
  List<Offer> search(String text);

  /**
   * @param namespace for example {@code osgi.wiring.package}
   * @param filter an LDAP filter, for example {@code (osgi.wiring.package=com.fasterxml.jackson.core)}
   * @return what the repositories offer that satisfies the requirement
   * @throws IllegalArgumentException when the filter is not valid, naming it
   */
  List<Offer> search(String namespace, String filter);

  /**
   * A repository.
   *
   * @param name {@code system}, {@code maven-local}, or the name of a registered index
   * @param location its folder or URL
   * @param resources how many bundles it offers
   */
  record RepositoryInfo(String name, String location, int resources) {}

  /**
   * A bundle a repository offers.
   *
   * @param symbolicName its symbolic name
   * @param version its version
   * @param provides what it provides, one capability a line ({@code package com.x 1.2.0})
   * @param repository the repository's name
   * @param source what {@code plugin:install} takes to install it
   */
  record Offer(String symbolicName, String version, List<String> provides, String repository, String source) {
    public Offer {
      provides = List.copyOf(provides);
    }
  }
}
