#set( $dot = $package.lastIndexOf('.') + 1 )
#set( $scope = $package.substring($dot) )
package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.launcher.CommandResult;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.testkit.DockevOSRuntime;
import io.dockevos.testkit.DockevOSTest;
import io.dockevos.testkit.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * In-framework tests: the test kit starts an embedded dockevOS in a temporary home and installs the
 * jar that {@code package} made, as {@code plugin:install} would; it must be ACTIVE. Run them with
 * {@code mvn verify}.
 */
@DockevOSTest
class GreetPluginIT {
  private static final String COMMAND = "${scope}:greet";

  @Service
  PluginManager plugins;

  @Test
  void theActionIsAShellCommand(DockevOSRuntime dockevos) {
    String out = dockevos.run(COMMAND + " name=World");
    assertTrue(out.startsWith("Hello, World!"), out);
    assertTrue(out.contains("\"greeted\": \"World\""), out);
  }

  @Test
  void inputThatBreaksTheSchemaIsRefused(DockevOSRuntime dockevos) {
    CommandResult r = dockevos.execute(COMMAND + " shout=true");
    assertFalse(r.ok(), r::toString);
    assertTrue(r.error().contains("name"), r.error());
  }

  @Test
  void theCountSurvivesAnUpdate(DockevOSRuntime dockevos) {
    dockevos.run(COMMAND + " name=Before");
    long before = total(dockevos.run(COMMAND + " name=Before"));

    assertEquals(PluginState.ACTIVE, dockevos.update().state());

    assertEquals(before + 1, total(dockevos.run(COMMAND + " name=After")), "the count was carried across the update");
    assertTrue(plugins.find("${package}").orElseThrow().updated() != null);
  }

  @Test
  void theGreetingIsConfigured(DockevOSRuntime dockevos) throws Exception {
    Path cfg = dockevos.home().resolve("deploy").resolve(GreetingConfig.PID + ".cfg");
    Files.writeString(cfg, "greeting = Hi\n");
    try {
      String out = "";
      for (long end = System.nanoTime() + 10_000_000_000L; System.nanoTime() < end; Thread.sleep(100)) {
        out = dockevos.run(COMMAND + " name=World");
        if (out.startsWith("Hi, World!")) {
          return;
        }
      }
      throw new AssertionError("the configuration in deploy/ did not reach the action in 10 s: " + out);
    } finally {
      Files.delete(cfg);
    }
  }

  private static long total(String out) {
    String digits = out.substring(out.indexOf("\"total\": ") + 9).replaceAll("(?s)\\D.*", "");
    return Long.parseLong(digits);
  }
}
