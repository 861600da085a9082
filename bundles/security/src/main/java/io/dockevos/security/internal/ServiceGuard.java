package io.dockevos.security.internal;

import io.dockevos.common.internal.BootBundles;
import io.dockevos.security.Permission;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * Hides the runtime's protected services from the plugins that hold no permission for them: a
 * {@link FindHook} takes them out of every look-up a plugin makes, and an {@link EventListenerHook}
 * keeps their service events from its listeners (Declarative Services and service trackers look
 * services up, and listen, through the plugin's own bundle context). A plugin always sees the
 * services it registered itself; the runtime's own bundles (the boot features, the framework) see
 * everything but the guards below.
 *
 * <p>Event Admin and Configuration Admin are not hidden but replaced: a plugin without {@code
 * admin} sees a guard instead of the real one, which checks {@code dockevos/} topics against its
 * {@code events.publish} permissions, or lets only the PIDs of its {@code config} permissions
 * through. The runtime's own bundles never see the guards.
 */
final class ServiceGuard implements FindHook, EventListenerHook {
  static final String CM_TYPE = "org.osgi.service.cm.ConfigurationAdmin";
  static final String EA_TYPE = "org.osgi.service.event.EventAdmin";
  /** The protected services, by interface, and the permission a plugin needs to see one. */
  static final Map<String, Permission.Kind> PROTECTED = Map.ofEntries(
      Map.entry("io.dockevos.docker.DockerEngine", Permission.Kind.DOCKER),
      Map.entry("io.dockevos.docker.DockerServices", Permission.Kind.DOCKER),
      Map.entry("io.dockevos.runner.Runner", Permission.Kind.RUNNER),
      Map.entry("io.dockevos.plugin.PluginManager", Permission.Kind.PLUGINS_MANAGE),
      Map.entry("io.dockevos.feature.FeatureManager", Permission.Kind.PLUGINS_MANAGE),
      Map.entry("io.dockevos.install.Installer", Permission.Kind.PLUGINS_MANAGE),
      Map.entry("io.dockevos.install.Repositories", Permission.Kind.PLUGINS_MANAGE),
      Map.entry("io.dockevos.assist.Assistant", Permission.Kind.ADMIN),
      Map.entry("io.dockevos.security.Permissions", Permission.Kind.ADMIN),
      Map.entry(CM_TYPE, Permission.Kind.ADMIN),
      Map.entry(EA_TYPE, Permission.Kind.ADMIN),
      // The shell runs any command, security:grant included.
      Map.entry("org.apache.felix.service.command.CommandProcessor", Permission.Kind.ADMIN));
  /** A service with this property is a shell command: the shell's, not a plugin's to call. */
  static final String COMMAND_SCOPE = "osgi.command.scope";

  /** What a guard service stands in for. */
  enum Guard {
    EVENT_ADMIN, CONFIG_ADMIN
  }

  private final Bundle own;
  private final Function<String, List<Permission>> held;

  /**
   * @param own the bundle that registers the guards (never restricted)
   * @param held what a plugin (a symbolic name) holds now
   */
  ServiceGuard(Bundle own, Function<String, List<Permission>> held) {
    this.own = own;
    this.held = held;
  }

  /**
   * @return what the service stands in for when it is a guard: registered by this bundle with {@link
   *     Enforcement#GUARD_PROPERTY} (a plugin's service with that property is no guard); {@code null} otherwise
   */
  Guard guardOf(ServiceReference<?> ref) {
    Object v = ref.getProperty(Enforcement.GUARD_PROPERTY);
    if (v == null || !own.equals(ref.getBundle())) {
      return null;
    }
    return "configadmin".equals(v) ? Guard.CONFIG_ADMIN : Guard.EVENT_ADMIN;
  }

  /** @return whether the bundle is the runtime's own: never restricted */
  boolean runtime(Bundle b) {
    return b == null || b.equals(own) || BootBundles.isBoot(b);
  }

  @Override
  public void find(BundleContext context, String name, String filter, boolean allServices,
      Collection<ServiceReference<?>> references) {
    Bundle finder = bundle(context);
    if (runtime(finder)) {
      // The runtime's own look-ups: only a look-up that may find a guard is looked at.
      if (name == null || name.equals(EA_TYPE) || name.equals(CM_TYPE)) {
        references.removeIf(r -> guardOf(r) != null);
      }
      return;
    }
    List<Permission> perms = held.apply(finder.getSymbolicName());
    for (Iterator<ServiceReference<?>> it = references.iterator(); it.hasNext(); ) {
      if (!visible(finder, perms, it.next())) {
        it.remove();
      }
    }
  }

  @Override
  public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
    ServiceReference<?> ref = event.getServiceReference();
    boolean guard = guardOf(ref) != null;
    boolean guarded = guard || protectedService(ref);
    if (!guarded) {
      return;
    }
    for (Iterator<BundleContext> it = listeners.keySet().iterator(); it.hasNext(); ) {
      Bundle b = bundle(it.next());
      if (runtime(b) ? guard : !visible(b, held.apply(b.getSymbolicName()), ref)) {
        it.remove();
      }
    }
  }

  /** @return whether the service is one a plugin may be kept from */
  private static boolean protectedService(ServiceReference<?> ref) {
    if (ref.getProperty(COMMAND_SCOPE) != null) {
      return true;
    }
    for (String type : types(ref)) {
      if (PROTECTED.containsKey(type)) {
        return true;
      }
    }
    return false;
  }

  /** @return whether a plugin that holds {@code perms} may see the service */
  boolean visible(Bundle finder, List<Permission> perms, ServiceReference<?> ref) {
    Bundle owner = ref.getBundle();
    if (owner == null || owner.equals(finder)) {
      return true; // being unregistered, or its own
    }
    boolean admin = perms.contains(Permission.of(Permission.Kind.ADMIN));
    Guard g = guardOf(ref);
    if (g != null) {
      // Every plugin but an admin one gets the guards: the scoped Configuration Admin lets through the
      // PIDs of its config: permissions and those of its own components (which Declarative Services
      // reads through the plugin's context when it starts them).
      return !admin;
    }
    if (admin) {
      return true;
    }
    if (ref.getProperty(COMMAND_SCOPE) != null) {
      return false;
    }
    for (String type : types(ref)) {
      Permission.Kind k = PROTECTED.get(type);
      if (k != null && !Permission.implied(perms, Permission.of(k))) {
        return false;
      }
    }
    return true;
  }

  /** @return the kinds of service a plugin that holds {@code perms} is kept from, for messages */
  static Set<String> hiddenTypes(List<Permission> perms) {
    Set<String> result = new java.util.TreeSet<>();
    PROTECTED.forEach((type, kind) -> {
      if (!Permission.implied(perms, Permission.of(kind))) {
        result.add(type.substring(type.lastIndexOf('.') + 1));
      }
    });
    return result;
  }

  private static String[] types(ServiceReference<?> ref) {
    Object o = ref.getProperty(Constants.OBJECTCLASS);
    return o instanceof String[] a ? a : new String[0];
  }

  private static Bundle bundle(BundleContext context) {
    try {
      return context == null ? null : context.getBundle();
    } catch (IllegalStateException stale) {
      return null; // a context of a stopped bundle: it finds nothing anyway
    }
  }
}
