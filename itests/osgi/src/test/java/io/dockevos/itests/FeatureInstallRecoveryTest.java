package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.feature.FeatureManager;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginManager.InstallOption;
import io.dockevos.test.tiny.TinyBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * A kill during a feature install leaves what the install had added so far, and the registry's
 * record of it: the next start of the feature manager removes it, as a failed install would have.
 * (A class of its own: it stops and starts the feature manager, which other tests hold.)
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class FeatureInstallRecoveryTest {
  @InjectBundleContext
  BundleContext context;

  @TempDir
  Path dir;

  private Bundle find(String symbolicName) {
    for (Bundle b : context.getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return b;
      }
    }
    return null;
  }

  @Test
  void anInstallCutShortIsUndoneAtTheNextStart(@InjectService PluginManager plugins,
      @InjectService ConfigurationAdmin configAdmin) throws Exception {
    // What the install had done when it was cut short: one bundle in, one configuration created.
    Plugin half = plugins.install(TinyBundles.copyTo(TinyBundles.GOOD_1, dir).toString(), InstallOption.NO_RESOLVE);
    Configuration created = configAdmin.getConfiguration("io.dockevos.itest.cut", "?");
    created.update(new Hashtable<>(Map.of("a", "b")));
    Bundle manager = find("io.dockevos.feature.manager");
    Path registry = Path.of(context.getProperty("dockevos.data"), "features", "registry.json");
    manager.stop();
    try {
      String text = Files.exists(registry) ? Files.readString(registry).strip()
          : "{ \"version\": 1, \"repositories\": [], \"installed\": [] }";
      assertFalse(text.contains("\"pending\""), "no install is under way: " + text);
      String pending = ", \"pending\": { \"feature\": \"io.dockevos.itest:cut:1.0.0\", \"bundles\": [ \""
          + context.getBundle(half.id()).getLocation() + "\" ], \"configurations\": [ \"io.dockevos.itest.cut\" ] } }";
      Files.createDirectories(registry.getParent());
      Files.writeString(registry, text.substring(0, text.lastIndexOf('}')) + pending);
    } finally {
      manager.start();
    }
    FeatureManager restarted = Await.until(() -> {
      ServiceReference<FeatureManager> ref = context.getServiceReference(FeatureManager.class);
      return ref == null ? null : context.getService(ref);
    }, m -> m != null, "the feature manager is back");
    Bundle left = find("io.dockevos.test.good");
    if (left != null) {
      plugins.uninstall(String.valueOf(left.getBundleId()), false);
    }
    assertNull(left, "the bundle the cut-short install had added is gone");
    assertNull(configAdmin.listConfigurations("(service.pid=io.dockevos.itest.cut)"), "and its configuration");
    assertFalse(Files.readString(registry).contains("\"pending\""), "the record of the install under way is cleared");
    assertTrue(restarted.installed().isEmpty());
    assertEquals(Bundle.ACTIVE, manager.getState());
  }
}
