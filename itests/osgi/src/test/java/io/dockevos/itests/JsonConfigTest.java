package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.annotation.Property;
import org.osgi.test.common.annotation.config.WithFactoryConfiguration;
import org.osgi.test.junit5.cm.ConfigurationExtension;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The JSON configuration installer of io.dockevos.core: a {@code PID.json} file in a folder that
 * FileInstall watches becomes a typed Configuration, follows edits and goes with the file.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(ConfigurationExtension.class)
class JsonConfigTest {
  @InjectBundleContext
  BundleContext context;

  @InjectService
  ConfigurationAdmin admin;

  @InjectService
  CommandProcessor shell;

  @AfterEach
  void deleteLeftovers() throws Exception {
    for (String pid : new String[] {"my.pid", "my.deployed.pid"}) {
      Configuration[] left = admin.listConfigurations("(service.pid=" + pid + ")");
      if (left != null) {
        left[0].delete();
      }
    }
  }

  /** A watcher like the feature's org.apache.felix.fileinstall~etc; FileInstall expands ${dockevos.home}. */
  @Test
  @WithFactoryConfiguration(factoryPid = "org.apache.felix.fileinstall", name = "itest-etc", location = "?",
      properties = {
          @Property(key = "felix.fileinstall.dir", value = "${dockevos.home}/etc-itest"),
          @Property(key = "felix.fileinstall.filter", value = ".*\\.(cfg|config|json)"),
          @Property(key = "felix.fileinstall.poll", value = "50"),
          @Property(key = "felix.fileinstall.noInitialDelay", value = "true")})
  void aJsonFileInAWatchedFolderIsATypedConfigurationThatFollowsTheFile() throws Exception {
    Path dir = Files.createDirectories(Path.of(context.getProperty("dockevos.home"), "etc-itest"));
    followsTheFile(dir.resolve("my.pid.json"), "my.pid");
  }

  /** What a user does: drop the file into deploy/, which the deploy monitor hands to FileInstall. */
  @Test
  void aJsonFileDroppedIntoDeployIsATypedConfigurationThatFollowsTheFile() throws Exception {
    Path deploy = Path.of(context.getProperty("dockevos.deploy"));
    followsTheFile(deploy.resolve("my.deployed.pid.json"), "my.deployed.pid");
  }

  private void followsTheFile(Path file, String pid) throws Exception {
    Files.writeString(file, "{\"greeting\": \"hi\", \"count:Integer\": 3}");
    Dictionary<String, Object> props = Await.until(() -> properties(pid), p -> p != null,
        "Configuration " + pid + " from " + file);
    assertEquals("hi", props.get("greeting"));
    assertEquals(Integer.valueOf(3), props.get("count"), "count:Integer must give an Integer");
    String shown = Shell.run(shell, "config:get " + pid).shown();
    assertTrue(shown.contains("greeting = hi") && shown.contains("count = 3"), "config:get " + pid + ":\n" + shown);

    // Another length and a later time, so that no file-system timestamp granularity hides the edit.
    Files.writeString(file, "{\"greeting\": \"hello again\", \"count:Integer\": 42}");
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
    props = Await.until(() -> properties(pid), p -> p != null && "hello again".equals(p.get("greeting")),
        "the edit of " + file + " to reach " + pid);
    assertEquals(Integer.valueOf(42), props.get("count"));

    Files.delete(file);
    Await.until(() -> properties(pid), p -> p == null, "Configuration " + pid + " to go with " + file);
  }

  private Dictionary<String, Object> properties(String pid) throws Exception {
    Configuration[] found = admin.listConfigurations("(service.pid=" + pid + ")");
    try {
      return found == null ? null : found[0].getProperties();
    } catch (IllegalStateException deletedMeanwhile) {
      // Deleted between the listing and the read: gone, as the caller waits for.
      return null;
    }
  }
}
