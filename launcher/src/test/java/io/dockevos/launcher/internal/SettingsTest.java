package io.dockevos.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path home;

  @Test
  void configFileOverridesDefaultsAndBuilderOverridesBoth() throws Exception {
    Files.createDirectories(home.resolve("etc"));
    Files.writeString(home.resolve("etc/config.properties"),
        "felix.fileinstall.poll=75\nmy.dir=${dockevos.data}/mine\ndockevos.features.boot=a, b\n");
    Settings s = Settings.resolve(home, null, null, List.of(), Map.of("felix.fileinstall.poll", "90"), null,
        Duration.ofSeconds(5));

    assertEquals("90", s.frameworkProperties().get("felix.fileinstall.poll"));
    assertEquals(home.resolve("data/mine").toString(), s.frameworkProperties().get("my.dir"));
    assertEquals(home.resolve("data/cache").toString(), s.frameworkProperties().get("org.osgi.framework.storage"));
    assertEquals(List.of("a", "b", "dockevos-shell"), s.features(), "the boot features, then the shell feature");
    assertTrue(Files.isDirectory(home.resolve("deploy")), "the deploy folder is created");
    assertTrue(Files.isDirectory(home.resolve("data/log")), "the log folder is created");
  }

  @Test
  void hostCapabilityCarriesTheOsgiFormOfTheVersion() throws Exception {
    Settings s = Settings.resolve(home, null, null, List.of("x"), Map.of("dockevos.version", "1.2.0-SNAPSHOT"),
        null, Duration.ofSeconds(5));
    assertTrue(s.frameworkProperties().get("org.osgi.framework.system.capabilities.extra")
        .contains("dockevos.host.version:Version=\"1.2.0.SNAPSHOT\""));
  }

  @Test
  void hardwareCapabilityCarriesCoresMemoryAndOs() throws Exception {
    Settings s = Settings.resolve(home, null, null, List.of("x"), Map.of(), null, Duration.ofSeconds(5));
    String extra = s.frameworkProperties().get("org.osgi.framework.system.capabilities.extra");
    assertTrue(extra.contains("dockevos.hardware;cores:Long=" + Runtime.getRuntime().availableProcessors() + ";"), extra);
    assertTrue(extra.contains("os.name=\"" + System.getProperty("os.name") + "\""), extra);
    long mb = Long.parseLong(extra.replaceAll(".*memory\\.mb:Long=(\\d+).*", "$1"));
    assertTrue(mb > 100, "a machine has more than 100 MiB: " + extra);
  }

  @Test
  void mavenVersionsBecomeOsgiVersions() {
    assertEquals("0.1.0.SNAPSHOT", Settings.osgiVersion("0.1.0-SNAPSHOT"));
    assertEquals("2.0.0", Settings.osgiVersion("2"));
    assertEquals("1.4.2", Settings.osgiVersion("1.4.2"));
  }

  @Test
  void expandsFromPropertiesThenSystemProperties() {
    assertEquals("a/b/" + System.getProperty("java.version"),
        Settings.expand(Map.of("x", "a", "y", "${x}/b"), "${y}/${java.version}", 0));
    assertEquals("[]", Settings.expand(Map.of(), "[${no.such.property}]", 0));
  }

  @Test
  void dockevosVariablesBecomeFrameworkPropertiesOverTheFileAndUnderTheProgram(@org.junit.jupiter.api.io.TempDir Path home)
      throws Exception {
    java.nio.file.Files.createDirectories(home.resolve("etc"));
    java.nio.file.Files.writeString(home.resolve("etc/config.properties"), "dockevos.http.port=9000\n");
    Settings s = Settings.resolve(home, null, null, List.of("x"), Map.of("DOCKEVOS_HTTP_PORT", "9100",
        "DOCKEVOS_DOWNLOAD_MAXMIB", "12", "DOCKEVOS_FEATURES_BOOT", "a,b", "DOCKEVOS_HOME", "/elsewhere",
        "DOCKEVOS_CONFIG_com_example_key", "v", "HOME", "/root"), Map.of("dockevos.features.boot", "c"), null,
        Duration.ofSeconds(5));
    Map<String, String> p = s.frameworkProperties();
    assertEquals("9100", p.get("dockevos.http.port"), "the environment over etc/config.properties");
    assertEquals("c", p.get("dockevos.features.boot"), "the program's own over the environment");
    assertEquals(home.toAbsolutePath().normalize().toString(), p.get("dockevos.home"), "the script's own variable is none");
    assertEquals(null, p.get("dockevos.config.com.example.key"), "a configuration value is no framework property");
    assertEquals("12", Settings.fromEnvironment(Map.of("DOCKEVOS_DOWNLOAD_MAXMIB", "12"),
        List.of("dockevos.download.maxMiB")).get("dockevos.download.maxMiB"), "a known property keeps its spelling");
  }
}
