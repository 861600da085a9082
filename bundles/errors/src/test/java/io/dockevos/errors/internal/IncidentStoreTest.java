package io.dockevos.errors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.error.Incident;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentStoreTest {
  @TempDir
  Path dir;

  private static Incident incident(String id, Incident.Status status, long lastSeen) {
    return new Incident(id, "fp-" + id, "test", "summary " + id, "detail\n  at x.y(Z.java:1)", "io.example",
        Incident.Severity.ERROR, status, Instant.ofEpochSecond(1), Instant.ofEpochSecond(lastSeen), 2,
        Map.of("exception", "java.lang.IllegalStateException", "requirement", "osgi.wiring.package; (a=b)\nmore"));
  }

  @Test
  void whatIsWrittenIsReadBackTheSame() throws Exception {
    Path file = dir.resolve("errors/incidents.json");
    IncidentStore store = new IncidentStore(file, 10);
    String id = store.newId();
    Incident i = incident(id, Incident.Status.OPEN, 5);
    store.put(i);
    IncidentStore.write(file, store.serialize());

    IncidentStore again = new IncidentStore(file, 10);
    assertNull(again.load());
    assertEquals(i, again.get(id));
    assertEquals(i, again.byFingerprint("fp-" + id));
    assertEquals("E2", again.newId(), "ids go on from where they were");
    assertEquals(List.of("incidents.json"), list(file.getParent()), "the file, and no temporary file left");
  }

  @Test
  void pastTheMaximumTheOldestFixedOrIgnoredGoFirst() {
    IncidentStore store = new IncidentStore(dir.resolve("s.json"), 3);
    store.put(incident("E1", Incident.Status.OPEN, 1));
    store.put(incident("E2", Incident.Status.FIXED, 5));
    store.put(incident("E3", Incident.Status.IGNORED, 3));
    store.put(incident("E4", Incident.Status.OPEN, 6));
    assertNull(store.get("E3"), "the oldest closed one went first");
    assertNotNull(store.get("E1"), "an older open one stays while closed ones can go");
    store.put(incident("E5", Incident.Status.OPEN, 7));
    assertNull(store.get("E2"));
    store.put(incident("E6", Incident.Status.OPEN, 8));
    assertNull(store.get("E1"), "with no closed one left, the oldest of all goes");
    assertEquals(3, store.size());
    assertNull(store.byFingerprint("fp-E1"));
  }

  @Test
  void aCorruptFileIsMovedAsideAndTheStoreStartsEmpty() throws Exception {
    Path file = dir.resolve("incidents.json");
    Files.writeString(file, "{\"format\": 1, \"nextId\": 4, \"incidents\": [{\"id\": ");
    IncidentStore store = new IncidentStore(file, 10);
    Path aside = store.load();
    assertNotNull(aside);
    assertTrue(aside.getFileName().toString().startsWith("incidents.json.corrupt-"), aside.toString());
    assertEquals("{\"format\": 1, \"nextId\": 4, \"incidents\": [{\"id\": ", Files.readString(aside));
    assertTrue(Files.notExists(file));
    assertEquals(0, store.size());
    assertEquals("E1", store.newId());
  }

  @Test
  void aFileWithAWrongFieldIsCorruptToo() throws Exception {
    Path file = dir.resolve("incidents.json");
    Files.writeString(file, "{\"format\": 1, \"nextId\": 2, \"incidents\": [{\"id\": \"E1\", \"status\": \"NOPE\"}]}");
    IncidentStore store = new IncidentStore(file, 10);
    assertNotNull(store.load());
    assertEquals(0, store.size());
  }

  private static List<String> list(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
