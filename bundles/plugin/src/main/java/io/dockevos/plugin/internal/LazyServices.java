package io.dockevos.plugin.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Services a component binds by reference and gets only at their first use, then keeps until they
 * go away: getting them as the component starts would start their own components on every boot.
 */
final class LazyServices {
  private final BundleContext context;
  private final Map<ServiceReference<?>, Object> got = new ConcurrentHashMap<>();

  LazyServices(BundleContext context) {
    this.context = context;
  }

  /** @return the service, got now if it was not yet; {@code null} for no reference or a service that went away */
  @SuppressWarnings("unchecked")
  <T> T get(ServiceReference<T> ref) {
    if (ref == null) {
      return null;
    }
    try {
      return (T) got.computeIfAbsent(ref, context::getService);
    } catch (IllegalStateException gone) {
      return null;
    }
  }

  /** Ungets the service if it was got: its reference went away. */
  void release(ServiceReference<?> ref) {
    if (ref != null && got.remove(ref) != null) {
      try {
        context.ungetService(ref);
      } catch (IllegalStateException stopping) {
        // the component is stopping
      }
    }
  }
}
