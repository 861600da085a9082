package io.dockevos.e2e;


import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The container engine that the Docker tests need, as {@code .ci/engine.sh start} describes it in
 * the environment: {@code DOCKER_HOST}, {@code DOCKEVOS_TEST_IMAGE}, {@code DOCKEVOS_TEST_IMAGE_ARCHIVE}
 * and {@code DOCKEVOS_TEST_ROOTFS}. Without it the tests fail under {@code CI=true} and are skipped,
 * loudly, elsewhere.
 */
record Engine(String host, String image, Path archive, Path rootfs) {
  static Engine required() {
    String host = System.getenv("DOCKER_HOST");
    String image = System.getenv().getOrDefault("DOCKEVOS_TEST_IMAGE", "dockevos/busybox:test");
    String archive = System.getenv("DOCKEVOS_TEST_IMAGE_ARCHIVE");
    String rootfs = System.getenv("DOCKEVOS_TEST_ROOTFS");
    String missing = null;
    if (host == null || host.isBlank()) {
      missing = "DOCKER_HOST is not set";
    } else if (host.startsWith("unix://") && !Files.exists(Path.of(host.substring("unix://".length())))) {
      missing = "DOCKER_HOST=" + host + " names no socket";
    } else if (archive == null || !Files.isRegularFile(Path.of(archive))) {
      missing = "DOCKEVOS_TEST_IMAGE_ARCHIVE does not name the test image's docker-archive (" + archive + ")";
    } else if (rootfs == null || !Files.isRegularFile(Path.of(rootfs))) {
      missing = "DOCKEVOS_TEST_ROOTFS does not name the test image's rootfs tar (" + rootfs + ")";
    }
    if (missing != null) {
      String why = "No container engine for the Docker tests: " + missing + ". Start one with"
          + " `.ci/engine.sh install && .ci/engine.sh start` and export what it prints (or `set -a; . <(.ci/engine.sh env)`).";
      Missing.failInCiElseSkip(why);
    }
    return new Engine(host, image, Path.of(archive), Path.of(rootfs));
  }
}
