package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.test.common.annotation.InjectBundleInstaller;
import org.osgi.test.common.install.BundleInstaller;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.context.BundleInstallerExtension;

/** Plugins that need a host version or a package: they start, or they fail and say why. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(BundleInstallerExtension.class)
class PluginResolutionTest {
  @InjectBundleInstaller
  BundleInstaller installer;

  @Test
  void aPluginRequiringThisHostStarts() throws Exception {
    Bundle plugin = installer.installBundle("requires-host.jar", false);
    plugin.start();
    assertEquals("ACTIVE", Frameworks.state(plugin));
  }

  @Test
  void aPluginRequiringAFutureHostFailsAndNamesTheRequirement() {
    Bundle plugin = installer.installBundle("requires-future-host.jar", false);
    BundleException e = assertThrows(BundleException.class, plugin::start);
    assertTrue(e.getMessage().contains("dockevos.host"), e.getMessage());
    assertTrue(e.getMessage().contains("(dockevos.host.version>=99)"), e.getMessage());
    assertEquals("INSTALLED", Frameworks.state(plugin));
  }

  @Test
  void aMissingPackageFailsToResolveUntilABundleProvidesIt() throws Exception {
    Bundle needs = installer.installBundle("needs-missing.jar", false);
    BundleException e = assertThrows(BundleException.class, needs::start);
    assertTrue(e.getMessage().contains("io.dockevos.test.missing"), e.getMessage());
    assertEquals("INSTALLED", Frameworks.state(needs));

    Bundle provides = installer.installBundle("provides-missing.jar", false);
    needs.start(); // its activator calls into io.dockevos.test.missing
    assertEquals("ACTIVE", Frameworks.state(needs));
    List<BundleWire> wires = needs.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE);
    assertTrue(wires.stream().anyMatch(w -> w.getProvider().getBundle().equals(provides)
        && "io.dockevos.test.missing".equals(w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))),
        "io.dockevos.test.missing is not wired to provides-missing: " + wires);
  }
}
