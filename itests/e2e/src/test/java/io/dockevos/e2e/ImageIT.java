package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image (issue 16, item 1) in a real engine ({@code .ci/engine.sh}): loaded from
 * {@code runtime/target/dockevos-image.tar}, run hardened as Kubernetes runs it (read-only root, no
 * capabilities), ready by its exec probe, configured from the environment, stopped by SIGTERM, and
 * its data/ kept on a volume across a new container.
 */
class ImageIT extends ImageTest {
  private static final Duration READY = Duration.ofSeconds(90);
  private static final String PID = "io.dockevos.example.greeter";

  @Test
  void theImageIsSmallNonRootAndHasItsVolumes() {
    long bytes = Long.parseLong(image.podman("image", "inspect", "--format", "{{.Size}}", image.name()).out().strip());
    assertTrue(bytes <= 150L * 1000 * 1000, "the image is at most 150 MB: " + bytes + " bytes");
    String config = image.podman("image", "inspect", "--format",
        "{{.Config.User}} {{.Config.WorkingDir}} {{.Config.Entrypoint}} {{.Config.Volumes}}", image.name()).out();
    assertTrue(config.startsWith("1000:1000 /opt/dockevos [/opt/dockevos/bin/dockevos foreground] "), config);
    assertTrue(config.contains("/opt/dockevos/data") && config.contains("/opt/dockevos/deploy"), config);
  }

  @Test
  void aHardenedContainerIsReadyConfiguredFromTheEnvironmentStopsOnSigtermAndKeepsItsData(@TempDir Path dir)
      throws Exception {
    Path jar = dir.resolve("greeter.jar");
    Files.copy(Path.of(System.getProperty("dockevos.example.greeter")), jar);
    String volume = ImageContainers.PREFIX + "data";
    ImageContainers.Container first = image.run("first", "--read-only", "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges",
        "-e", "DOCKEVOS_HTTP_PORT=18181", "-e", "DOCKEVOS_CONFIG_io_dockevos_example_greeter_greeting=Howdy",
        "-v", volume + ":/opt/dockevos/data", "-v", jar + ":/plugins/greeter.jar:ro");
    first.awaitReady(READY);
    assertEquals("1000", first.exec("id", "-u").out().strip(), "not root");
    assertEquals("ready", first.exec("/opt/dockevos/bin/dockevos", "status", "--ready").out().strip());
    assertEquals(0, first.exec("/opt/dockevos/bin/dockevos", "status", "--live").exit());

    // The log on standard output, the same as in the file.
    String logs = first.logs();
    String readyLine = logs.lines().filter(l -> l.contains(" INFO ") && l.contains("dockevOS ready in")).findFirst()
        .orElseThrow(() -> new AssertionError("the log's ready line on the container's output:\n" + logs));
    String file = first.exec("cat", "/opt/dockevos/data/log/dockevos.log").out();
    assertTrue(file.contains(readyLine), () -> "the same line in data/log/dockevos.log: " + readyLine + "\n" + file);

    // The environment: a framework property and a configuration value.
    assertEquals("18181", first.client("property dockevos.http.port").out().strip(), "DOCKEVOS_HTTP_PORT");
    Result install = first.client("plugin:install /plugins/greeter.jar");
    assertEquals(0, install.exit(), install::toString);
    Await.until("the greeting from the environment", READY, () -> first.client("greeter:greet name=Env").out(),
        out -> out.contains("Howdy, Env!"));

    // SIGTERM: a graceful stop within the timeout, status 0, and the log says so.
    long begin = System.nanoTime();
    Result stop = first.stop(30);
    long seconds = (System.nanoTime() - begin) / 1_000_000_000L;
    assertEquals(0, stop.exit(), stop::toString);
    assertTrue(seconds < 30, "stopped by SIGTERM, not killed at the timeout: " + seconds + " s");
    assertEquals("0", first.inspect("{{.State.ExitCode}}"), "exit status");
    assertTrue(first.logs().contains("dockevOS stopped in"), first::logs);
    first.remove();

    // A new container on the same volume, without the variables: the plugin is still there.
    ImageContainers.Container second = image.run("second", "--read-only", "--cap-drop", "ALL",
        "-v", volume + ":/opt/dockevos/data");
    second.awaitReady(READY);
    Result list = second.client("plugin:list");
    assertTrue(list.out().contains(PID), () -> "the plugin installed in the first container\n" + list);
    Await.until("the default greeting, the variable gone", READY, () -> second.client("greeter:greet name=Env").out(),
        out -> out.contains("Hello, Env!"));
    second.stop(30);
  }
}
