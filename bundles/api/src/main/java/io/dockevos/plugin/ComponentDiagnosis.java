package io.dockevos.plugin;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One Declarative Services component of a bundle, as the Service Component Runtime sees it.
 *
 * @param name the component's name
 * @param implementation its implementation class
 * @param state its state; of a component with several configurations, the worst of them
 * @param unsatisfied each mandatory reference that no service satisfies, for {@link
 *     State#UNSATISFIED_REFERENCE}; else empty
 * @param failure why its activation failed, as the runtime tells it (often a stack trace), for
 *     {@link State#FAILED_ACTIVATION}; else {@code null}
 * @param configurationPids the configuration PIDs it takes
 * @since 0.1
 */
public record ComponentDiagnosis(String name, String implementation, State state, List<Reference> unsatisfied,
    String failure, List<String> configurationPids) {
  public ComponentDiagnosis {
    unsatisfied = List.copyOf(unsatisfied);
    configurationPids = List.copyOf(configurationPids);
  }

  /** The state of a component, from the worst. */
  public enum State {
    /** Its activation threw: {@link ComponentDiagnosis#failure()} says why. */
    FAILED_ACTIVATION,
    /** A mandatory reference has no service: {@link ComponentDiagnosis#unsatisfied()} names them. */
    UNSATISFIED_REFERENCE,
    /** It waits for its configuration, as it was made to (configuration policy REQUIRE). */
    UNSATISFIED_CONFIGURATION,
    /** Disabled, on purpose ({@code scr:disable}, or not enabled by its description). */
    DISABLED,
    /** Satisfied, not activated yet: a delayed component waits for its first user. */
    SATISFIED,
    /** Active. */
    ACTIVE
  }

  /**
   * A reference of a component that no service satisfies.
   *
   * @param name the reference's name
   * @param interfaceName the service interface it wants
   * @param target its target filter, or {@code null} when it has none
   */
  public record Reference(String name, String interfaceName, String target) {
    /** @return {@code a service io.x.Api (reference api, target (x=y))} */
    public String describe() {
      return "a service " + interfaceName + " (reference " + name + (target != null ? ", target " + target : "")
          + ")";
    }
  }

  /** @return whether it is broken: its activation failed, or a mandatory reference has no service */
  public boolean failing() {
    return state == State.FAILED_ACTIVATION || state == State.UNSATISFIED_REFERENCE;
  }

  /** @return the first line of {@link #failure()}, or {@code ""} */
  public String failureLine() {
    return Objects.requireNonNullElse(failure, "").lines().findFirst().orElse("").trim();
  }

  /**
   * @param bundle the bundle it belongs to, as a person reads it ({@code name version})
   * @return what it is, as one clause: {@code the component io.x.Jobs of io.x 1.0.0 waits for a
   *     service io.x.Runner (reference runner), which nothing provides}
   */
  public String explained(String bundle) {
    String who = "the component " + name + " of " + bundle;
    return switch (state) {
      case FAILED_ACTIVATION -> who + " failed to activate: " + failureLine();
      case UNSATISFIED_REFERENCE -> who + " waits for " + unsatisfied.stream().map(Reference::describe)
          .collect(Collectors.joining(" and ")) + ", which nothing provides";
      case UNSATISFIED_CONFIGURATION -> who + " waits for its configuration " + String.join(", ", configurationPids);
      case DISABLED -> who + " is disabled";
      case SATISFIED -> who + " is satisfied";
      case ACTIVE -> who + " is active";
    };
  }
}
