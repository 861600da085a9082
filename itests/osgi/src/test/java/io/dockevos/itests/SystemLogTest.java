package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.systemlog.CommandHistory;
import io.dockevos.systemlog.CommandRecord;
import io.dockevos.systemlog.EventLog;
import io.dockevos.systemlog.LoggedEvent;
import io.dockevos.systemlog.MetricsStore;
import io.dockevos.systemlog.Sample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The system log in a real Felix: Gogo sessions are recorded, Event Admin events are logged, samples are real. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class SystemLogTest {
  @InjectBundleContext
  BundleContext context;

  @InjectService
  CommandProcessor shell;

  @InjectService
  CommandHistory history;

  @InjectService
  EventLog events;

  @InjectService
  MetricsStore metrics;

  @InjectService
  EventAdmin eventAdmin;

  @Test
  void everyCommandOfASessionIsRecordedWithItsUserOriginDurationAndStatus() throws Exception {
    String marker = "itest-" + UUID.randomUUID();
    Instant before = Instant.now();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = shell.createSession(new ByteArrayInputStream(new byte[0]), o, o)) {
      session.put(CommandHistory.SESSION_USER, "bob");
      session.put(CommandHistory.SESSION_ORIGIN, "itest");
      session.execute("echo " + marker);
      assertThrows(IllegalArgumentException.class, () -> session.execute("nosuchcommand-" + marker));
    }
    List<CommandRecord> found = history.find(marker, false, 10);
    assertEquals(2, found.size(), found::toString);
    CommandRecord ok = found.get(0);
    assertEquals("echo " + marker, ok.command());
    assertEquals("bob", ok.user());
    assertEquals("itest", ok.origin());
    assertEquals(CommandRecord.Status.OK, ok.status());
    assertTrue(!ok.time().isBefore(before.minusMillis(5)) && ok.durationMillis() >= 0, ok::toString);
    CommandRecord failed = found.get(1);
    assertEquals(CommandRecord.Status.FAILED, failed.status());
    assertTrue(failed.error().contains("nosuchcommand-" + marker), failed::toString);
    assertEquals(List.of(failed), history.find(marker, true, 10), "--failed keeps the failed one only");

    // A session that names nobody is the OS user's console.
    Shell.run(shell, "echo plain-" + marker);
    CommandRecord plain = history.find("plain-" + marker, false, 1).get(0);
    assertEquals(System.getProperty("user.name"), plain.user());
    assertEquals("console", plain.origin());

    // history typed without a scope is the system log's, not the shell's line-editing history.
    String shown = Shell.run(shell, "history -s " + marker).shown();
    assertTrue(shown.contains("echo " + marker) && shown.contains("bob") && shown.contains("failed"), shown);
  }

  @Test
  void eventsAreLoggedAndFilteredByTopicPluginAndTime() throws Exception {
    String id = "itest.plugin." + UUID.randomUUID();
    Instant before = Instant.now();
    eventAdmin.sendEvent(new Event("dockevos/itest/PING", Map.of("plugin.id", id, "n", 1, "tags", new String[] {"a", "b"})));
    eventAdmin.sendEvent(new Event("dockevos/itest/PONG", Map.of("plugin.id", id)));
    eventAdmin.sendEvent(new Event("dockevos/other/PING", Map.of("plugin.id", "someone.else")));
    List<LoggedEvent> pings = Await.until(
        () -> events.find("dockevos/itest/*", id, before, 10), l -> l.size() == 2, "the event log has the two events of " + id);
    LoggedEvent ping = pings.get(0);
    assertEquals("dockevos/itest/PING", ping.topic());
    assertEquals("1", ping.properties().get("n"));
    assertEquals("a,b", ping.properties().get("tags"));
    assertEquals(id, ping.plugin());
    assertEquals(List.of(), events.find("dockevos/itest/*", id, Instant.now().plusSeconds(60), 10), "--since in the future");
    assertEquals(1, events.find("*/PING", id, null, 10).size());

    String quoted = Shell.run(shell, "log:events --topic 'dockevos/*/PONG' --plugin " + id).shown();
    assertTrue(quoted.contains("dockevos/itest/PONG") && !quoted.contains("dockevos/itest/PING"), quoted);
    String shown = Shell.run(shell, "log:events --topic dockevos/itest --plugin " + id).shown();
    assertTrue(shown.contains("dockevos/itest/PING") && shown.contains("dockevos/itest/PONG") && !shown.contains("someone.else"), shown);
  }

  @Test
  void frameworkEventsAreLoggedToo() throws Exception {
    Instant before = Instant.now();
    org.osgi.framework.ServiceRegistration<Runnable> reg = context.registerService(Runnable.class, () -> { }, null);
    reg.unregister();
    List<LoggedEvent> found = Await.until(
        () -> events.find("org/osgi/framework/ServiceEvent/*", null, before, 100),
        l -> l.stream().anyMatch(e -> e.topic().endsWith("UNREGISTERING") && "java.lang.Runnable".equals(e.properties().get("service.objectClass"))),
        "the service events are logged");
    assertTrue(found.stream().anyMatch(e -> e.topic().endsWith("REGISTERED")), found::toString);
  }

  @Test
  void aSampleHasRealFigures() {
    Sample s = metrics.sampleNow();
    assertTrue(s.heapUsed() > 0 && s.heapCommitted() >= s.heapUsed(), s::toString);
    assertTrue(s.threads() > 1, s::toString);
    assertEquals(context.getBundles().length, s.bundles());
    assertTrue(s.services() > 10, s::toString);
    assertTrue(!s.gc().isEmpty(), s::toString);
    String shown;
    try {
      shown = Shell.run(shell, "metrics:show").shown();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertTrue(shown.lines().anyMatch(l -> l.matches("bundles\\s+\\| \\d+ .*")), shown);
  }
}
