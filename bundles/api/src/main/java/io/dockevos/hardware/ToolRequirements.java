package io.dockevos.hardware;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A whiteboard service of what requires system tools besides bundles and features (the external
 * plugins, whose {@code plugin.yaml} says {@code requires: ["python3>=3.8"]}): {@link
 * HardwareAnalyzer#check(String)}, and so {@code hw:check}, checks their requirements too.
 *
 * @since 0.2
 */
@ConsumerType
public interface ToolRequirements {
  /**
   * @return the requirement filters in the {@link SystemTools#NAMESPACE} namespace, for example
   *     {@code (&(dockevos.system=python3)(version>=3.8.0))}, by who requires them (a name that
   *     {@code hw:check NAME} takes, shown as {@link ToolCheck#requiredBy()})
   */
  Map<String, List<String>> requirements();
}
