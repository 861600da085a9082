package io.dockevos.action;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Finds and invokes actions: the one way in for the shell, and later for REST and MCP. Every
 * invocation is validated, timed, counted and published ({@link ActionEvents}).
 *
 * @since 0.1
 */
@ProviderType
public interface ActionService {
  /** @return every action of every plugin */
  List<ActionInfo> actions();

  /**
   * Invokes an action and waits for its result. An interrupt of the calling thread (Ctrl-C in the
   * console) cancels the invocation.
   *
   * @param plugin the plugin's symbolic name (or id)
   * @param action the action's name
   * @param input the input, as JSON values in Java; validated against the schema first
   * @param timeout how long to wait, or {@code null} for the action's own timeout
   * @param listener receives streamed output and progress
   * @return the result (JSON values in Java), or {@code null}
   * @throws ActionException when it cannot run or does not finish; the message says why
   */
  Object invoke(String plugin, String action, Map<String, Object> input, Duration timeout, ActionListener listener)
      throws ActionException;
}
