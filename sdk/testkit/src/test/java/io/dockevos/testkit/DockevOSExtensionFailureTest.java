package io.dockevos.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** A test class whose plugin is not there: every test fails, and the failure says which plugin and why. */
class DockevOSExtensionFailureTest {
  /** Run only by the test below (a nested class: Surefire does not pick it up by itself). */
  @DockevOSTest(plugin = "target/no-such-plugin.jar")
  static class MissingPlugin {
    @Test
    void first(DockevOSRuntime dockevos) {}

    @Test
    void second() {}
  }

  @Test
  void everyTestOfTheClassFailsNamingThePlugin() {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(MissingPlugin.class)).build(), listener);
    TestExecutionSummary summary = listener.getSummary();
    List<TestExecutionSummary.Failure> failures = summary.getFailures();
    assertEquals(0, summary.getTestsSucceededCount(), "no test of the class may pass");
    assertTrue(!failures.isEmpty(), "the class fails");
    String message = failures.get(0).getException().getMessage();
    assertTrue(message.contains("MissingPlugin") && message.contains("no-such-plugin.jar") && message.contains("does not exist"),
        message);
  }
}
