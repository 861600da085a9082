package io.dockevos.example.greeter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.action.Action;
import io.dockevos.example.greeter.GreetingCounter;
import io.dockevos.action.ActionContext;
import io.dockevos.action.ActionListener;
import io.dockevos.action.ActionService;
import io.dockevos.launcher.CommandResult;
import io.dockevos.plugin.PluginState;
import io.dockevos.testkit.DockevOSRuntime;
import io.dockevos.testkit.DockevOSTest;
import io.dockevos.testkit.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The greeter in a real, embedded dockevOS (the test kit): the jar that {@code package} made is
 * installed as {@code plugin:install} would, and its actions are run as a user and a program would.
 * (In a package of its own: Failsafe puts the signed jar on the class path, and a package's classes
 * must all have the same signer.)
 */
@DockevOSTest
class GreeterIT {
  private static final String GREETER = "io.dockevos.example.greeter";

  @Service
  ActionService actions;

  @Test
  void greetIsACommandThatStreamsOneLinePerGreeting(DockevOSRuntime dockevos) {
    String out = dockevos.run("greeter:greet name=World times=2");
    List<String> lines = out.lines().toList();
    assertEquals("Hello, World! (1/2)", lines.get(0), out);
    assertTrue(lines.contains("Hello, World! (2/2)"), out);
    assertTrue(out.contains("\"greeted\": \"World\""), out);
  }

  @Test
  void inputThatBreaksTheSchemaIsRefusedNamingTheField(DockevOSRuntime dockevos) {
    CommandResult r = dockevos.execute("greeter:greet name=World times=11");
    assertFalse(r.ok(), r::toString);
    assertTrue(r.error().contains("field 'times'") && r.error().contains("11 is greater than 10"), r.error());
  }

  @Test
  void aProgramInvokesTheActionThroughTheActionService() throws Exception {
    List<String> streamed = new ArrayList<>();
    Object result = actions.invoke(GREETER, "greet", Map.of("name", "Ada", "times", 2), null, new ActionListener() {
      @Override
      public void output(String chunk) {
        streamed.add(chunk.strip());
      }
    });
    assertEquals(List.of("Hello, Ada! (1/2)", "Hello, Ada! (2/2)"), streamed);
    assertEquals("Ada", ((Map<?, ?>) result).get("greeted"));
  }

  @Test
  void anActionIsAServiceOfAnApiType(@Service(filter = "(dockevos.action.name=count)") Action count) throws Exception {
    Object result = count.invoke(Map.of(), new ActionContext() {
      @Override
      public void progress(int percent, String message) {}

      @Override
      public void output(String chunk) {}

      @Override
      public boolean cancelled() {
        return false;
      }
    });
    assertTrue(((Map<?, ?>) result).containsKey("greetings"), String.valueOf(result));
  }

  @Test
  void thePluginsOwnClassIsNotTheTestsAndTheFailureSaysSo(DockevOSRuntime dockevos) {
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> dockevos.service(GreetingCounter.class, "", Duration.ofMillis(200)));
    assertTrue(e.getMessage().contains(GREETER + " registers one, but of its own class"), e.getMessage());
  }

  @Test
  void theCountSurvivesAnUpdate(DockevOSRuntime dockevos) {
    dockevos.run("greeter:greet name=Update times=3");
    long before = count(dockevos);
    assertTrue(before >= 3, "greetings were counted: " + before);
    long id = dockevos.plugin().id();

    assertEquals(PluginState.ACTIVE, dockevos.update().state());

    assertTrue(dockevos.plugin().updated() != null, "the plugin manager recorded the update");
    assertEquals(id, dockevos.plugin().id(), "the same plugin, updated in place");
    assertEquals(before, count(dockevos), "GreetingCounter (a StatefulPlugin) carried the count across the update");
  }

  private static long count(DockevOSRuntime dockevos) {
    String out = dockevos.run("greeter:count");
    Matcher m = Pattern.compile("\"greetings\": (\\d+)").matcher(out);
    assertTrue(m.find(), out);
    return Long.parseLong(m.group(1));
  }
}
