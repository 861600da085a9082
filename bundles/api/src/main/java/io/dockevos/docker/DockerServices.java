package io.dockevos.docker;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The services of the small compose for plugins: each is a factory configuration of
 * {@link #FACTORY_PID} (image, command, env, limits, restart policy with backoff, depends-on),
 * and the runtime keeps each one that is up running.
 *
 * @since 0.1
 */
@ProviderType
public interface DockerServices {
  /** The factory PID of a service's configuration. */
  String FACTORY_PID = "dockevos.docker.service";

  /** Every configured service, in the order their dependencies allow. */
  List<ServiceInfo> list();

  /** Brings a service up (and the services it depends on); {@code null} for all. */
  void up(String name);

  /** Takes a service down: stops and removes its container, and keeps it down; {@code null} for all. */
  void down(String name);
}
