package io.dockevos.assist.internal;

import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Only a fix that adds no code is SAFE, whoever made it. {@link #effective} gives a fix the risk it
 * is shown, applied and recorded with: a fix that adds code ({@link Fix#addsCode()}, true unless the
 * fix says otherwise) is {@link Risk#MODERATE} at least. {@link #watch} checks, while the policy
 * applies a fix, that it keeps its word: a bundle that the applying thread installs or updates
 * meanwhile is kept from resolving (a resolver hook), so none of its code runs, and is named; the
 * assistant then rolls the fix back and uninstalls what is left of it.
 */
final class CodeGuard {
  private final BundleContext context;

  /** @param context the assistant's, or {@code null} where there is no framework (unit tests): nothing is watched */
  CodeGuard(BundleContext context) {
    this.context = context;
  }

  /** The fix as the assistant shows and applies it: one that adds code is not SAFE. */
  static Fix effective(Fix fix) {
    if (fix instanceof Reviewed || fix.risk() != Risk.SAFE || !addsCode(fix)) {
      return fix;
    }
    return new Reviewed(fix);
  }

  /** What the fix says; one that cannot say adds code. */
  private static boolean addsCode(Fix fix) {
    try {
      return fix.addsCode();
    } catch (RuntimeException | LinkageError e) {
      return true;
    }
  }

  /** Watches the calling thread until closed. */
  Watch watch() {
    return new Watch();
  }

  /** The bundles that the watched thread installed or updated, kept from resolving until closed. */
  final class Watch implements AutoCloseable, SynchronousBundleListener, ResolverHookFactory {
    private final Thread thread = Thread.currentThread();
    /** Bundle id -> what it is, in words. */
    private final Map<Long, String> added = new ConcurrentHashMap<>();
    private final ServiceRegistration<ResolverHookFactory> hook;

    private Watch() {
      if (context == null) {
        hook = null;
        return;
      }
      hook = context.registerService(ResolverHookFactory.class, this, null);
      context.addBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
      if ((event.getType() == BundleEvent.INSTALLED || event.getType() == BundleEvent.UPDATED)
          && Thread.currentThread() == thread) {
        Bundle b = event.getBundle();
        added.put(b.getBundleId(), b.getSymbolicName() + " " + b.getVersion() + " from " + b.getLocation());
      }
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
      return new ResolverHook() {
        @Override
        public void filterResolvable(Collection<BundleRevision> candidates) {
          if (!added.isEmpty()) {
            candidates.removeIf(r -> added.containsKey(r.getBundle().getBundleId()));
          }
        }

        @Override
        public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisionCandidates) {
          // no opinion
        }

        @Override
        public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
          // no opinion
        }

        @Override
        public void end() {
          // nothing held
        }
      };
    }

    /** @return what the watched thread installed or updated, in words; empty when nothing */
    Optional<String> added() {
      return added.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", new ArrayList<>(added.values())));
    }

    /** Uninstalls what the watched thread installed and is still there (the fix's rollback may have done it). */
    List<String> undo() {
      List<String> problems = new ArrayList<>();
      for (long id : added.keySet()) {
        Bundle b = context.getBundle(id);
        if (b != null && b.getState() != Bundle.UNINSTALLED) {
          try {
            b.uninstall();
          } catch (BundleException | IllegalStateException e) {
            problems.add("cannot uninstall " + added.get(id) + ": " + e.getMessage());
          }
        }
      }
      return problems;
    }

    @Override
    public void close() {
      if (hook == null) {
        return;
      }
      context.removeBundleListener(this);
      try {
        hook.unregister();
      } catch (IllegalStateException gone) {
        // the assistant is stopping
      }
    }
  }

  /** A fix that says SAFE and adds code: shown, applied and recorded as MODERATE. */
  static final class Reviewed implements Fix {
    private final Fix fix;

    Reviewed(Fix fix) {
      this.fix = fix;
    }

    @Override
    public String description() {
      return fix.description();
    }

    @Override
    public Risk risk() {
      return Risk.MODERATE;
    }

    @Override
    public boolean addsCode() {
      return true;
    }

    @Override
    public String dryRun() {
      return fix.dryRun();
    }

    @Override
    public String apply() throws Exception {
      return fix.apply();
    }

    @Override
    public void rollback() throws Exception {
      fix.rollback();
    }

    @Override
    public Optional<String> verify() throws Exception {
      return fix.verify();
    }

    @Override
    public String toString() {
      return fix + " (adds code: MODERATE)";
    }
  }
}
