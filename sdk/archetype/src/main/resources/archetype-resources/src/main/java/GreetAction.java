package ${package};

import io.dockevos.action.Action;
import io.dockevos.action.ActionContext;
import io.dockevos.action.ActionDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The action {@code greet}. The runtime checks its input against {@code /schemas/greet.json} before
 * it calls {@link #invoke}, makes it a shell command (the scope is the last part of the plugin's
 * symbolic name) with {@code --help} written from the schema, and offers it to programs through the
 * {@code ActionService}.
 */
@Component(service = Action.class, configurationPid = GreetingConfig.PID)
@Designate(ocd = GreetingConfig.class)
@ActionDefinition(name = "greet", description = "Greets someone", schema = "/schemas/greet.json", timeout = 30)
public final class GreetAction implements Action {
  private final GreetingCounter counter;
  private volatile String greeting;

  @Activate
  public GreetAction(@Reference GreetingCounter counter, GreetingConfig config) {
    this(counter, config.greeting());
  }

  /** For unit tests: the action without a framework. */
  GreetAction(GreetingCounter counter, String greeting) {
    this.counter = counter;
    this.greeting = greeting;
  }

  /** The configuration changed: the next greeting uses it. */
  @Modified
  void modified(GreetingConfig config) {
    this.greeting = config.greeting();
  }

  @Override
  public Object invoke(Map<String, Object> input, ActionContext context) {
    String name = (String) input.get("name");
    String line = greeting + ", " + name + "!";
    if (Boolean.TRUE.equals(input.get("shout"))) {
      line = line.toUpperCase();
    }
    context.output(line);
    // The result: JSON values in Java, printed by the shell in this order.
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("greeted", name);
    result.put("total", counter.increment());
    return result;
  }
}
