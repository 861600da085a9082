package io.dockevos.security.internal;

import io.dockevos.security.Permission;
import io.dockevos.security.Permissions;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the permissions into effect: registers the {@link ServiceGuard} hooks, offers plugins the
 * guarded Event Admin and the scoped Configuration Admin while the real ones are there, and when a
 * grant or a revocation changes what a running plugin holds, restarts it (it gained something: its
 * components look again) or refreshes it (it lost something: it stops, every service it got is
 * released, its classes are loaded anew, and it starts again without what it may no longer use).
 *
 * <p>This bundle is a boot bundle that starts before any plugin, so that no plugin ever sees a
 * service it holds no permission for.
 */
@Component(service = {}, immediate = true)
public final class Enforcement implements PermissionsImpl.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Enforcement.class);
  /** The property that marks a guard service (its value: {@code eventadmin} or {@code configadmin}), with this bundle as its owner. */
  static final String GUARD_PROPERTY = "dockevos.security.guard";
  private static final long REFRESH_TIMEOUT_MS = 30_000;

  private final BundleContext context;
  private final PermissionsImpl permissions;
  private final ServiceGuard guard;
  private final ServiceRegistration<?> hooks;
  private final ServiceTracker<EventAdmin, EventAdmin> eventAdmins;
  private final ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> configAdmins;
  private ServiceRegistration<EventAdmin> guardedEvents;
  private ServiceRegistration<ConfigurationAdmin> scopedConfig;
  private ServiceReference<ConfigurationAdmin> scopedFor;

  @Activate
  public Enforcement(BundleContext context, @Reference Permissions permissions) {
    this.context = context;
    this.permissions = (PermissionsImpl) permissions;
    this.guard = new ServiceGuard(context.getBundle(), this.permissions::held);
    this.hooks = context.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()},
        guard, null);
    this.eventAdmins = new ServiceTracker<>(context, real(EventAdmin.class), null) {
      @Override
      public EventAdmin addingService(ServiceReference<EventAdmin> ref) {
        EventAdmin ea = super.addingService(ref);
        offerEvents(ref); // the tracker counts it only once this returns
        return ea;
      }

      @Override
      public void removedService(ServiceReference<EventAdmin> ref, EventAdmin service) {
        super.removedService(ref, service);
        offerEvents(null);
      }
    };
    this.configAdmins = new ServiceTracker<>(context, real(ConfigurationAdmin.class), null) {
      @Override
      public ConfigurationAdmin addingService(ServiceReference<ConfigurationAdmin> ref) {
        ConfigurationAdmin ca = super.addingService(ref);
        offerConfig(ref);
        return ca;
      }

      @Override
      public void removedService(ServiceReference<ConfigurationAdmin> ref, ConfigurationAdmin service) {
        super.removedService(ref, service);
        offerConfig(null);
      }
    };
    eventAdmins.open();
    configAdmins.open();
    this.permissions.addListener(this);
  }

  @Deactivate
  void deactivate() {
    permissions.removeListener(this);
    eventAdmins.close();
    configAdmins.close();
    synchronized (this) {
      unregister(guardedEvents);
      guardedEvents = null;
      unregister(scopedConfig);
      scopedConfig = null;
    }
    hooks.unregister();
  }

  /** @return a filter for the real service of a type: not one of the guards */
  private <T> Filter real(Class<T> type) {
    try {
      return FrameworkUtil.createFilter("(&(" + Constants.OBJECTCLASS + "=" + type.getName() + ")(!(" + GUARD_PROPERTY
          + "=*)))");
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Offers the guarded Event Admin while a real one is there.
   *
   * @param adding a real one being added, which the tracker does not count yet; or {@code null}
   */
  private synchronized void offerEvents(ServiceReference<EventAdmin> adding) {
    boolean there = adding != null || eventAdmins.getServiceReference() != null;
    if (there && guardedEvents == null) {
      guardedEvents = context.registerService(EventAdmin.class,
          new GuardedEventAdmin(eventAdmins::getService, permissions::held), props("eventadmin"));
    } else if (!there && guardedEvents != null) {
      unregister(guardedEvents);
      guardedEvents = null;
    }
  }

  /**
   * Offers the scoped Configuration Admin, over the best real one, while there is one.
   *
   * @param adding a real one being added, which the tracker does not count yet; or {@code null}
   */
  private synchronized void offerConfig(ServiceReference<ConfigurationAdmin> adding) {
    ServiceReference<ConfigurationAdmin> best = configAdmins.getServiceReference();
    if (adding != null && (best == null || adding.compareTo(best) > 0)) {
      best = adding;
    }
    if (best != null && best.equals(scopedFor)) {
      return;
    }
    unregister(scopedConfig);
    scopedConfig = null;
    scopedFor = best;
    if (best != null) {
      scopedConfig = context.registerService(ConfigurationAdmin.class,
          new ScopedConfigurationAdmin(best, permissions::held), props("configadmin"));
    }
  }

  private static Hashtable<String, Object> props(String what) {
    Hashtable<String, Object> p = new Hashtable<>();
    p.put(GUARD_PROPERTY, what);
    p.put(Constants.SERVICE_DESCRIPTION, "dockevOS: the " + what + " that plugins without admin get");
    return p;
  }

  private static void unregister(ServiceRegistration<?> r) {
    if (r != null) {
      try {
        r.unregister();
      } catch (IllegalStateException gone) {
        // unregistered with the bundle already
      }
    }
  }

  /** @return the running plugins (not the runtime's own bundles) named {@code plugin} */
  List<Bundle> running(String plugin) {
    List<Bundle> result = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      if (plugin.equals(b.getSymbolicName()) && !guard.runtime(b)
          && (b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING)) {
        result.add(b);
      }
    }
    return result;
  }

  @Override
  public void changed(String plugin, List<Permission> before, List<Permission> after) {
    boolean lost = !Permission.missing(after, before).isEmpty();
    boolean gained = !Permission.missing(before, after).isEmpty();
    List<Bundle> bundles = lost || gained ? running(plugin) : List.of();
    if (bundles.isEmpty()) {
      return;
    }
    if (lost) {
      refresh(plugin, bundles);
      return;
    }
    for (Bundle b : bundles) {
      try {
        b.stop(Bundle.STOP_TRANSIENT);
        b.start(Bundle.START_TRANSIENT);
        LOG.info("Restarted {} {} (plugin {}): it holds {} now", plugin, b.getVersion(), b.getBundleId(),
            permissionsOf(plugin));
      } catch (BundleException | IllegalStateException e) {
        LOG.error("Cannot restart {} {} (plugin {}) with its new permissions: {}", plugin, b.getVersion(),
            b.getBundleId(), e.toString());
      }
    }
  }

  /** Refreshes the plugin's bundles and waits for it: what they got from services is released, their classes dropped. */
  private void refresh(String plugin, List<Bundle> bundles) {
    try {
      if (io.dockevos.common.internal.Refreshes.andWait(context, bundles, java.time.Duration.ofMillis(REFRESH_TIMEOUT_MS))) {
        LOG.info("Refreshed {} (plugin {}): it dropped the services it got, and holds {} now", plugin,
            bundles.stream().map(Bundle::getBundleId).toList(), permissionsOf(plugin));
      } else {
        LOG.error("Refreshing {} after its permissions were revoked takes longer than {} s", plugin,
            REFRESH_TIMEOUT_MS / 1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String permissionsOf(String plugin) {
    List<Permission> held = permissions.held(plugin);
    return held.isEmpty() ? "no permissions" : Permission.join(held);
  }
}
