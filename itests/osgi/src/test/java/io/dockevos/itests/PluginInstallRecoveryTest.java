package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dockevos.plugin.PluginManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * A kill while a plan was applying an archive's configurations leaves a configuration it created and
 * the journal naming it: the next start of the plugin manager deletes it with the rest of the plan.
 * (A class of its own: it stops and starts the plugin manager, which other tests hold.)
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class PluginInstallRecoveryTest {
  @InjectBundleContext
  BundleContext context;

  @Test
  void aConfigurationOfAPlanCutShortIsDeletedAtTheNextStart(@InjectService ConfigurationAdmin configAdmin)
      throws Exception {
    configAdmin.getConfiguration("io.dockevos.itest.cutplan", "?").update(new Hashtable<>(Map.of("a", "b")));
    Bundle manager = null;
    for (Bundle b : context.getBundles()) {
      if ("io.dockevos.plugin.manager".equals(b.getSymbolicName())) {
        manager = b;
      }
    }
    Path journal = Path.of(context.getProperty("dockevos.data"), "plugins", "journal.json");
    manager.stop();
    try {
      assertFalse(Files.exists(journal), "no plan is under way");
      Files.createDirectories(journal.getParent());
      Files.writeString(journal, """
          { "version": 1, "origin": "plugin:install", "what": "/tmp/cut.zip", "state": "APPLYING",
            "locations": [ "dockevos:plugin:io.dockevos.itest.cutplan/1.0.0" ], "sources": {}, "replaced": [],
            "configurations": [ "io.dockevos.itest.cutplan" ] }
          """);
    } finally {
      manager.start();
    }
    Await.until(() -> {
      ServiceReference<PluginManager> ref = context.getServiceReference(PluginManager.class);
      return ref == null ? null : context.getService(ref);
    }, m -> m != null, "the plugin manager is back");
    assertNull(configAdmin.listConfigurations("(service.pid=io.dockevos.itest.cutplan)"),
        "the configuration the cut-short plan had created is deleted");
    assertFalse(Files.exists(journal), "the journal is done");
    assertEquals(Bundle.ACTIVE, manager.getState());
  }
}
