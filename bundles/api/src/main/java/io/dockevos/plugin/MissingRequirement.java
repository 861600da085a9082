package io.dockevos.plugin;

import java.util.List;

/**
 * A requirement of a plugin that nothing installed satisfies.
 *
 * @param namespace the requirement's namespace, for example {@code osgi.wiring.package}
 * @param description the requirement in plain words, for example {@code package org.example.api [1.0,2.0)}
 * @param requiringBundle the symbolic name and version of the bundle that has the requirement
 * @param providers where a provider is available but not installed: a file in {@code system/}, a
 *     feature, or a bundle in the local Maven repository, each one as a line a user can act on
 * @since 0.1
 */
public record MissingRequirement(String namespace, String description, String requiringBundle, List<String> providers) {
  /**
   * @return the requirement with what to do about it: a newer host, the providers that are
   *     available, or that nothing known provides it
   */
  public String explained() {
    if ("dockevos.host".equals(namespace)) {
      return description + ": it needs a newer dockevOS";
    }
    if ("dockevos.hardware".equals(namespace)) {
      return description + ": this machine does not meet it (hw:info shows what it has)";
    }
    return description + (providers.isEmpty() ? " (nothing installed or known provides it)"
        : " (available: " + String.join("; ", providers) + ")");
  }

  /** @return the requirement and, when one is known, where to get a provider, on one line */
  @Override
  public String toString() {
    String s = requiringBundle + " requires " + description;
    return providers.isEmpty() ? s : s + "; available from " + String.join(", ", providers);
  }
}
