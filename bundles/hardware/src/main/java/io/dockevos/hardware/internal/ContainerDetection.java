package io.dockevos.hardware.internal;

import io.dockevos.hardware.HardwareInfo.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Tells whether this process runs inside a container, by the usual heuristics, in this order:
 * {@code /.dockerenv} (Docker), {@code /run/.containerenv} (Podman), then a container runtime's name
 * in {@code /proc/1/cgroup} or {@code /proc/self/cgroup}. The evidence names the one that fired.
 */
final class ContainerDetection {
  private static final List<String> RUNTIMES = List.of("docker", "kubepods", "containerd", "libpod", "lxc", "podman", "crio");

  private ContainerDetection() {}

  static Container detect(Path root) {
    if (Files.exists(root.resolve(".dockerenv"))) {
      return new Container(true, "/.dockerenv exists (Docker)");
    }
    if (Files.exists(root.resolve("run/.containerenv"))) {
      return new Container(true, "/run/.containerenv exists (Podman)");
    }
    for (String file : List.of("proc/1/cgroup", "proc/self/cgroup")) {
      try {
        for (String line : Files.readAllLines(root.resolve(file))) {
          String l = line.toLowerCase(Locale.ROOT);
          for (String runtime : RUNTIMES) {
            if (l.contains(runtime)) {
              return new Container(true, "/" + file + " names " + runtime + ": " + line.strip());
            }
          }
        }
      } catch (IOException e) {
        // no such file (not Linux, or /proc hidden): the next heuristic
      }
    }
    return new Container(false, "none of /.dockerenv, /run/.containerenv, a container runtime in /proc/1/cgroup");
  }
}
