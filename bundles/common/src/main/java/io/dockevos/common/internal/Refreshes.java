package io.dockevos.common.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;

/** A refresh of bundles that the caller waits for: {@code FrameworkWiring.refreshBundles} is asynchronous. */
public final class Refreshes {
  /** How long a refresh is waited for unless the caller says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private Refreshes() {}

  /** @see #andWait(FrameworkWiring, Collection, Duration) */
  public static boolean andWait(BundleContext context, Collection<Bundle> bundles, Duration timeout)
      throws InterruptedException {
    return andWait(context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class), bundles, timeout);
  }

  /**
   * Refreshes the bundles (and what depends on them) and waits until the framework is done.
   *
   * @return whether it was done within {@code timeout}; nothing is refreshed, and true, when there are no bundles
   */
  public static boolean andWait(FrameworkWiring wiring, Collection<Bundle> bundles, Duration timeout)
      throws InterruptedException {
    if (bundles.isEmpty()) {
      return true;
    }
    CountDownLatch done = new CountDownLatch(1);
    wiring.refreshBundles(bundles, e -> done.countDown());
    return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
