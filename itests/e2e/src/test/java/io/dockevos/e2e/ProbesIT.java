package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exec probes of a container engine, without a port (issue 16, item 4): {@code bin/dockevos
 * status --live} and {@code --ready}, by their exit status and their one line, before the runtime
 * runs, when it is ready, with a CRITICAL incident open, and with a boot bundle stopped.
 */
class ProbesIT extends UnpackedDistribution {

  @Test
  void liveAndReadyAreTheRuntimesOwnAnswers() {
    Result down = dist.dockevos("status", "--live");
    assertEquals(1, down.exit(), down::toString);
    assertEquals(1, dist.dockevos("status", "--ready").exit(), "not ready when it does not run");
    Result wrong = dist.dockevos("status", "--healthy");
    assertEquals(2, wrong.exit(), wrong::toString);
    assertTrue(wrong.err().contains("'--healthy' is not --live or --ready"), wrong::toString);

    dist.start();
    Result live = dist.dockevos("status", "--live");
    assertEquals(0, live.exit(), live::toString);
    assertEquals("live", live.out().strip());
    Result ready = dist.dockevos("status", "--ready");
    assertEquals(0, ready.exit(), ready::toString);
    assertEquals("ready", ready.out().strip());

    Result reported = dist.ok("error:report --severity CRITICAL --plugin e2e.probe the disk is gone");
    Matcher id = Pattern.compile("E\\d+").matcher(reported.out());
    assertTrue(id.find(), reported::toString);
    Result critical = dist.dockevos("status", "--ready");
    assertEquals(1, critical.exit(), critical::toString);
    assertTrue(critical.err().contains("not ready: CRITICAL incidents open: " + id.group() + " the disk is gone"),
        critical::toString);
    assertEquals(0, dist.dockevos("status", "--live").exit(), "still live");
    dist.ok("error:ignore " + id.group());
    assertEquals(0, dist.dockevos("status", "--ready").exit(), "ready once the incident is ignored");

    long assistant = BundleRow.find(dist.bundles(), "io.dockevos.assistant")
        .orElseThrow(() -> new AssertionError("the assistant is a boot bundle")).id();
    dist.ok("felix:stop " + assistant);
    Result stopped = dist.dockevos("status", "--ready");
    assertEquals(1, stopped.exit(), stopped::toString);
    assertTrue(stopped.err().contains("boot bundles not active: io.dockevos.assistant (RESOLVED)"), stopped::toString);
    dist.ok("felix:start " + assistant);
    assertEquals(0, dist.dockevos("status", "--ready").exit(), "ready again");

    assertFalse(dist.ok("history -n 50").out().contains("dockevos:probe"), "the probes are no history");
  }
}
