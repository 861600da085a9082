package io.dockevos.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixes a diagnosis offers name only what a user can do here: commands that exist, files to drop. */
class BundleDiagnosisTest {
  @Test
  void aComponentWaitingForItsConfigurationIsToldWhichFileToDrop() {
    ComponentDiagnosis waiting = new ComponentDiagnosis("com.acme.Greeter", "com.acme.internal.GreeterImpl",
        ComponentDiagnosis.State.UNSATISFIED_CONFIGURATION, List.of(), null, List.of("com.acme.greeter"));
    BundleDiagnosis d = new BundleDiagnosis(42, "com.acme.greeter", "1.0.0", PluginState.ACTIVE, false, List.of(),
        List.of(waiting), null);
    assertEquals(List.of("drop com.acme.greeter.cfg into deploy/ with its settings (config:get com.acme.greeter shows what"
        + " it holds now)"), d.fixes());
  }
}
