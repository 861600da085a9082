package io.dockevos.plugin.internal;

import io.dockevos.common.internal.Filters;
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

  /** A configuration an archive applied, with its properties before ({@code null}: it did not exist). */
  record Applied(String pid, java.util.Dictionary<String, Object> previous) {}

  /** Told the PID of each configuration before it is created, to journal it. */
  @FunctionalInterface
  interface Creating {
    void creating(String pid) throws PluginException;
  }

  /**
   * Gives an archive's {@code PID.cfg} and {@code FACTORY~NAME.cfg} files to Configuration Admin. An
   * archive configures only its own PIDs: the symbolic names of its bundles (and {@code NAME.*}), and
   * the names and configuration PIDs of their Declarative Services components; one for any other PID
   * (another plugin's, the runtime's) refuses the install before anything is applied.
   *
   * @param bundles the archive's bundles, installed
   * @param creating told the PID of each configuration that did not exist, before it is created
   * @return what was applied, for {@link #restoreConfigurations} if the install fails
   */
  List<Applied> applyConfigurations(String source, List<Path> configs, List<Bundle> bundles, Creating creating)
      throws PluginException {
    List<Applied> applied = new ArrayList<>();
    ConfigurationAdmin ca = m.configAdmin;
    if (configs.isEmpty()) {
      return applied;
    }
    if (ca == null) {
      throw new PluginException("Cannot install " + source + ": it holds configurations, and Configuration Admin"
          + " is not running");
    }
    Set<String> own = ownPids(bundles);
    for (Path cfg : configs) {
      String pid = basePid(cfg);
      if (!owns(own, bundles, pid)) {
        throw new PluginException("Cannot install " + source + ": its configuration " + cfg.getFileName() + " is for "
            + pid + ", which is not its own. An archive configures only the PIDs of its bundles (their symbolic names,"
            + " NAME.*, and the PIDs of their components); configure others with a PID.cfg file in deploy/");
      }
    }
    try {
      for (Path cfg : configs) {
        String name = cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
        java.util.Properties props = new java.util.Properties();
        try (InputStream in = Files.newInputStream(cfg)) {
          props.load(in);
          java.util.Hashtable<String, Object> values = new java.util.Hashtable<>();
          props.forEach((k, v) -> values.put(k.toString(), v.toString().trim()));
          int tilde = name.indexOf('~');
          Configuration c = tilde > 0 ? ca.getFactoryConfiguration(name.substring(0, tilde),
              name.substring(tilde + 1), "?") : ca.getConfiguration(name, "?");
          java.util.Dictionary<String, Object> previous = c.getProperties();
          if (previous == null) {
            creating.creating(c.getPid());
          }
          c.updateIfDifferent(values);
          applied.add(new Applied(c.getPid(), previous));
        } catch (IOException | IllegalArgumentException e) {
          throw new PluginException("Cannot install " + source + ": its configuration " + cfg.getFileName()
              + " cannot be applied: " + e.getMessage(), e);
        }
      }
    } catch (PluginException e) {
      restoreConfigurations(applied);
      throw e;
    }
    return applied;
  }

  /** Puts configurations back as they were before an install that failed: deleted if they were new. */
  void restoreConfigurations(List<Applied> applied) {
    ConfigurationAdmin ca = m.configAdmin;
    for (int i = applied.size() - 1; i >= 0 && ca != null; i--) {
      Applied a = applied.get(i);
      try {
        Configuration[] found = ca.listConfigurations("(service.pid=" + Filters.escape(a.pid()) + ")");
        if (found == null) {
          continue;
        }
        if (a.previous() == null) {
          found[0].delete();
        } else {
          found[0].update(a.previous());
          LOG.info("Configuration {} is back as it was before the install that failed", a.pid());
        }
      } catch (IOException | org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
        LOG.warn("Cannot put configuration {} back: {}", a.pid(), e.toString());
      }
    }
  }

  /** @return the PID (the factory PID of {@code FACTORY~NAME.cfg}) that a configuration file is for */
  static String basePid(Path cfg) {
    String name = cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
    int tilde = name.indexOf('~');
    return tilde > 0 ? name.substring(0, tilde) : name;
  }

  private static boolean owns(Set<String> own, List<Bundle> bundles, String pid) {
    return own.contains(pid) || bundles.stream().map(Bundle::getSymbolicName)
        .anyMatch(bsn -> bsn != null && (pid.equals(bsn) || pid.startsWith(bsn + ".")));
  }

  /** @return the names and configuration PIDs of the components that the bundles' descriptors declare */
  static Set<String> ownPids(List<Bundle> bundles) {
    Set<String> pids = new LinkedHashSet<>();
    for (Bundle b : bundles) {
      String header = b.getHeaders("").get("Service-Component");
      if (header == null) {
        continue;
      }
      for (String path : header.split(",")) {
        String p = path.trim();
        int slash = p.lastIndexOf('/');
        java.util.Enumeration<java.net.URL> urls = b.findEntries(slash < 0 ? "/" : p.substring(0, slash),
            p.substring(slash + 1), false);
        while (urls != null && urls.hasMoreElements()) {
          readComponents(urls.nextElement(), pids);
        }
      }
    }
    return pids;
  }

  private static void readComponents(java.net.URL xml, Set<String> pids) {
    try (InputStream in = xml.openStream()) {
      javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
      f.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setNamespaceAware(true);
      org.w3c.dom.NodeList components = f.newDocumentBuilder().parse(in).getElementsByTagNameNS("*", "component");
      for (int i = 0; i < components.getLength(); i++) {
        org.w3c.dom.Element c = (org.w3c.dom.Element) components.item(i);
        String pid = c.getAttribute("configuration-pid");
        String name = c.getAttribute("name");
        for (String p : (pid.isEmpty() ? name : pid).split("\\s+")) {
          if (!p.isEmpty()) {
            pids.add(p.equals("$") ? name : p);
          }
        }
      }
    } catch (IOException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
      LOG.debug("Cannot read the component descriptor {}: {}", xml, e.toString());
    }
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
        Configuration[] bound = ca.listConfigurations("(service.bundleLocation=" + Filters.escape(bundle.getLocation()) + ")");
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
  /** Deletes the configurations (and factory configurations) of the PIDs of a plugin, named for the log. */
  void deleteConfigurations(String name, List<String> pids) {
    ConfigurationAdmin ca = m.configAdmin;
    if (ca != null) {
      delete(ca, name, pids);
    }
  }

  /** Deletes the configurations (and factory configurations) of these PIDs, of {@code name} for the log. */
  static void delete(ConfigurationAdmin ca, String name, List<String> pids) {
    for (String pid : pids) {
      try {
        Configuration[] configs = ca.listConfigurations("(|(service.pid=" + Filters.escape(pid) + ")(service.factoryPid="
            + Filters.escape(pid) + "))");
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

}
