package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A fleet on this machine (issue 16, item 6): three containers of the image under the engine of
 * {@code .ci/run}, hardened as the Kubernetes manifests run them (read-only root, no capabilities),
 * each with a data volume of its own and one desired-state file shared by all, mounted read-only
 * as a ConfigMap is. The file changes (a plugin and a configuration more): all three converge (how
 * long they take is printed, by the time each applied it, {@code state:status --json}; the target is
 * measured by {@code benchmarks/fleet/run.sh}).
 * One replica's JVM is killed ({@code kill -9}) and the file changes while it is down: started
 * again, as an orchestrator would, it converges with nothing lost, and the three list the same
 * plugins ({@code plugin:list --json}) with the same configuration.
 */
class FleetIT extends ImageTest {
  private static final Duration READY = Duration.ofSeconds(120);
  private static final int REPLICAS = 3;

  @Test
  void threeReplicasConvergeToTheSharedStateAndAKilledOneComesBackWithNothingLost() throws Exception {
    Path root = Files.createTempDirectory("dockevos-fleet");
    try {
      // The user of the image (1000) reads the mount: the folders are open to all, as a ConfigMap's are.
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path mount = Files.createDirectories(root.resolve("configmap"));
      StateIT.configMap(mount, StateIT.state(StateIT.HARDWARE, StateIT.ENCODER, "blue"));
      List<ImageContainers.Container> fleet = new ArrayList<>();
      for (int i = 1; i <= REPLICAS; i++) {
        fleet.add(image.run("fleet-" + i, "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
            "-v", ImageContainers.PREFIX + "fleet-" + i + ":/opt/dockevos/data", "-v", mount + ":/state:ro",
            "-e", "DOCKEVOS_STATE_FILE=/state/state.json"));
      }
      for (ImageContainers.Container c : fleet) {
        c.awaitReady(READY);
      }
      String first = plugins(fleet.get(0));
      assertTrue(first.contains("\"org.owasp.encoder\"") && first.contains("\"io.dockevos.hardware\""), first);
      for (ImageContainers.Container c : fleet) {
        assertEquals(first, plugins(c), () -> c.name() + " lists the same plugins as " + fleet.get(0).name());
      }

      // The file changes, as a ConfigMap does: a plugin more and a configuration changed.
      Instant written = Instant.now();
      StateIT.configMap(mount, StateIT.state(StateIT.HARDWARE, StateIT.ENCODER + ", " + StateIT.ITU, "red"));
      long slowest = 0;
      List<Long> each = new ArrayList<>();
      for (ImageContainers.Container c : fleet) {
        String status = Await.until(c.name() + " applies the changed state", READY,
            () -> c.client("state:status --json").out(),
            out -> out.contains("\"phase\": \"APPLIED\"") && StateIT.appliedAfter(out, written));
        long millis = Duration.between(written, StateIT.appliedAt(status)).toMillis();
        each.add(millis);
        slowest = Math.max(slowest, millis);
      }
      System.out.println("FleetIT: " + REPLICAS + " replicas converged in " + slowest + " ms after the file changed"
          + " (each: " + each + " ms)");
      String changed = plugins(fleet.get(0));
      assertTrue(changed.contains("\"com.ethlo.time.itu\""), changed);
      for (ImageContainers.Container c : fleet) {
        assertEquals(changed, plugins(c), () -> c.name() + " lists the same plugins as " + fleet.get(0).name());
        assertTrue(c.client("config:get " + StateIT.PID).out().contains("red"), c.name());
      }

      // kill -9 one replica's JVM (its PID 1), change the file while it is down, start it again.
      ImageContainers.Container broken = fleet.get(1);
      Result kill = image.podman("kill", "--signal", "KILL", broken.name());
      assertEquals(0, kill.exit(), kill::toString);
      Await.until(broken.name() + " is down", READY, () -> broken.inspect("{{.State.Running}}"), "false"::equals);
      assertEquals("137", broken.inspect("{{.State.ExitCode}}"), "killed by SIGKILL");
      Instant again = Instant.now();
      StateIT.configMap(mount, StateIT.state(StateIT.HARDWARE, StateIT.ENCODER + ", " + StateIT.ITU, "green"));
      for (ImageContainers.Container c : fleet) {
        if (c != broken) {
          Await.until(c.name() + " applies the third state", READY, () -> c.client("state:status --json").out(),
              out -> out.contains("\"phase\": \"APPLIED\"") && StateIT.appliedAfter(out, again));
        }
      }
      Result start = image.podman("start", broken.name());
      assertEquals(0, start.exit(), start::toString);
      broken.awaitReady(READY);
      String status = broken.client("state:status --json").out();
      assertTrue(status.contains("\"phase\": \"APPLIED\"") && StateIT.appliedAfter(status, again), status);
      String third = plugins(fleet.get(0));
      for (ImageContainers.Container c : fleet) {
        assertEquals(third, plugins(c), () -> c.name() + " lists the same plugins as " + fleet.get(0).name());
        assertTrue(c.client("config:get " + StateIT.PID).out().contains("green"), c.name());
        assertEquals("Nothing to change: the desired state /state/state.json is applied",
            c.client("state:diff").out().strip(), c.name());
      }
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** plugin:list --json with the install times left out: the clocks differ, the rest must not. */
  private static String plugins(ImageContainers.Container c) {
    Result r = c.client("plugin:list --json");
    assertEquals(0, r.exit(), r::toString);
    return r.out().replaceAll("\"(installed|updated)\": \"[^\"]+\"", "\"$1\": \"T\"");
  }

}
