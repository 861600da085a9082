package io.dockevos.plugin;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Diagnostics} finds about one bundle: typed values, for the error handler, the
 * assistant and {@code plugin:diag} alike, with their wording in one place ({@link #problems()},
 * {@link #fixes()}).
 *
 * @param bundleId the bundle's id
 * @param symbolicName its symbolic name
 * @param version its version
 * @param state its state as a user sees it
 * @param fragment whether it is a fragment (it never starts itself; RESOLVED is its best state)
 * @param missing the mandatory requirements that nothing installed satisfies, when it does not
 *     resolve; else empty
 * @param components each of its Declarative Services components (none unless it is active)
 * @param failure why its last start failed, when it is {@link PluginState#FAILED}; else {@code null}
 * @since 0.1
 */
public record BundleDiagnosis(long bundleId, String symbolicName, String version, PluginState state,
    boolean fragment, List<MissingRequirement> missing, List<ComponentDiagnosis> components, String failure) {
  public BundleDiagnosis {
    missing = List.copyOf(missing);
    components = List.copyOf(components);
  }

  /** @return {@code name version}, as the bundle is named to a person */
  public String who() {
    return symbolicName + " " + version;
  }

  /** @return its components that are broken ({@link ComponentDiagnosis#failing()}) */
  public List<ComponentDiagnosis> failing() {
    return components.stream().filter(ComponentDiagnosis::failing).toList();
  }

  /**
   * @return the component of that name, if the bundle has it
   * @param name a component's name
   */
  public java.util.Optional<ComponentDiagnosis> component(String name) {
    return components.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /**
   * Whether nothing is broken: it resolves, its last start did not fail, and no component failed
   * or waits for a service. A bundle stopped or disabled on purpose is healthy, and so is one whose
   * component waits for its configuration (it was made to).
   *
   * @return whether nothing is broken
   */
  public boolean healthy() {
    return missing.isEmpty() && failure == null && state != PluginState.INSTALLED && state != PluginState.FAILED
        && failing().isEmpty();
  }

  /**
   * @param who the bundle, {@code name version}
   * @param missing what it lacks
   * @return why a bundle does not resolve, in plain words: its requirements that nothing provides,
   *     each with where to get a provider, one a line; or that its providers conflict
   */
  public static String unresolved(String who, List<MissingRequirement> missing) {
    if (missing.isEmpty()) {
      return who + " does not resolve, although each of its requirements has a provider: the providers conflict"
          + " (a uses constraint); the resolver's account is in the log";
    }
    StringBuilder s = new StringBuilder(who).append(" does not resolve; it requires:");
    for (MissingRequirement m : missing) {
      s.append("\n  - ").append(m.explained());
    }
    return s.toString();
  }

  /**
   * @return why it is not fully running, one sentence each: its state when that is not ACTIVE
   *     (disabled, failed, unresolved, stopped, a fragment), and each component that is not
   *     satisfied; empty when it is ACTIVE with every component satisfied
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    switch (state) {
      case DISABLED -> problems.add(who() + " is disabled: it stays stopped, across restarts too, until it is enabled.");
      case FAILED -> problems.add(who() + " failed: " + failure);
      case INSTALLED -> problems.add(unresolved(who(), missing) + ".");
      case RESOLVED -> problems.add(fragment ? who() + " is a fragment: it never starts itself; it is part of its host."
          : who() + " is resolved but not started.");
      case STARTING -> problems.add(who() + " is starting (lazy activation waits for its first class load).");
      case STOPPING -> problems.add(who() + " is stopping.");
      case ACTIVE -> { }
    }
    for (ComponentDiagnosis c : components) {
      if (c.failing() || c.state() == ComponentDiagnosis.State.UNSATISFIED_CONFIGURATION) {
        String s = c.explained(who());
        problems.add(Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".");
      }
    }
    return problems;
  }

  /** @return what a user can do about {@link #problems()}, one command or step each */
  public List<String> fixes() {
    List<String> fixes = new ArrayList<>();
    String id = String.valueOf(bundleId);
    for (MissingRequirement m : missing) {
      if (m.providers().isEmpty()) {
        fixes.add("install a plugin that provides " + m.description());
      } else {
        m.providers().forEach(p -> fixes.add("install " + p));
      }
    }
    switch (state) {
      case DISABLED -> fixes.add("plugin:enable " + id);
      case FAILED -> fixes.add(missing.isEmpty() ? "fix the cause above, then plugin:start " + id + " (or plugin:update "
          + id + " with a fixed build)" : "then plugin:start " + id);
      case INSTALLED -> fixes.add("then plugin:start " + id);
      case RESOLVED -> {
        if (!fragment) {
          fixes.add("plugin:start " + id);
        }
      }
      default -> { }
    }
    for (ComponentDiagnosis c : components) {
      switch (c.state()) {
        case FAILED_ACTIVATION -> fixes.add("fix the component and plugin:update " + id + "; the log has the stack trace");
        case UNSATISFIED_REFERENCE -> c.unsatisfied().forEach(r -> fixes.add("install or start a plugin that provides "
            + r.interfaceName()));
        case UNSATISFIED_CONFIGURATION -> {
          String pid = c.configurationPids().isEmpty() ? c.name() : c.configurationPids().get(0);
          fixes.add("drop " + pid + ".cfg into deploy/ with its settings (config:get " + pid + " shows what it holds now)");
        }
        default -> { }
      }
    }
    return fixes;
  }
}
