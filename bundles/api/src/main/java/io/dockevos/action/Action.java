package io.dockevos.action;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An action of a plugin. Register it as a service with the properties of {@link ActionDefinition}
 * ({@value #NAME} at least). The runtime validates the input against the schema before it calls
 * {@link #invoke}, so an action can trust the input's shape.
 *
 * @since 0.1
 */
@ConsumerType
public interface Action {
  /** The service property that names the action (letters, digits, {@code -} and {@code _}). */
  String NAME = "dockevos.action.name";
  /** The service property with a one-line description. */
  String DESCRIPTION = "dockevos.action.description";
  /**
   * The service property with the JSON Schema of the input: the schema itself (text starting with
   * <code>{</code>), or the path of a resource in the plugin's bundle that holds it.
   */
  String SCHEMA = "dockevos.action.schema";
  /** The service property with the timeout in seconds (a {@code Long}; default 60). */
  String TIMEOUT = "dockevos.action.timeout";
  /** The service property with the Gogo scope of its command; default: the last part of the bundle's symbolic name. */
  String SCOPE = "dockevos.action.scope";
  /**
   * The service property with the plugin it belongs to, when that is not the registering bundle: an
   * external plugin's tools are registered by the bundle that runs it. Default: the bundle's symbolic name.
   *
   * @since 0.2
   */
  String PLUGIN = "dockevos.action.plugin";

  /**
   * Runs the action.
   *
   * @param input the input, valid against the schema: JSON values as Java ({@code Map}, {@code
   *     List}, {@code String}, {@code Long} or {@code Double}, {@code Boolean}, {@code null})
   * @param context where to report progress and stream output, and whether the caller gave up
   * @return the result, as JSON values in Java (as the input), or {@code null}
   * @throws Exception when the action fails; its message is what the user sees
   */
  Object invoke(Map<String, Object> input, ActionContext context) throws Exception;
}
