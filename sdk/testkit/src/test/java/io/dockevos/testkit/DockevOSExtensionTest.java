package io.dockevos.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.action.ActionService;
import io.dockevos.plugin.PluginManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The extension itself: one runtime for the class, fields and parameters injected. */
@DockevOSTest(plugin = "none", properties = "dockevos.testkit.test=yes")
class DockevOSExtensionTest {
  @Service
  PluginManager plugins;

  private static DockevOSRuntime first;

  @Test
  void fieldsAndParametersAreInjected(DockevOSRuntime dockevos, @Service ActionService actions) {
    assertNotNull(plugins);
    assertTrue(plugins.list().stream().anyMatch(p -> p.symbolicName().equals("io.dockevos.plugin.manager")),
        "the injected PluginManager lists the runtime's own plugins");
    assertNotNull(actions.actions());
    assertEquals("yes", dockevos.dockevos().bundleContext().getProperty("dockevos.testkit.test"));
    assertTrue(dockevos.run("lb").contains("dockevOS core"), "lb runs");
    sameRuntime(dockevos);
  }

  @Test
  void oneRuntimeServesTheClass(DockevOSRuntime dockevos) {
    sameRuntime(dockevos);
    assertThrows(IllegalStateException.class, dockevos::plugin, "no plugin under test");
  }

  @Test
  void aServiceThatNeverComesIsNamed(DockevOSRuntime dockevos) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> dockevos.service(Runnable.class, "(no=such)", Duration.ofMillis(100)));
    assertTrue(e.getMessage().contains("No java.lang.Runnable service matching (no=such)"), e.getMessage());
  }

  private static synchronized void sameRuntime(DockevOSRuntime dockevos) {
    if (first == null) {
      first = dockevos;
    }
    assertSame(first, dockevos);
  }
}
