package io.dockevos.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/** The boot bundles installed into a real Felix framework, as at a cold and then a warm start. */
class BootFeaturesInstallTest {
  @TempDir Path home;

  private Framework framework(Path storage) throws Exception {
    Map<String, String> props = new HashMap<>();
    props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
    Framework fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
    fw.init();
    return fw;
  }

  private static int level(Bundle b) {
    return b.adapt(BundleStartLevel.class).getStartLevel();
  }

  @Test
  void eachBundleGetsItsStartOrderAndIsMarkedToStartOnce() throws Exception {
    Settings settings = Settings.resolve(home, null, null, List.of("dockevos-shell"), Map.of(), null, Duration.ofSeconds(5));
    BootFeatures boot = BootFeatures.load(settings);
    Path storage = home.resolve("cache");
    Framework fw = framework(storage);
    try {
      int initial = fw.adapt(FrameworkStartLevel.class).getInitialBundleStartLevel();
      List<Bundle> bundles = boot.install(fw.getBundleContext());
      assertEquals(1, bundles.size());
      Bundle shell = bundles.get(0);
      assertEquals("org.apache.felix.gogo.shell", shell.getSymbolicName());
      assertEquals(10, level(shell), "the start-order of the feature");
      assertTrue(shell.adapt(BundleStartLevel.class).isPersistentlyStarted());
      assertEquals(initial, fw.adapt(FrameworkStartLevel.class).getInitialBundleStartLevel(),
          "the framework's initial bundle start level is left as it was");
    } finally {
      fw.stop();
      fw.waitForStop(10_000);
    }
    // Warm: the same cache; the bundle is found, not installed again, and keeps its level and mark.
    Framework warm = framework(storage);
    try {
      long before = warm.getBundleContext().getBundles().length;
      List<Bundle> again = boot.install(warm.getBundleContext());
      assertEquals(before, warm.getBundleContext().getBundles().length, "nothing new is installed");
      assertEquals(10, level(again.get(0)));
      assertTrue(again.get(0).adapt(BundleStartLevel.class).isPersistentlyStarted());
    } finally {
      warm.stop();
      warm.waitForStop(10_000);
    }
  }
}
