package io.dockevos.plugin.internal;

import io.dockevos.plugin.PluginException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The configurations of plugins: those an archive carries, and those a plugin's components use. */
final class PluginConfigurations {
  private static final Logger LOG = LoggerFactory.getLogger(PluginConfigurations.class);
  private final PluginManagerImpl m;

  PluginConfigurations(PluginManagerImpl manager) {
    this.m = manager;
  }

  /** Gives an archive's {@code PID.cfg} and {@code FACTORY~NAME.cfg} files to Configuration Admin. */
  List<String> applyConfigurations(String source, List<Path> configs) throws PluginException {
    List<String> pids = new ArrayList<>();
    ConfigurationAdmin ca = m.configAdmin;
    if (configs.isEmpty()) {
      return pids;
    }
    if (ca == null) {
      throw new PluginException("Cannot install " + source + ": it holds configurations, and Configuration Admin"
          + " is not running");
    }
    for (Path cfg : configs) {
      String name = cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
      java.util.Properties props = new java.util.Properties();
      try (InputStream in = Files.newInputStream(cfg)) {
        props.load(in);
        java.util.Hashtable<String, Object> values = new java.util.Hashtable<>();
        props.forEach((k, v) -> values.put(k.toString(), v.toString().trim()));
        int tilde = name.indexOf('~');
        Configuration c = tilde > 0 ? ca.getFactoryConfiguration(name.substring(0, tilde), name.substring(tilde + 1),
            "?") : ca.getConfiguration(name, "?");
        c.updateIfDifferent(values);
        pids.add(c.getPid());
      } catch (IOException | IllegalArgumentException e) {
        throw new PluginException("Cannot install " + source + ": its configuration " + cfg.getFileName()
            + " cannot be applied: " + e.getMessage(), e);
      }
    }
    return pids;
  }
  List<String> configurationPids(Bundle bundle) {
    Set<String> pids = new LinkedHashSet<>();
    ServiceComponentRuntime runtime = m.scr;
    if (runtime != null) {
      for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(bundle)) {
        pids.addAll(Arrays.asList(d.configurationPid));
      }
    }
    ConfigurationAdmin ca = m.configAdmin;
    if (ca != null) {
      try {
        Configuration[] bound = ca.listConfigurations("(service.bundleLocation=" + escape(bundle.getLocation()) + ")");
        if (bound != null) {
          for (Configuration c : bound) {
            pids.add(c.getFactoryPid() != null ? c.getFactoryPid() : c.getPid());
          }
        }
      } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
        LOG.debug("Cannot list configurations of {}", bundle, e);
      }
    }
    return new ArrayList<>(pids);
  }
  void deleteConfigurations(List<String> pids) {
    ConfigurationAdmin ca = m.configAdmin;
    for (String pid : pids) {
      try {
        Configuration c = ca == null ? null : ca.getConfiguration(pid, "?");
        if (c != null) {
          c.delete();
        }
      } catch (IOException | IllegalStateException e) {
        LOG.warn("Cannot delete configuration {}: {}", pid, e.toString());
      }
    }
  }
  /** Deletes the configurations (and factory configurations) of the PIDs of a plugin, named for the log. */
  void deleteConfigurations(String name, List<String> pids) {
    ConfigurationAdmin ca = m.configAdmin;
    if (ca == null) {
      return;
    }
    for (String pid : pids) {
      try {
        Configuration[] configs = ca.listConfigurations("(|(service.pid=" + escape(pid) + ")(service.factoryPid="
            + escape(pid) + "))");
        if (configs != null) {
          for (Configuration c : configs) {
            c.delete();
            LOG.info("Deleted configuration {} of {}", c.getPid(), name);
          }
        }
      } catch (IOException | org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
        LOG.warn("Cannot delete configuration {} of {}: {}", pid, name, e.toString());
      }
    }
  }
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
  }
}
