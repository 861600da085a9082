package io.dockevos.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which configuration values the environment names. */
class EnvironmentConfigsTest {
  @Test
  void thePidsDotsAreUnderscoresAndTheKeyFollowsTheLastOne() {
    assertEquals(Map.of("com.example.greeter", Map.of("greeting", "Howdy", "times", "3"), "dockevos.log", Map.of(
        "root", "DEBUG")), EnvironmentConfigs.parse(Map.of(
            "DOCKEVOS_CONFIG_com_example_greeter_greeting", "Howdy",
            "DOCKEVOS_CONFIG_com_example_greeter_times", "3",
            "DOCKEVOS_CONFIG_dockevos_log_root", "DEBUG",
            "DOCKEVOS_CONFIG_nokey", "x",
            "DOCKEVOS_CONFIG_trailing_", "x",
            "DOCKEVOS_FEATURES_BOOT", "dockevos-core",
            "PATH", "/bin")));
  }
}
