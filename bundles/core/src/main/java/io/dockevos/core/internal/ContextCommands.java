package io.dockevos.core.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The system bundle's context as Gogo commands in the scope {@code context}, as Felix's own
 * profile offers them with {@code addcommand context ${.context}}: {@code bundle 5}, {@code
 * bundles}, {@code property NAME}, {@code serviceReferences CLASS FILTER}. Here for every shell,
 * the console's and the one in the background, which has no {@code addcommand}; and with one
 * method per name, so that {@code bundle 5} is the bundle with id 5, not the one at location "5".
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = ContextCommands.class, property = {"osgi.command.scope=context",
    "osgi.command.function=bundle", "osgi.command.function=bundles", "osgi.command.function=property",
    "osgi.command.function=serviceReferences", "osgi.command.function=service",
    "osgi.command.function=installBundle", "osgi.command.function=createFilter"})
public final class ContextCommands {
  private final BundleContext system;

  @Activate
  public ContextCommands(BundleContext context) {
    this.system = context.getBundle(0).getBundleContext();
  }

  @Descriptor("the bundle with this id")
  public Bundle bundle(long id) {
    Bundle b = system.getBundle(id);
    if (b == null) {
      throw new IllegalArgumentException("no bundle with id " + id);
    }
    return b;
  }

  @Descriptor("every bundle")
  public Bundle[] bundles() {
    return system.getBundles();
  }

  @Descriptor("a framework or system property")
  public String property(String name) {
    return system.getProperty(name);
  }

  @Descriptor("the references of the services of a class that match an LDAP filter")
  public ServiceReference<?>[] serviceReferences(String clazz, String filter) throws InvalidSyntaxException {
    return system.getServiceReferences(clazz, filter);
  }

  @Descriptor("the service behind a reference")
  public Object service(ServiceReference<?> reference) {
    return system.getService(reference);
  }

  @Descriptor("install a bundle from a location (a URL)")
  public Bundle installBundle(String location) throws BundleException {
    return system.installBundle(location);
  }

  @Descriptor("an LDAP filter, parsed")
  public Filter createFilter(String filter) throws InvalidSyntaxException {
    return system.createFilter(filter);
  }
}
