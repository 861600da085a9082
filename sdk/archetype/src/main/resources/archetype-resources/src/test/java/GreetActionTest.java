package ${package};

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dockevos.action.ActionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unit tests: the classes alone, without a framework. */
class GreetActionTest {
  /** What an action streams, recorded. */
  private static final class Recorded implements ActionContext {
    final List<String> output = new ArrayList<>();

    @Override
    public void progress(int percent, String message) {}

    @Override
    public void output(String chunk) {
      output.add(chunk);
    }

    @Override
    public boolean cancelled() {
      return false;
    }
  }

  @Test
  void greetsByNameAndCounts() {
    GreetingCounter counter = new GreetingCounter();
    Recorded context = new Recorded();
    Object result = new GreetAction(counter, "Hello").invoke(Map.of("name", "World"), context);
    assertEquals(List.of("Hello, World!"), context.output);
    assertEquals(Map.of("greeted", "World", "total", 1L), result);
  }

  @Test
  void shouts() {
    Recorded context = new Recorded();
    new GreetAction(new GreetingCounter(), "Hi").invoke(Map.of("name", "World", "shout", true), context);
    assertEquals(List.of("HI, WORLD!"), context.output);
  }

  @Test
  void theCountIsSavedAndRestored() {
    GreetingCounter old = new GreetingCounter();
    old.increment();
    old.increment();
    byte[] state = old.saveState();
    assertArrayEquals("2".getBytes(), state);
    GreetingCounter updated = new GreetingCounter();
    updated.restoreState(old.stateVersion(), state);
    assertEquals(2, updated.count());
  }
}
