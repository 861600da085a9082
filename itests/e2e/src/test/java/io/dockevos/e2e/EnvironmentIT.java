package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Configuration from the environment, as a container gets it (issue 16, item 2): {@code DOCKEVOS_*}
 * variables are framework properties, {@code DOCKEVOS_CONFIG_<PID>_<KEY>} configuration values that
 * lie over a file's, and a value that left the environment leaves the configuration at the next
 * start. Seen where a user sees it: {@code property}, {@code config:get}, the example plugin's answer.
 * The configuration is there before the plugin is installed: its component gets it when it starts.
 */
class EnvironmentIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PID = "io.dockevos.example.greeter";

  @Test
  void theEnvironmentGivesPropertiesAndConfigurationValues() throws Exception {
    Map<String, String> env = Map.of("DOCKEVOS_HTTP_PORT", "18181",
        "DOCKEVOS_CONFIG_io_dockevos_example_greeter_greeting", "Howdy");
    dist.start(env);
    assertEquals("18181", dist.ok("property dockevos.http.port").out().strip(), "DOCKEVOS_HTTP_PORT");
    Path jar = dist.root().resolve("greeter.jar");
    Files.copy(Path.of(System.getProperty("dockevos.example.greeter")), jar);
    dist.ok("plugin:install " + jar);
    Await.until("the greeting from the environment", WAIT, () -> dist.client("greeter:greet name=Env").out(),
        out -> out.contains("Howdy, Env! (1/1)"));

    // A file of the same PID: the environment's key lies over it.
    Files.writeString(dist.deploy().resolve(PID + ".cfg"), "greeting = Hi\nother = from-the-file\n");
    Await.until("the file's other key", WAIT, () -> dist.ok("config:get " + PID).out(),
        out -> out.contains("from-the-file"));
    Await.until("the environment's greeting still", WAIT, () -> dist.client("greeter:greet name=Env").out(),
        out -> out.contains("Howdy, Env!"));

    // Without the variable, at the next start: the key it gave goes, the rest stays.
    Files.delete(dist.deploy().resolve(PID + ".cfg"));
    Await.until("the file's configuration gone", WAIT, () -> dist.client("config:get " + PID).out(),
        out -> !out.contains("from-the-file"));
    dist.stop();
    dist.start(Map.of());
    Await.until("the default greeting again", WAIT, () -> dist.client("greeter:greet name=Env").out(),
        out -> out.contains("Hello, Env!"));
    assertFalse(dist.ok("property dockevos.http.port").out().contains("18181"), "no variable, no property");
    String record = Files.readString(dist.data().resolve("environment-configs.json"));
    assertFalse(record.contains("Howdy"), "only a hash of a value is kept: " + record);
    assertTrue(record.contains("{}") || !record.contains("greeting"), record);
  }
}
