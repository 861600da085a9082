package io.dockevos.hardware;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The hardware analyzer: what the system is, the system tools that plugins and features require,
 * and the resources that its monitor samples.
 *
 * @since 0.1
 */
@ProviderType
public interface HardwareAnalyzer {
  /** Detects what the system is now (memory and free space are read anew at each call). */
  HardwareInfo info();

  /**
   * Checks the system tools that the installed plugins and features require (namespace
   * {@link SystemTools#NAMESPACE}), each by running its version command with a short timeout.
   * A missing or too old tool also publishes {@link HardwareEvents#TOOL_MISSING}.
   *
   * @param target a plugin (id, symbolic name) or {@code feature:NAME}; {@code null} for all
   * @throws IllegalArgumentException when the target names nothing installed
   */
  List<ToolCheck> check(String target);

  /**
   * Checks one tool against a requirement filter, for example
   * {@code (&(dockevos.system=git)(version>=2))}, without publishing anything.
   *
   * @param filter an LDAP filter in the {@link SystemTools#NAMESPACE} namespace
   * @param requiredBy who requires it, as {@link ToolCheck#requiredBy()} shows it
   * @throws IllegalArgumentException when the filter does not parse or names no tool
   */
  ToolCheck checkFilter(String filter, String requiredBy);

  /** One sample of the monitored resources, as the threshold monitor takes it. */
  ResourceSample sample();
}
