package io.dockevos.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceDefinitionTest {
  private static final String PID = "dockevos.docker.service~web";

  private static Map<String, Object> props(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void aCfgFileOfStrings() {
    ServiceDefinition d = ServiceDefinition.parse(PID, props("image", "busybox:latest", "command", "sh,-c,sleep 9",
        "env", "A=1,B=2", "memory", "32m", "cpus", "0.5", "pids", "20", "restart", "on-failure",
        "backoff.initial.ms", "200", "backoff.max.ms", "800", "depends-on", "db, cache", "ports", "8080:80"));
    assertEquals("web", d.name());
    assertEquals("dockevos-svc-web", d.spec().name());
    assertEquals(List.of("sh", "-c", "sleep 9"), d.spec().command());
    assertEquals(Map.of("A", "1", "B", "2"), d.spec().env());
    assertEquals(32L << 20, d.spec().memoryBytes());
    assertEquals(0.5, d.spec().cpus());
    assertEquals(20, d.spec().pids());
    assertEquals("127.0.0.1", d.spec().ports().get(0).hostIp());
    assertEquals("on-failure", d.restart());
    assertEquals(Duration.ofMillis(200), d.backoffInitial());
    assertEquals(List.of("db", "cache"), d.dependsOn());
    assertEquals("web", d.spec().labels().get(ServiceDefinition.LABEL));
    assertTrue(d.autostart());
  }

  @Test
  void typedValues() {
    ServiceDefinition d = ServiceDefinition.parse("some.pid", props("name", "db", "image", "busybox",
        "command", new String[] {"sleep", "9"}, "pids", 5, "autostart", false, "hardened", true));
    assertEquals("db", d.name());
    assertEquals(List.of("sleep", "9"), d.spec().command());
    assertEquals(5, d.spec().pids());
    assertFalse(d.autostart());
    assertEquals("none", d.spec().network());
  }

  @Test
  void mistakesNameTheConfigurationItsFileAndTheField() {
    var e = assertThrows(ServiceDefinition.Invalid.class, () -> ServiceDefinition.parse(PID,
        props("image", "busybox", "memory", "12qq", "felix.fileinstall.filename", "file:/home/d/data/deploy-staging/x.cfg")));
    assertEquals("Service configuration " + PID + " (/home/d/deploy/x.cfg): field 'memory': '12qq' is not a size (such as 64m, 1g, 512k)",
        e.getMessage());
    assertMessage("field 'image' is missing", props());
    assertMessage("field 'restart': 'sometimes' is not one of always, on-failure, no", props("image", "b", "restart", "sometimes"));
    assertMessage("field 'pids': 'many' is not a whole number", props("image", "b", "pids", "many"));
    assertMessage("field 'network': 'host' is neither none nor bridge", props("image", "b", "network", "host"));
    assertMessage("field 'env': 'NOVALUE' is not KEY=VALUE", props("image", "b", "env", "NOVALUE"));
    assertMessage("field 'ports': 'x' is not a port", props("image", "b", "ports", "x"));
    assertMessage("field 'depends-on': the service web cannot depend on itself", props("image", "b", "depends-on", "web"));
    assertMessage("field 'backoff.max.ms': 10 is less than backoff.initial.ms 1000", props("image", "b", "backoff.max.ms", "10"));
    var noName = assertThrows(ServiceDefinition.Invalid.class, () -> ServiceDefinition.parse("plain.pid", props("image", "b")));
    assertTrue(noName.getMessage().contains("field 'name'"), noName.getMessage());
  }

  private static void assertMessage(String part, Map<String, Object> props) {
    var e = assertThrows(ServiceDefinition.Invalid.class, () -> ServiceDefinition.parse(PID, props));
    assertTrue(e.getMessage().startsWith("Service configuration " + PID + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(part), () -> e.getMessage() + " should contain " + part);
  }
}
