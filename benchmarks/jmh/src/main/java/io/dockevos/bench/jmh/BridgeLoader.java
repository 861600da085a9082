package io.dockevos.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import org.osgi.framework.Bundle;

/**
 * The class loader of the bridge package ({@code io.dockevos.bench.jmh.bridge}): it defines those
 * classes itself, from the bytes on the class path, and loads {@code io.dockevos.action.*} from the
 * io.dockevos.api bundle inside the framework (and {@code org.osgi.service.event.*} from Event
 * Admin's bundle, for the event benchmark); everything else comes from the JDK.
 *
 * <p>Why: inside the framework the API classes belong to the API bundle, so an {@code Action} from
 * the application class path would be a different class, and a cast of the greeter's service to it
 * would fail. Of the ways round it this is the simplest that keeps both calls plain compiled Java
 * (no reflection or method handles in the timed path, no proxy as the action's context): exporting
 * the API from the system bundle instead would change how the runtime resolves, which is what is
 * measured.
 */
final class BridgeLoader extends ClassLoader {
  static final String BRIDGE = "io.dockevos.bench.jmh.bridge.";
  private static final String API = "io.dockevos.action.";

  static {
    registerAsParallelCapable();
  }

  /** Package prefix -> the bundle inside the framework that the bridge takes those classes from. */
  private final java.util.Map<String, Bundle> from;

  BridgeLoader(Bundle api) {
    this(java.util.Map.of(API, api));
  }

  BridgeLoader(java.util.Map<String, Bundle> from) {
    super("dockevos-bench-bridge", ClassLoader.getPlatformClassLoader());
    this.from = from;
  }

  private Bundle bundleFor(String name) {
    for (java.util.Map.Entry<String, Bundle> e : from.entrySet()) {
      if (name.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        Bundle bundle = bundleFor(name);
        if (bundle != null) {
          c = bundle.loadClass(name);
        } else if (name.startsWith(BRIDGE)) {
          c = define(name);
        } else {
          c = getParent().loadClass(name);
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  private Class<?> define(String name) throws ClassNotFoundException {
    String resource = name.replace('.', '/') + ".class";
    try (InputStream in = BridgeLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ClassNotFoundException(name);
      }
      byte[] bytes = in.readAllBytes();
      return defineClass(name, bytes, 0, bytes.length);
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
  }
}
