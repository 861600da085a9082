package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.runner.IsolationUnavailableException;
import io.dockevos.runner.Job;
import io.dockevos.runner.JobResult;
import io.dockevos.runner.Runner;
import io.dockevos.runner.RunnerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.Event;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The fallback never weakens isolation silently: with no container runner (none is registered in
 * this framework, as when the engine is down), a job that asks for an image or for isolation is
 * refused by the process runner, with its reason, an event and an incident, unless the job allows
 * the process runner.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class IsolationTest {
  private static final String REFUSED = "dockevos/fallback/REFUSED";

  @InjectBundleContext
  BundleContext context;

  @InjectService(filter = "(runner.kind=process)")
  Runner runner;

  @InjectService
  ErrorHandler errors;

  @InjectService
  CommandProcessor shell;

  @TempDir
  Path dir;

  /** A job that leaves a file behind when it runs, in the temporary folder. */
  private Job writesMarker(String image) {
    return new Job(List.of("sh", "-c", "echo ran on the host > marker.txt"), Map.of(), dir.toString(), Job.Limits.NONE,
        Duration.ofSeconds(20), image);
  }

  @Test
  void aJobThatNamesAnImageIsRefusedWithAReasonAnEventAndAnIncident() throws Exception {
    try (Events events = new Events(context, REFUSED)) {
      RunnerException e = assertThrows(RunnerException.class, () -> runner.run(writesMarker("busybox:1.36"), null));
      assertTrue(e.getMessage().contains("asks for isolation (the image busybox:1.36)"), e.getMessage());
      assertTrue(e.getMessage().contains("no container runner is registered"), e.getMessage());
      assertTrue(e.getMessage().contains("allowProcess"), "the reason says how to allow it: " + e.getMessage());
      assertFalse(Files.exists(dir.resolve("marker.txt")), "the job did not run on the host");

      Event refused = Await.until(() -> events.of(REFUSED), l -> !l.isEmpty(), "the REFUSED event").get(0);
      assertEquals("runner", refused.getProperty("capability"));
      assertEquals("process", refused.getProperty("implementation"));
      assertEquals("busybox:1.36", refused.getProperty("image"));
      assertEquals(e.getMessage(), refused.getProperty("reason"));
      String caller = context.getBundle().getSymbolicName();
      assertEquals(caller, refused.getProperty("plugin.id"), "the bundle that asked for the job");

      Incident incident = Await.until(() -> errors.incidents(false).stream()
          .filter(i -> i.source().equals("fallback") && i.summary().contains("busybox:1.36")).toList(),
          l -> !l.isEmpty(), "an incident of the refused job").get(0);
      assertEquals(caller, incident.pluginId());
      assertEquals(Incident.Severity.ERROR, incident.severity());
      assertTrue(incident.detail().contains("no container runner is registered"), incident.detail());
    }
  }

  @Test
  void anIsolatedJobIsRefusedToo() throws Exception {
    Job isolated = writesMarker(null).withIsolation();
    IsolationUnavailableException e = assertThrows(IsolationUnavailableException.class, () -> runner.run(isolated, null));
    assertTrue(e.getMessage().contains("asks for isolation (isolated)"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("marker.txt")), "the job did not run on the host");
  }

  @Test
  void aJobThatAllowsTheProcessRunnerRunsOnTheHost() throws Exception {
    JobResult r = runner.run(writesMarker("busybox:1.36").allowingProcess(), null);
    assertEquals(0, r.exitCode(), r.output());
    assertEquals("process", r.runner());
    assertEquals("ran on the host\n", Files.readString(dir.resolve("marker.txt")));
    // A job that asks for nothing runs as before: the fast path for jobs that need no isolation.
    assertEquals(0, runner.run(writesMarker(null), null).exitCode());
  }

  @Test
  void fallbackRunSaysWhyAndRunsWhenAllowed() throws Exception {
    String cmd = "fallback:run --workdir " + dir + " --image busybox:1.36 sh -c 'echo ran > marker.txt'";
    Exception e = assertThrows(Exception.class, () -> Shell.run(shell, cmd));
    assertTrue(e.getMessage().startsWith("the process runner: the job 'sh -c echo ran > marker.txt' asks for isolation"
        + " (the image busybox:1.36)"), e.getMessage());
    assertTrue(e.getMessage().contains("fallback:run --allow-process"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("marker.txt")));
    assertThrows(Exception.class, () -> Shell.run(shell, "fallback:run --isolated true"));
    Shell.run(shell, "fallback:run --workdir " + dir + " --image busybox:1.36 --allow-process sh -c 'echo ran > marker.txt'");
    assertEquals("ran\n", Files.readString(dir.resolve("marker.txt")));
  }
}
