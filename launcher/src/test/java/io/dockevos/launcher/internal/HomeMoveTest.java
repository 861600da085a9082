package io.dockevos.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeMoveTest {
  @TempDir
  Path dir;

  /** @return the path of a folder as a File.toURI() gives it, ending in a slash */
  private static String rawDir(Path p) {
    String raw = p.toUri().getRawPath();
    return raw.endsWith("/") ? raw : raw + "/";
  }

  @Test
  void aMovedHomeMakesTheCacheNameItsOwnFilesAndLeavesOthersAlone() throws IOException {
    Path old = dir.resolve("old home");
    Path now = Files.createDirectories(dir.resolve("new"));
    Path data = now.resolve("data");
    Path cache = data.resolve("cache");
    Path info = Files.createDirectories(cache.resolve("bundle5")).resolve("bundle.info");
    String oldJar = old.resolve("system/a/a-1.jar").toUri().toString();
    String maven = "reference:file:///root/.m2/repository/b/b-1.jar";
    Files.writeString(info, "5\nreference:" + oldJar + "\n32\n2\n");
    Path rev = Files.createDirectories(cache.resolve("bundle6/version0.0")).resolve("revision.location");
    Files.writeString(rev, maven);
    Path config = Files.createDirectories(cache.resolve("bundle7/data/config/dockevos")).resolve("log.config");
    Files.writeString(config, "felix.fileinstall.filename=\"file:" + rawDir(old) + "etc/dockevos.log.cfg\"\n");
    Path elsewhere = Files.createDirectories(cache.resolve("bundle8")).resolve("bundle.info");
    String sibling = dir.resolve("old home2/system/c.jar").toUri().toString();
    Files.writeString(elsewhere, "8\nreference:" + sibling + "\n");
    Files.writeString(Files.createDirectories(data).resolve(HomeMove.RECORD), old + "\n");

    assertEquals(old, HomeMove.follow(now, data, cache));
    assertEquals("5\nreference:" + now.resolve("system/a/a-1.jar").toUri() + "\n32\n2\n", Files.readString(info));
    assertEquals(maven, Files.readString(rev), "a location outside the home stays");
    assertEquals("felix.fileinstall.filename=\"file:" + rawDir(now) + "etc/dockevos.log.cfg\"\n",
        Files.readString(config));
    assertEquals("8\nreference:" + sibling + "\n", Files.readString(elsewhere), "a folder whose name starts alike stays");
    assertEquals(now.toString(), Files.readString(data.resolve(HomeMove.RECORD)).trim());
    assertNull(HomeMove.follow(now, data, cache), "the next start finds it where it was");
  }
}
