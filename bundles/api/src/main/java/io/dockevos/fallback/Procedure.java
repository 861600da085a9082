package io.dockevos.fallback;

import java.util.List;

/**
 * Step-by-step instructions for a person, for a problem that nothing automatic can solve.
 *
 * @param problem the key of the problem, for example {@link #CONTAINER_ENGINE_MISSING} or
 *     {@code tool-missing/git}
 * @param title one line
 * @param steps the steps, in order, each in plain words (commands included as they are typed)
 * @since 0.1
 */
public record Procedure(String problem, String title, List<String> steps) {
  /** No container engine can be reached. */
  public static final String CONTAINER_ENGINE_MISSING = "container-engine-missing";
  /** The prefix of the key for a missing system tool: {@code tool-missing/<tool>}. */
  public static final String TOOL_MISSING_PREFIX = "tool-missing/";

  public Procedure {
    steps = List.copyOf(steps);
  }
}
