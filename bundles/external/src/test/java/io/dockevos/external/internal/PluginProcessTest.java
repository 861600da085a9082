package io.dockevos.external.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A real process plugin's environment and working folder. */
class PluginProcessTest {
  @TempDir
  Path dir;

  @Test
  void itRunsInItsDataFolderAndItsVariablesNameItsFolders() throws Exception {
    Path plugin = Files.createDirectories(dir.resolve("external/p"));
    Path data = dir.resolve("plugins/p");
    PluginDescriptor d = PluginYaml.parse(plugin.resolve("plugin.yaml"), "name: p\nversion: \"1.0.0\"\ncommand: /bin/sh\n"
        + "args: [-c, 'echo \"{$DOCKEVOS_PLUGIN_NAME $DOCKEVOS_PLUGIN_DIR $DOCKEVOS_DATA_DIR $HOME $(pwd)\"; read x']\n");
    // (what the runtime reads as a protocol message starts with {)
    List<String> lines = new CopyOnWriteArrayList<>();
    PluginProcess p = PluginProcess.start(d, data, new PluginProcess.Confinement(null, null, List.of()),
        LoggerFactory.getLogger("p"), lines::add);
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (lines.isEmpty() && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertEquals(List.of("{p " + d.dir() + " " + data + " " + data + " " + data), lines);
      assertTrue(Files.isDirectory(data), "its data folder was made");
    } finally {
      p.stop(Duration.ofSeconds(1));
    }
  }
}
