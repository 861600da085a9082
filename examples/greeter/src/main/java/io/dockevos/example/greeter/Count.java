package io.dockevos.example.greeter;

import io.dockevos.action.Action;
import io.dockevos.action.ActionContext;
import io.dockevos.action.ActionDefinition;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The action {@code count}: how many greetings so far, across updates. No input. */
@Component(service = Action.class)
@ActionDefinition(name = "count", description = "How many greetings so far",
    schema = "{\"type\":\"object\",\"additionalProperties\":false}")
public final class Count implements Action {
  private final GreetingCounter counter;

  @Activate
  public Count(@Reference GreetingCounter counter) {
    this.counter = counter;
  }

  @Override
  public Object invoke(Map<String, Object> input, ActionContext context) {
    return Map.of("greetings", counter.count());
  }
}
