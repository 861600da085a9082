package io.dockevos.security.internal;

import io.dockevos.security.Permission;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Configuration Admin that a plugin with {@code config:<pid-pattern>} permissions (and without
 * {@code admin}) gets instead of the real one: the real one, got through the plugin's own bundle
 * context (so that a configuration it creates is bound to it, as Configuration Admin does), with
 * only the PIDs and factory PIDs of its patterns let through, and those of its own components. What a plugin holds is read at each
 * call, so a revocation counts at once.
 */
final class ScopedConfigurationAdmin implements ServiceFactory<ConfigurationAdmin> {
  private final ServiceReference<ConfigurationAdmin> real;
  private final Function<String, List<Permission>> held;

  ScopedConfigurationAdmin(ServiceReference<ConfigurationAdmin> real, Function<String, List<Permission>> held) {
    this.real = real;
    this.held = held;
  }

  @Override
  public ConfigurationAdmin getService(Bundle bundle, ServiceRegistration<ConfigurationAdmin> registration) {
    BundleContext context = bundle.getBundleContext();
    ConfigurationAdmin admin = context == null ? null : context.getService(real);
    // The framework (whose look-ups no find hook sees) and the boot bundles are never restricted.
    return admin == null || io.dockevos.common.internal.BootBundles.isBoot(bundle) ? admin : new Scoped(bundle, admin);
  }

  private static final java.util.regex.Pattern COMPONENT = java.util.regex.Pattern.compile(
      "<(?:[\\w-]+:)?component\\b([^>]*)>");
  private static final java.util.regex.Pattern ATTRIBUTE = java.util.regex.Pattern.compile(
      "\\b(name|configuration-pid)\\s*=\\s*\"([^\"]*)\"");
  /** By bundle id and its last modification: the configuration PIDs of its own components. */
  private final java.util.Map<String, java.util.Set<String>> own = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @return the configuration PIDs of the bundle's own Declarative Services components (each
   *     component's {@code configuration-pid}, else its name): a plugin's own configuration is its
   *     own, with or without a config: permission, so that Declarative Services, which reads it
   *     through the plugin's Configuration Admin, finds it when the plugin starts
   */
  java.util.Set<String> ownPids(Bundle bundle) {
    return own.computeIfAbsent(bundle.getBundleId() + "@" + bundle.getLastModified(), k -> {
      java.util.Set<String> pids = new java.util.HashSet<>();
      String header = bundle.getHeaders("").get("Service-Component");
      for (String path : header == null ? new String[0] : header.split(",")) {
        java.net.URL entry = bundle.getEntry(path.trim());
        if (entry == null) {
          continue;
        }
        try (java.io.InputStream in = entry.openStream()) {
          String xml = new String(in.readNBytes(1 << 20), java.nio.charset.StandardCharsets.UTF_8);
          java.util.regex.Matcher c = COMPONENT.matcher(xml);
          while (c.find()) {
            String name = null;
            String configured = null;
            java.util.regex.Matcher a = ATTRIBUTE.matcher(c.group(1));
            while (a.find()) {
              if (a.group(1).equals("name")) {
                name = a.group(2);
              } else {
                configured = a.group(2);
              }
            }
            String list = configured != null ? configured : name;
            if (list != null) {
              for (String pid : list.trim().split("\\s+")) {
                pids.add(pid.equals("$") ? String.valueOf(name) : pid);
              }
            }
          }
        } catch (java.io.IOException e) {
          // a descriptor that cannot be read names no PID
        }
      }
      return java.util.Set.copyOf(pids);
    });
  }

  @Override
  public void ungetService(Bundle bundle, ServiceRegistration<ConfigurationAdmin> registration,
      ConfigurationAdmin service) {
    BundleContext context = bundle.getBundleContext();
    if (context != null) {
      try {
        context.ungetService(real);
      } catch (IllegalStateException stopping) {
        // the framework releases what a stopping bundle got
      }
    }
  }

  private final class Scoped implements ConfigurationAdmin {
    private final Bundle bundle;
    private final ConfigurationAdmin admin;

    Scoped(Bundle bundle, ConfigurationAdmin admin) {
      this.bundle = bundle;
      this.admin = admin;
    }

    private boolean allowed(String pid) {
      return ownPids(bundle).contains(pid)
          || held.apply(bundle.getSymbolicName()).stream().anyMatch(p -> p.allowsConfiguration(pid));
    }

    private void check(String pid) {
      if (!allowed(pid)) {
        String name = bundle.getSymbolicName();
        throw new SecurityException(name + " may not use the configuration " + pid + ": it holds no config:"
            + " permission whose pattern matches it (security:grant " + name + " config:" + pid + ")");
      }
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid) throws IOException {
      check(factoryPid);
      return admin.createFactoryConfiguration(factoryPid);
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid, String location) throws IOException {
      check(factoryPid);
      return admin.createFactoryConfiguration(factoryPid, location);
    }

    @Override
    public Configuration getConfiguration(String pid, String location) throws IOException {
      check(pid);
      return admin.getConfiguration(pid, location);
    }

    @Override
    public Configuration getConfiguration(String pid) throws IOException {
      check(pid);
      return admin.getConfiguration(pid);
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name, String location) throws IOException {
      check(factoryPid);
      return admin.getFactoryConfiguration(factoryPid, name, location);
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name) throws IOException {
      check(factoryPid);
      return admin.getFactoryConfiguration(factoryPid, name);
    }

    @Override
    public Configuration[] listConfigurations(String filter) throws IOException, InvalidSyntaxException {
      Configuration[] all = admin.listConfigurations(filter);
      if (all == null) {
        return null;
      }
      Configuration[] mine = Arrays.stream(all)
          .filter(c -> allowed(c.getPid()) || c.getFactoryPid() != null && allowed(c.getFactoryPid()))
          .toArray(Configuration[]::new);
      return mine.length == 0 ? null : mine;
    }

    @Override
    public String toString() {
      return "ConfigurationAdmin for " + bundle.getSymbolicName() + " (the PIDs of its config: permissions)";
    }
  }
}
