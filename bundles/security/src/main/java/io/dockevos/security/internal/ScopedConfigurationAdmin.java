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
 * only the PIDs and factory PIDs of its patterns let through. What a plugin holds is read at each
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
      return held.apply(bundle.getSymbolicName()).stream().anyMatch(p -> p.allowsConfiguration(pid));
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
