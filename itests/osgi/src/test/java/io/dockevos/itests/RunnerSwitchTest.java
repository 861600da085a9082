package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.docker.DockerEvents;
import io.dockevos.fallback.FallbackEvents;
import io.dockevos.runner.Job;
import io.dockevos.runner.JobListener;
import io.dockevos.runner.JobResult;
import io.dockevos.runner.Runner;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The alternative's switch: a stand-in container runner (ranking 100, as the Docker manager
 * registers its runner while the engine is UP) takes over from the process runner, and when it goes
 * away the process runner serves again, with ACTIVATED; when it comes back, DEACTIVATED.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class RunnerSwitchTest {
  @InjectBundleContext
  BundleContext context;

  @InjectService
  CommandProcessor shell;

  @InjectService
  EventAdmin eventAdmin;

  /** A container runner that runs nothing: what this test tests is the switch, not Docker. */
  static final class StandIn implements Runner {
    @Override
    public String kind() {
      return "container";
    }

    @Override
    public JobResult run(Job job, JobListener listener) {
      listener.line("stand-in container ran " + String.join(" ", job.command()), false);
      return new JobResult(0, "", Duration.ZERO, "container", false);
    }
  }

  private ServiceRegistration<Runner> registerContainer() {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(Runner.KIND, "container");
    props.put(Constants.SERVICE_RANKING, Runner.RANKING_CONTAINER);
    return context.registerService(Runner.class, new StandIn(), props);
  }

  @Test
  void containerServesWhileRegisteredAndProcessTakesOverWhenItGoes() throws Exception {
    assertTrue(Shell.run(shell, "fallback:status").out().startsWith("runner: process (fallback) \u2014 no container runner is registered"),
        Shell.run(shell, "fallback:status").out());
    try (Events events = new Events(context, FallbackEvents.ALL)) {
      ServiceRegistration<Runner> container = registerContainer();
      String status = Await.until(() -> Shell.run(shell, "fallback:status").out(), s -> s.startsWith("runner: container "), "status container");
      assertTrue(status.contains("container (service.ranking 100"), status);
      assertTrue(status.contains("process (service.ranking 0"), status);
      String ran = Shell.run(shell, "fallback:run echo hi").out();
      assertEquals("stand-in container ran echo hi", ran.strip(), "the current runner runs the job");
      assertEquals("hi", Shell.run(shell, "fallback:run --runner process echo hi").out().strip(), "--runner names the kind");
      // The process runner was serving: the container's arrival makes it step back.
      Await.until(() -> events.of(FallbackEvents.DEACTIVATED).size(), n -> n == 1, "DEACTIVATED as the container arrives");
      assertEquals(List.of(), events.of(FallbackEvents.ACTIVATED));

      container.unregister();
      Event activated = Await.until(() -> events.of(FallbackEvents.ACTIVATED), l -> !l.isEmpty(), "ACTIVATED").get(0);
      assertEquals("runner", activated.getProperty(FallbackEvents.CAPABILITY));
      assertEquals("process", activated.getProperty(FallbackEvents.IMPLEMENTATION));
      assertTrue(String.valueOf(activated.getProperty(FallbackEvents.REASON)).contains("the container runner went away"),
          String.valueOf(activated.getProperty(FallbackEvents.REASON)));
      assertTrue(Shell.run(shell, "fallback:status").out().startsWith("runner: process (fallback)"));
      assertEquals("hi", Shell.run(shell, "fallback:run echo hi").out().strip(), "the process runner serves");

      // The Docker manager says why before its runner goes: the reason names the engine's state.
      events.seen.clear();
      eventAdmin.sendEvent(new Event(DockerEvents.ENGINE_UP, Map.of(DockerEvents.ENDPOINT, "unix:///run/test.sock")));
      container = registerContainer();
      Await.until(() -> events.of(FallbackEvents.DEACTIVATED), l -> l.size() == 1, "DEACTIVATED");
      eventAdmin.sendEvent(new Event(DockerEvents.ENGINE_DOWN, Map.of(DockerEvents.ENDPOINT, "unix:///run/test.sock",
          DockerEvents.REASON, "connection refused")));
      container.unregister();
      Event down = Await.until(() -> events.of(FallbackEvents.ACTIVATED), l -> l.size() == 1, "ACTIVATED after DOWN").get(0);
      assertEquals("the container runner went away: the container engine is DOWN at unix:///run/test.sock: connection refused;"
          + " the process runner serves", down.getProperty(FallbackEvents.REASON));
      assertTrue(Shell.run(shell, "fallback:status").out().startsWith(
          "runner: process (fallback) \u2014 the container engine is DOWN at unix:///run/test.sock: connection refused"));
      events.seen.clear();

      container = registerContainer();
      Event deactivated = Await.until(() -> events.of(FallbackEvents.DEACTIVATED), l -> l.size() == 1, "DEACTIVATED").get(0);
      assertEquals("container", deactivated.getProperty(FallbackEvents.IMPLEMENTATION));
      assertEquals("runner", deactivated.getProperty(FallbackEvents.CAPABILITY));
      assertTrue(Shell.run(shell, "fallback:status").out().startsWith("runner: container "));
      container.unregister();
      Await.until(() -> events.of(FallbackEvents.ACTIVATED).size(), n -> n == 1, "the last ACTIVATED");
      Thread.sleep(300);
      assertEquals(1, events.of(FallbackEvents.ACTIVATED).size(), "one ACTIVATED for each time the container went away");
      assertEquals(1, events.of(FallbackEvents.DEACTIVATED).size(), "one DEACTIVATED for each time it came");
    }
  }

  @Test
  void badInputIsNamed() {
    assertFails("fallback:run --runner nosuch true", "no runner of kind nosuch is registered; registered: process");
    assertFails("fallback:run", "no command given");
    assertFails("fallback:run --timeout", "--timeout needs a value");
    assertFails("fallback:run --timeout -3 true", "--timeout -3 is not a positive number of seconds");
    assertFails("fallback:run --memory lots true", "--memory lots is not a size");
    assertFails("fallback:run --env NOEQUALS true", "--env NOEQUALS is not of the form NAME=VALUE");
    assertFails("fallback:run --bogus 1 true", "unknown option --bogus");
    assertFails("fallback:run dockevos-no-such-program", "the process runner: cannot start dockevos-no-such-program: no such program");
    assertFails("fallback:run --workdir /no/such/dir true", "the working directory /no/such/dir does not exist");
    assertFails("fallback:procedures no-such-problem", "no procedure for no-such-problem; known: container-engine-missing");
  }

  private void assertFails(String command, String message) {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> Shell.run(shell, command), command);
    assertTrue(e.getMessage().contains(message), command + ": " + e.getMessage());
  }
}
