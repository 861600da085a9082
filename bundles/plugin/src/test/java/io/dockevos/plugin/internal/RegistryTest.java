package io.dockevos.plugin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {
  @TempDir
  Path dir;

  @Test
  void aSourceInsideTheHomeIsStoredRelativeToItAndReadBackUnderTheHomeThatRuns() throws IOException {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path outside = dir.resolve("elsewhere/x.jar");
    Registry r = new Registry(home.resolve("data/plugins/registry.json"), home);
    Instant now = Instant.now();
    r.put("a", new Registry.Entry(home.resolve("lib/a.jar").toString(), now, null, false, null));
    r.put("b", new Registry.Entry("lib/b.jar", now, null, false, null));
    r.put("c", new Registry.Entry(home.resolve("deploy/c.jar").toUri().toString(), now, null, false, null));
    r.put("d", new Registry.Entry(outside.toString(), now, null, false, null));
    r.put("e", new Registry.Entry("mvn:com.example/e/1.0.0", now, null, false, null));
    r.put("f", new Registry.Entry("https://example.invalid/f.jar", now, null, false, null));
    assertEquals(home.resolve("lib/a.jar").toString(), r.get("a").source(), "shown as the absolute path");
    assertEquals(home.resolve("lib/b.jar").toString(), r.get("b").source());
    String json = Files.readString(home.resolve("data/plugins/registry.json"));
    assertTrue(json.contains("\"lib/a.jar\"") && json.contains("\"lib/b.jar\"") && json.contains("\"deploy/c.jar\""), json);
    assertTrue(json.contains("\"" + outside + "\""), "a source outside the home stays absolute: " + json);
    assertTrue(json.contains("\"mvn:com.example/e/1.0.0\"") && json.contains("\"https://example.invalid/f.jar\""), json);

    // The home moved: its files are read under the new path; the rest is as it was.
    Path moved = dir.resolve("moved");
    Files.move(home, moved);
    try (Stream<Path> s = Files.list(moved)) {
      assertTrue(s.findAny().isPresent());
    }
    Registry again = new Registry(moved.resolve("data/plugins/registry.json"), moved);
    assertEquals(moved.resolve("lib/a.jar").toString(), again.get("a").source());
    assertEquals(moved.resolve("deploy/c.jar").toString(), again.get("c").source());
    assertEquals(outside.toString(), again.get("d").source());
    assertEquals("mvn:com.example/e/1.0.0", again.get("e").source());
    assertEquals("https://example.invalid/f.jar", again.get("f").source());
  }
}
