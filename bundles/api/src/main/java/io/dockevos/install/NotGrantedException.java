package io.dockevos.install;

import io.dockevos.plugin.PluginException;
import java.util.List;

/**
 * A plan was not applied (or a named source was left out of it) because its bundles request
 * permissions that no one granted: the message names each bundle, the permissions, and how to grant
 * them; {@link #requests()} has them as values.
 *
 * @since 0.1
 */
public class NotGrantedException extends PluginException {
  private static final long serialVersionUID = 1L;
  private final transient List<Plan.PermissionRequest> requests;

  public NotGrantedException(String message, List<Plan.PermissionRequest> requests) {
    super(message);
    this.requests = List.copyOf(requests);
  }

  /** @return each bundle that requests permissions not granted, with them */
  public List<Plan.PermissionRequest> requests() {
    return requests;
  }
}
