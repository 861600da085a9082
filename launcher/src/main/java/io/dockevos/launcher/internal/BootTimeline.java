package io.dockevos.launcher.internal;

import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * A diagnostic timeline of the boot, on when the system property {@value #PROPERTY} is set: the
 * launcher's phases and every bundle event until ready, with the milliseconds since the start
 * began, logged in one entry at ready. It shows where each boot bundle's time goes (what runs
 * between one bundle's STARTED and the next one's STARTING is Declarative Services activating the
 * first one's immediate components).
 */
public final class BootTimeline implements SynchronousBundleListener, org.osgi.framework.ServiceListener {
  public static final String PROPERTY = "dockevos.boot.timeline";
  private final long begin;
  private final List<String> entries = new ArrayList<>();
  private boolean services;

  private BootTimeline(long begin) {
    this.begin = begin;
  }

  /** @return a timeline, or null when the property is not set */
  public static BootTimeline startedAt(long beginNanos) {
    String v = System.getProperty(PROPERTY);
    if (v == null) {
      return null;
    }
    BootTimeline t = new BootTimeline(beginNanos);
    t.services = v.contains("services");
    return t;
  }

  public boolean wantsServices() {
    return services;
  }

  public synchronized void mark(String what) {
    // No String.format: its first use costs more than the whole entry (locale data).
    long micros = (System.nanoTime() - begin) / 1_000;
    entries.add(micros / 1000 + "." + (micros % 1000) / 100 + " ms [" + Thread.currentThread().getName() + "] " + what);
  }

  @Override
  public void bundleChanged(BundleEvent event) {
    String type = switch (event.getType()) {
      case BundleEvent.INSTALLED -> "INSTALLED";
      case BundleEvent.RESOLVED -> "RESOLVED";
      case BundleEvent.STARTING -> "STARTING";
      case BundleEvent.STARTED -> "STARTED";
      case BundleEvent.LAZY_ACTIVATION -> "LAZY_ACTIVATION";
      default -> null;
    };
    if (type != null) {
      mark(type + " " + event.getBundle().getSymbolicName());
    }
  }

  @Override
  public void serviceChanged(ServiceEvent event) {
    if (event.getType() == ServiceEvent.REGISTERED) {
      Object classes = event.getServiceReference().getProperty(org.osgi.framework.Constants.OBJECTCLASS);
      mark("service " + String.join(",", (String[]) classes) + " by " + event.getServiceReference().getBundle().getSymbolicName());
    }
  }

  @Override
  public synchronized String toString() {
    return String.join("\n", entries);
  }
}
