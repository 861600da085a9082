package io.dockevos.example.greeter;

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
 * The action {@code greet}: its input is described by {@code /schemas/greet.json}, which the
 * runtime checks before calling it; it streams one line per greeting, reports progress, and stops
 * early when cancelled. It appears as the command {@code greeter:greet}.
 */
@Component(service = Action.class, configurationPid = GreeterConfig.PID)
@Designate(ocd = GreeterConfig.class)
@ActionDefinition(name = "greet", description = "Greets someone, one line per greeting",
    schema = "/schemas/greet.json", timeout = 30)
public final class Greet implements Action {
  private final GreetingCounter counter;
  private volatile String greeting;

  @Activate
  public Greet(@Reference GreetingCounter counter, GreeterConfig config) {
    this.counter = counter;
    this.greeting = config.greeting();
  }

  @Modified
  void modified(GreeterConfig config) {
    this.greeting = config.greeting();
  }

  @Override
  public Object invoke(Map<String, Object> input, ActionContext context) throws InterruptedException {
    String name = (String) input.get("name");
    long times = ((Number) input.getOrDefault("times", 1L)).longValue();
    long pause = ((Number) input.getOrDefault("pauseMs", 0L)).longValue();
    for (long i = 1; i <= times && !context.cancelled(); i++) {
      context.output(greeting + ", " + name + "! (" + i + "/" + times + ")");
      counter.increment();
      context.progress((int) (i * 100 / times), "greeted " + i + " of " + times);
      if (pause > 0 && i < times) {
        Thread.sleep(pause);
      }
    }
    // A LinkedHashMap keeps the order the result is printed in (Map.of has none).
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("greeted", name);
    result.put("times", times);
    result.put("total", counter.count());
    return result;
  }
}
