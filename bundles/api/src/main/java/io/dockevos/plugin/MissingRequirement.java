package io.dockevos.plugin;

import java.util.List;

/**
 * A requirement that nothing installed (or, for a plan, nothing named and nothing in the
 * repositories) satisfies: a typed value that reaches the error handler and the assistant as it is.
 *
 * @param namespace the requirement's namespace, for example {@code osgi.wiring.package}
 * @param filter its filter, for example {@code (&(osgi.wiring.package=io.x)(version>=1.0.0))}; empty when it has none
 * @param description the requirement in plain words, for example {@code package org.example.api [1.0,2.0)}
 * @param requiringBundle the symbolic name and version of the bundle that has the requirement
 * @param chain the bundles that lead to it, from the one that was named to the requiring bundle
 *     ({@code name version} each); just the requiring bundle when it was named itself
 * @param candidates the bundles that are not installed but would satisfy it: in {@code system/}, a
 *     feature, the local Maven repository or a registered index
 * @since 0.1
 */
public record MissingRequirement(String namespace, String filter, String description, String requiringBundle,
    List<String> chain, List<Provider> candidates) {
  public MissingRequirement {
    filter = filter == null ? "" : filter;
    chain = List.copyOf(chain);
    candidates = List.copyOf(candidates);
  }

  /** @return each candidate as a line a user can act on: where it is and the command that installs it */
  public List<String> providers() {
    return candidates.stream().map(Provider::describe).toList();
  }

  /**
   * @return the requirement with what to do about it: a newer host, the providers that are
   *     available, or that nothing known provides it
   */
  public String explained() {
    if ("dockevos.host".equals(namespace)) {
      return description + ": it needs a newer dockevOS";
    }
    if ("dockevos.hardware".equals(namespace)) {
      return description + ": this machine does not meet it (hw:info shows what it has, once the feature"
          + " dockevos-hardware is installed)";
    }
    return description + (candidates.isEmpty() ? " (nothing installed or known provides it)"
        : " (available: " + String.join("; ", providers()) + ")");
  }

  /** @return {@code a 1.0 -> b 2.0 -> requiring 1.0}, the chain that leads to the requirement */
  public String path() {
    return String.join(" -> ", chain.isEmpty() ? List.of(requiringBundle) : chain);
  }

  /** @return the requirement and, when one is known, where to get a provider, on one line */
  @Override
  public String toString() {
    String s = requiringBundle + " requires " + description;
    return candidates.isEmpty() ? s : s + "; available from " + String.join(", ", providers());
  }
}
