package io.dockevos.install;

import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.PluginException;
import java.util.List;

/**
 * No plan fits a change: the message names each requirement that nothing satisfies once, with the
 * chain of bundles that needs it, and {@link #unsatisfied()} has them as values.
 *
 * @since 0.1
 */
public class PlanException extends PluginException {
  private static final long serialVersionUID = 1L;

  public PlanException(String message, List<MissingRequirement> unsatisfied) {
    super(message, null, unsatisfied);
  }

  public PlanException(String message, Throwable cause) {
    super(message, cause, List.of());
  }

  /** @return each requirement that nothing installed, named or in the repositories satisfies */
  public List<MissingRequirement> unsatisfied() {
    return missing();
  }
}
