package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A home copied ({@code cp -a}) or moved ({@code mv}) to another path, as a user would: the copy
 * starts with the same bundles under the same ids, installs nothing again, and its plugins' sources
 * inside the home follow it; the original home is unaffected.
 */
class HomeMoveIT {
  private static final String GREETER = "io.dockevos.example.greeter";
  private static final String GOOD = "io.dockevos.test.good";
  private static final String ACTION = "io.dockevos.test.action";
  private static final Duration ACT = Duration.ofSeconds(20);

  /** Installs a plugin from a file in the home, one from deploy/ and one from outside the home, and stops. */
  private static Map<String, Long> installAndStop(Distribution dist) {
    dist.start();
    Path lib = dist.home().resolve("lib");
    Path outsideDir = dist.root().resolve("outside");
    try {
      Files.createDirectories(lib);
      Files.createDirectories(outsideDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TinyBundles.copyTo(TinyBundles.GOOD_1, lib);
    dist.ok("plugin:install " + lib.resolve(TinyBundles.GOOD_1));
    Path outside = TinyBundles.copyTo(TinyBundles.ACTION, outsideDir);
    dist.ok("plugin:install " + outside);
    try {
      Files.copy(Path.of(System.getProperty("dockevos.example.greeter")), dist.deploy().resolve("greeter.jar"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Await.until("the greeter in deploy/ is ACTIVE", ACT, () -> state(dist, GREETER), "ACTIVE"::equals);
    assertEquals("ACTIVE", state(dist, GOOD));
    Map<String, Long> ids = ids(dist);
    dist.stop();
    return ids;
  }

  private static Map<String, Long> ids(Distribution dist) {
    Map<String, Long> ids = new TreeMap<>();
    for (BundleRow row : dist.bundles()) {
      ids.put(row.symbolicName(), row.id());
    }
    return ids;
  }

  private static JsonObject info(Distribution dist, String plugin) {
    return Json.createReader(new StringReader(dist.ok("plugin:info --json " + plugin).out())).readObject();
  }

  private static String state(Distribution dist, String plugin) {
    Result r = dist.client("plugin:info --json " + plugin);
    return r.exit() == 0 ? Json.createReader(new StringReader(r.out())).readObject().getString("state") : "absent";
  }

  private static long logSize(Distribution dist) {
    try {
      return Files.isRegularFile(dist.log()) ? Files.size(dist.log()) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the home, and asserts that it found everything as it was: ids, no reinstall, plugins ACTIVE, sources under it. */
  private static void assertStartsAsItWas(Distribution home, Map<String, Long> ids, Path outsideSource, Path otherHome) {
    long logBefore = logSize(home);
    home.start();
    assertEquals(ids, ids(home), "the same bundles under the same ids");
    String log = home.logText().substring((int) logBefore);
    assertFalse(log.contains("no boot feature names it any more"), "no boot bundle is installed again:\n" + log);
    assertFalse(log.contains("Uninstalling"), log);
    assertFalse(log.contains("can be installed once"), "the deploy folder's plugin is the same bundle:\n" + log);
    assertTrue(log.contains("home " + home.home()), log);
    for (String plugin : List.of(GREETER, GOOD, ACTION)) {
      assertEquals("ACTIVE", state(home, plugin), plugin);
    }
    assertEquals(home.home().resolve("lib").resolve(TinyBundles.GOOD_1).toString(), info(home, GOOD).getString("source"),
        "a source inside the home is shown under this home");
    assertEquals(home.deploy().resolve("greeter.jar").toString(), info(home, GREETER).getString("source"));
    assertEquals(outsideSource.toString(), info(home, ACTION).getString("source"), "a source outside the home stays");
    home.assertRegistryAgreesWithFramework();
    String other = otherHome.toUri().toString().replaceAll("/?$", "/");
    for (String location : home.locations()) {
      assertFalse(location.contains(other), () -> "the framework reads " + location + " from the other home " + otherHome);
    }
  }

  @Test
  void aCopiedHomeStartsAsItWasAndReadsItsOwnFiles() throws IOException {
    try (Distribution original = Distribution.unpack()) {
      Map<String, Long> ids = installAndStop(original);
      Path copyPath = original.root().resolve("copy");
      Result cp = original.exec(original.root(), Duration.ofSeconds(60),
          List.of("cp", "-a", original.home().toString(), copyPath.toString()));
      assertEquals(0, cp.exit(), cp::toString);
      Path outside = original.root().resolve("outside").resolve(TinyBundles.ACTION);
      try (Distribution copy = original.at(copyPath)) {
        assertStartsAsItWas(copy, ids, outside, original.home());
        // plugin:update with no source reads the file again, from this home: a new version written there.
        try (var in = TinyBundles.open(TinyBundles.GOOD_2)) {
          Files.copy(in, copyPath.resolve("lib").resolve(TinyBundles.GOOD_1), StandardCopyOption.REPLACE_EXISTING);
        }
        Result update = copy.ok("plugin:update " + GOOD);
        assertTrue(update.out().contains("Updated"), update::toString);
        assertEquals("2.0.0", info(copy, GOOD).getString("version"));
        copy.stop();
        // The original, still there, is as it was: its own files, its own version.
        assertStartsAsItWas(original, ids, outside, copyPath);
        assertEquals("1.0.0", info(original, GOOD).getString("version"));
        original.stop();
      }
    }
  }

  @Test
  void aMovedHomeStartsAsItWas() throws IOException {
    try (Distribution original = Distribution.unpack()) {
      Map<String, Long> ids = installAndStop(original);
      Path movedPath = original.root().resolve("moved");
      Files.move(original.home(), movedPath);
      try (Distribution moved = original.at(movedPath)) {
        assertStartsAsItWas(moved, ids, original.root().resolve("outside").resolve(TinyBundles.ACTION), original.home());
        Result update = moved.ok("plugin:update " + GOOD);
        assertTrue(update.out().contains(GOOD), update::toString);
        moved.stop();
      }
    }
  }
}
