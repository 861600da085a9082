package io.dockevos.bench.jmh.bridge;

import io.dockevos.action.Action;
import io.dockevos.action.ActionContext;
import io.dockevos.action.ActionListener;
import io.dockevos.action.ActionService;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The two ways of calling an action, compiled against the dockevOS API. This package is never
 * loaded by the application class loader: {@code BridgeLoader} defines it, and links its
 * references to {@code io.dockevos.action} to the classes of the io.dockevos.api bundle inside the
 * framework, so the casts below are to the very interfaces that the plugin and the runtime use.
 * The benchmark sees only {@link Callable}, a JDK type that both class spaces share.
 */
public final class Calls {
  private Calls() {}

  /**
   * Takes what an action streams, keeping the last of each kind in a field so that the JIT cannot
   * drop the work of producing it. The direct call's context, and the dispatched call's listener.
   */
  public static final class Sink implements ActionContext, ActionListener {
    String lastOutput;
    String lastMessage;
    int lastPercent;

    @Override
    public void output(String chunk) {
      lastOutput = chunk;
    }

    @Override
    public void progress(int percent, String message) {
      lastPercent = percent;
      lastMessage = message;
    }

    @Override
    public boolean cancelled() {
      return false;
    }
  }

  /** {@code action.invoke(input, context)}: the action service object called as a plain Java object. */
  public static Callable<Object> direct(Object action, Map<String, Object> input) {
    Action a = (Action) action;
    Sink sink = new Sink();
    return () -> a.invoke(input, sink);
  }

  /** {@code ActionService.invoke(plugin, action, input, null, listener)}: the runtime's way in. */
  public static Callable<Object> dispatch(Object actionService, String plugin, String action, Map<String, Object> input) {
    ActionService s = (ActionService) actionService;
    Sink sink = new Sink();
    return () -> s.invoke(plugin, action, input, null, sink);
  }
}
