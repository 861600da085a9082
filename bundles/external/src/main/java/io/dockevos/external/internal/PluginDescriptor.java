package io.dockevos.external.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A valid {@code plugin.yaml}, with every default filled in ({@code plugin.schema.json} is its
 * schema). Read by {@link PluginYaml}.
 */
record PluginDescriptor(Path file, String name, String version, String description, String runtime, String command,
    List<String> args, String image, Map<String, String> env, List<String> permissions, Map<String, Object> config,
    Health health, Resources resources, Restart restart, List<String> requires, boolean factory) {

  /** The separator of a factory's name and an instance's: {@code hello-python~blue}. */
  static final String INSTANCE = "~";

  /** @return the same descriptor with only these of its permissions: those granted */
  PluginDescriptor withPermissions(List<String> granted) {
    return new PluginDescriptor(file, name, version, description, runtime, command, args, image, env, List.copyOf(granted),
        config, health, resources, restart, requires, factory);
  }

  /** @return the descriptor of one instance of a factory, named {@code NAME~INSTANCE} */
  PluginDescriptor instance(String instance) {
    return new PluginDescriptor(file, name + INSTANCE + instance, version, description, runtime, command, args, image, env,
        permissions, config, health, resources, restart, requires, factory);
  }

  /** @return whether it is an instance of a factory (its name has {@value #INSTANCE}) */
  boolean isInstance() {
    return name.contains(INSTANCE);
  }


  /** How it is pinged. */
  record Health(Duration interval, Duration timeout, int failureThreshold, Duration startTimeout) {}

  /** Its limits; {@code null} where {@code plugin.yaml} sets none. */
  record Resources(Long memoryBytes, Double cpus, Integer pids, Integer files) {}

  /** When and how soon it is restarted, and when it is given up on. */
  record Restart(String policy, Duration initialBackoff, Duration maxBackoff, int maxFailures, Duration window,
      Duration healthyAfter) {}

  /** @return the folder that holds {@code plugin.yaml}: what {@link #command()} is relative to */
  Path dir() {
    return file.getParent();
  }
}
