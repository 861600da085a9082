package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectBundleInstaller;
import org.osgi.test.common.install.BundleInstaller;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.context.BundleInstallerExtension;

/** A plugin whose activator throws: the error says why, and nothing else is touched. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(BundleInstallerExtension.class)
class FailingActivatorTest {
  @InjectBundleContext
  BundleContext context;

  @InjectBundleInstaller
  BundleInstaller installer;

  @Test
  void theActivatorsExceptionIsTheCauseAndEverythingElseStaysActive() {
    Bundle broken = installer.installBundle("throws.jar", false);
    BundleException e = assertThrows(BundleException.class, broken::start);
    assertEquals(BundleException.ACTIVATOR_ERROR, e.getType(), e.toString());
    IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals("tiny bundle refuses to start", cause.getMessage());

    assertEquals("RESOLVED", Frameworks.state(broken));
    assertEquals(Bundle.ACTIVE, context.getBundle(0).getState(), "the framework");
    assertEquals(List.of(), Frameworks.notActive(context, broken), "bundles that are not ACTIVE");
  }
}
