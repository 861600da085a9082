package io.dockevos.external;

import java.util.List;

/**
 * An external plugin was not installed because its {@code plugin.yaml} asks for permissions that no
 * one granted: the message names the plugin, the permissions and how to grant them; {@link
 * #permissions()} has them as values.
 *
 * @since 0.2
 */
public class NotGrantedException extends ExternalPluginException {
  private static final long serialVersionUID = 1L;
  private final String plugin;
  private final List<String> permissions;

  public NotGrantedException(String message, String plugin, List<String> permissions) {
    super(message);
    this.plugin = plugin;
    this.permissions = List.copyOf(permissions);
  }

  /** @return the plugin's name */
  public String plugin() {
    return plugin;
  }

  /** @return the permissions it asks for that are not granted, as {@code plugin.yaml} names them */
  public List<String> permissions() {
    return permissions;
  }
}
