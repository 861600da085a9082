package io.dockevos.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one log file of the command line takes SLF4J and java.util.logging users. Logback sets
 * itself up once per JVM, so this class runs in a JVM of its own (surefire reuseForks=false).
 */
class LogSetupTest {
  @TempDir Path dir;

  @Test
  void slf4jAndJulUsersReachDockevosLog() throws Exception {
    Path logDir = dir.resolve("log");
    Thread setup = LogSetup.configure(logDir, dir);
    String slf4j = "slf4j-" + UUID.randomUUID();
    String jul = "jul-" + UUID.randomUUID();
    // Logged while the log is still being set up on its own thread: kept, and written once it is up.
    org.slf4j.LoggerFactory.getLogger("probe.slf4j").info(slf4j);
    setup.join();
    java.util.logging.Logger.getLogger("probe.jul").warning(jul);
    org.slf4j.LoggerFactory.getLogger("probe.slf4j").debug("below the INFO root level");

    String log = Files.readString(logDir.resolve("dockevos.log"));
    assertTrue(log.lines().anyMatch(l -> l.contains("INFO") && l.contains("probe.slf4j") && l.contains(slf4j)), log);
    assertTrue(log.lines().anyMatch(l -> l.contains("WARN") && l.contains("probe.jul") && l.contains(jul)), log);
    assertTrue(!log.contains("below the INFO root level"), log);
  }
}
