package io.dockevos.hardware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.hardware.HardwareInfo.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareUnitTest {
  @TempDir Path root;

  @Test
  void containerHeuristicsSayWhichOneFired() throws Exception {
    Files.createDirectories(root.resolve("proc/1"));
    Files.writeString(root.resolve("proc/1/cgroup"), "0::/\n");
    Container none = ContainerDetection.detect(root);
    assertFalse(none.inside(), none.evidence());

    Files.writeString(root.resolve("proc/1/cgroup"), "12:pids:/kubepods/burstable/pod1234\n0::/\n");
    Container cgroup = ContainerDetection.detect(root);
    assertTrue(cgroup.inside());
    assertTrue(cgroup.evidence().startsWith("/proc/1/cgroup names kubepods"), cgroup.evidence());

    Files.createDirectories(root.resolve("run"));
    Files.writeString(root.resolve("run/.containerenv"), "");
    assertEquals("/run/.containerenv exists (Podman)", ContainerDetection.detect(root).evidence());
    Files.writeString(root.resolve(".dockerenv"), "");
    assertEquals("/.dockerenv exists (Docker)", ContainerDetection.detect(root).evidence());
  }

  @Test
  void versionsAreReadFromWhatToolsPrint() {
    assertEquals("2.39.5", ToolProbe.version("git version 2.39.5\n"));
    assertEquals("28.2.2", ToolProbe.version("Docker version 28.2.2, build e6534b4"));
    assertEquals("0.5.12", ToolProbe.version("0.5.12-2"));
    assertEquals("17.0.15", ToolProbe.version("openjdk version \"17.0.15\" 2025-04-15"));
    assertNull(ToolProbe.version("sh: Illegal option --x"));
    assertEquals("0.5.12", HardwareAnalyzerImpl.osgi("0.5.12").toString());
    assertEquals("20.10.7", HardwareAnalyzerImpl.osgi("20.10.7.1").toString());
    assertEquals("5.0.0", HardwareAnalyzerImpl.osgi("5").toString());
  }

  @Test
  void theRequiredVersionIsShownInShort() {
    assertEquals(">=20", HardwareAnalyzerImpl.required("(&(dockevos.system=docker)(version>=20))"));
    assertEquals(">=2 and <3", HardwareAnalyzerImpl.required("(&(dockevos.system=git)(version>=2)(!(version>=3)))"));
    assertEquals("any version", HardwareAnalyzerImpl.required("(dockevos.system=sh)"));
  }

  @Test
  void aToolIsFoundOnThePathAndNotThroughTricks() {
    assertTrue(ToolProbe.find("sh") != null, "sh is on every Linux machine");
    assertNull(ToolProbe.find("../bin/sh"), "a path is no tool name");
    assertNull(ToolProbe.find("dockevos-no-such-tool"));
  }

  @Test
  void theCatalogHintsHowToInstall() {
    ToolCatalog debian = new ToolCatalog(true);
    assertEquals("apt-get install -y git", debian.hint("git"));
    assertTrue(debian.hint("frobnicate").contains("apt-cache search frobnicate"));
    assertTrue(new ToolCatalog(false).hint("git").contains("package manager"));
    assertTrue(debian.known().containsAll(java.util.List.of("sh", "git", "docker", "prlimit")));
  }

  @Test
  void thresholdConfigurationIsValidatedKeyByKey() {
    ThresholdMonitor.Settings s = ThresholdMonitor.parse(Map.of("interval", "10", "diskFreePercent", 7));
    assertEquals(new ThresholdMonitor.Settings(10, 7, 5, 95), s);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ThresholdMonitor.parse(Map.of("interval", -1L, "cpuLoadPercent", "high", "memoryFreePercent", 101)));
    assertTrue(e.getMessage().contains("interval = -1 is not between 1 and 86400 seconds"), e.getMessage());
    assertTrue(e.getMessage().contains("cpuLoadPercent = 'high' is not a number"), e.getMessage());
    assertTrue(e.getMessage().contains("memoryFreePercent = 101 is not a percentage (0 to 100)"), e.getMessage());
  }
}
