package io.dockevos.plugin;

import java.util.List;

/**
 * A plugin operation failed. The message names the plugin or the source and the cause in plain
 * words; when the cause is unmet requirements, {@link #missing()} lists them.
 *
 * @since 0.1
 */
public class PluginException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<MissingRequirement> missing;

  public PluginException(String message) {
    this(message, null, List.of());
  }

  public PluginException(String message, Throwable cause) {
    this(message, cause, List.of());
  }

  public PluginException(String message, Throwable cause, List<MissingRequirement> missing) {
    super(message, cause);
    this.missing = List.copyOf(missing);
  }

  /** @return the requirements that nothing installed satisfies, when that is the cause */
  public List<MissingRequirement> missing() {
    return missing;
  }
}
