package io.dockevos.test.action;

import io.dockevos.action.Action;
import io.dockevos.action.ActionContext;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Registers the action echo: input {"text": string}, streams the text, returns it. */
public final class EchoActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) {
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(Action.NAME, "echo");
    props.put(Action.DESCRIPTION, "Says the text back");
    props.put(Action.SCHEMA, "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}");
    context.registerService(Action.class, (Map<String, Object> input, ActionContext ctx) -> {
      ctx.output(String.valueOf(input.get("text")));
      return input.get("text");
    }, props);
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the service
  }
}
