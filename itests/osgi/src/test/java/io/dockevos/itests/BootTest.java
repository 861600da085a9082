package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The runtime as it boots: the bundles of the dockevos-core and dockevos-shell features, all up, and a working shell. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class BootTest {
  /** The bundles of features/src/main/features/dockevos-core.json and dockevos-shell.json. */
  static final List<String> BOOT_BUNDLES = List.of(
      "org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component",
      "org.apache.felix.log", "org.apache.felix.configadmin",
      "org.apache.felix.eventadmin", "org.apache.felix.metatype", "org.apache.felix.scr",
      "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command", "org.apache.felix.gogo.shell",
      "jakarta.servlet-api", "org.osgi.service.servlet", "org.apache.felix.healthcheck.api",
      "org.apache.felix.healthcheck.core", "io.dockevos.api", "io.dockevos.errors", "io.dockevos.plugin.manager", "io.dockevos.feature.manager", "io.dockevos.core", "io.dockevos.security", "org.apache.felix.fileinstall");

  @InjectBundleContext
  BundleContext context;

  @Test
  void everyBootBundleIsInstalledAndEveryBundleIsActive() {
    Set<String> installed = Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> missing = new TreeSet<>(BOOT_BUNDLES);
    missing.removeAll(installed);
    assertEquals(Set.of(), missing, "boot bundles missing from the run; installed: " + installed);
    assertEquals(List.of(), Frameworks.notActive(context), "bundles that are not ACTIVE");
    assertEquals(Bundle.ACTIVE, context.getBundle(0).getState(), "the framework");
  }

  @Test
  void lbListsTheCoreBundleAsActive(@InjectService CommandProcessor shell) throws Exception {
    String out = Shell.run(shell, "lb -s").shown();
    String coreLine = out.lines().filter(l -> l.contains("io.dockevos.core")).findFirst().orElse(null);
    assertTrue(coreLine != null, "lb -s does not list io.dockevos.core:\n" + out);
    assertTrue(coreLine.contains("Active"), "io.dockevos.core is not Active in lb:\n" + coreLine);
    assertTrue(out.contains("org.apache.felix.scr"), "lb -s does not list SCR:\n" + out);
  }

  @Test
  void everyCoreComponentIsActive(@InjectService ServiceComponentRuntime scr) {
    Bundle core = Arrays.stream(context.getBundles())
        .filter(b -> "io.dockevos.core".equals(b.getSymbolicName())).findFirst().orElseThrow();
    List<String> problems = new java.util.ArrayList<>();
    int seen = 0;
    for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(core)) {
      if (!description.defaultEnabled) {
        continue;
      }
      for (ComponentConfigurationDTO config : scr.getComponentConfigurationDTOs(description)) {
        seen++;
        if (config.state != ComponentConfigurationDTO.ACTIVE && config.state != ComponentConfigurationDTO.SATISFIED) {
          problems.add(description.name + " state " + config.state
              + (config.failure == null ? "" : ": " + config.failure)
              + " unsatisfied references " + Arrays.stream(config.unsatisfiedReferences).map(r -> r.name).toList());
        }
      }
    }
    assertTrue(seen > 0, "io.dockevos.core declares no enabled component");
    assertEquals(List.of(), problems, "core components that do not work");
  }
}
