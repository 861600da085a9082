package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectBundleInstaller;
import org.osgi.test.common.install.BundleInstaller;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.context.BundleInstallerExtension;

/** Updating a bundle in place serves the new code from the same bundle. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(BundleInstallerExtension.class)
class BundleUpdateTest {
  @InjectBundleContext
  BundleContext context;

  @InjectBundleInstaller
  BundleInstaller installer;

  @Test
  void updatingGood1ToGood2ServesHello2() throws Exception {
    Bundle good = installer.installBundle("good-1.0.0.jar", true);
    assertEquals("ACTIVE", Frameworks.state(good));
    assertEquals("hello 1", greeting(good));
    long id = good.getBundleId();
    String location = good.getLocation();

    try (InputStream next = context.getBundle().getEntry("good-2.0.0.jar").openStream()) {
      good.update(next);
    }

    assertEquals(new Version(2, 0, 0), good.getVersion());
    assertEquals(id, good.getBundleId());
    assertEquals(location, good.getLocation());
    assertEquals("ACTIVE", Frameworks.state(good), "an active bundle is started again after an update");
    assertEquals("hello 2", greeting(good));
  }

  private static String greeting(Bundle bundle) throws Exception {
    return (String) bundle.loadClass("io.dockevos.test.good.Greeting").getMethod("text").invoke(null);
  }
}
