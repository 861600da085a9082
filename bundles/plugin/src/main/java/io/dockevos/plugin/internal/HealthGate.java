package io.dockevos.plugin.internal;

import io.dockevos.plugin.ComponentDiagnosis;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The health gate after a plan's bundles started: within a time limit every one is ACTIVE, each of
 * its enabled Declarative Services components is satisfied (one that waits for its configuration
 * passes: it was made to), and none of the Felix Health Checks it registers is CRITICAL.
 */
final class HealthGate {
  /** The framework property that sets the gate's time limit, in milliseconds. */
  static final String TIMEOUT_PROPERTY = "dockevos.install.gate.timeout";
  static final long DEFAULT_TIMEOUT_MS = 10_000;
  private static final String HEALTH_CHECK = "org.apache.felix.hc.api.HealthCheck";

  private final BundleContext context;
  private final Supplier<ServiceComponentRuntime> scr;
  private final long timeoutMs;

  HealthGate(BundleContext context, Supplier<ServiceComponentRuntime> scr) {
    this.context = context;
    this.scr = scr;
    String t = context.getProperty(TIMEOUT_PROPERTY);
    long timeout = DEFAULT_TIMEOUT_MS;
    try {
      timeout = t == null || t.isBlank() ? DEFAULT_TIMEOUT_MS : Long.parseLong(t.trim());
    } catch (NumberFormatException e) {
      // the default
    }
    this.timeoutMs = timeout;
  }

  long timeoutMs() {
    return timeoutMs;
  }

  /** @return what fails the gate, one sentence each; empty once every bundle passes, or at the time limit */
  List<String> await(List<Bundle> bundles) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    List<String> problems = check(bundles, false);
    while (!problems.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      problems = check(bundles, false);
    }
    // Health checks run once, when everything else passed: they may be slow.
    return problems.isEmpty() ? check(bundles, true) : problems;
  }

  private List<String> check(List<Bundle> bundles, boolean healthChecks) {
    List<String> problems = new ArrayList<>();
    ServiceComponentRuntime runtime = scr.get();
    for (Bundle b : bundles) {
      String who = b.getSymbolicName() + " " + b.getVersion();
      if (b.getState() == Bundle.STARTING && "lazy".equals(String.valueOf(b.getHeaders("").get(
          Constants.BUNDLE_ACTIVATIONPOLICY)).split(";")[0].trim())) {
        continue; // it starts at its first class load, as it asked
      }
      if (b.getState() != Bundle.ACTIVE) {
        problems.add(who + " is not ACTIVE");
        continue;
      }
      if (runtime != null) {
        components(runtime, b, who, problems);
      }
      if (healthChecks) {
        healthChecks(b, who, problems);
      }
    }
    return problems;
  }

  /** Each enabled component that failed or waits for a service, in the diagnostics' words. */
  private static void components(ServiceComponentRuntime runtime, Bundle b, String who, List<String> problems) {
    for (ComponentDiagnosis c : BundleDiagnoses.components(runtime, b)) {
      if (c.failing()) {
        problems.add(c.explained(who));
      }
    }
  }

  /** @return the HealthCheck interface among what a class implements, up its hierarchy */
  private static Class<?> api(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (i.getName().equals(HEALTH_CHECK)) {
          return i;
        }
      }
    }
    return null;
  }

  private void healthChecks(Bundle b, String who, List<String> problems) {
    ServiceReference<?>[] refs = b.getRegisteredServices();
    if (refs == null) {
      return;
    }
    for (ServiceReference<?> ref : refs) {
      if (!Arrays.asList((String[]) ref.getProperty(Constants.OBJECTCLASS)).contains(HEALTH_CHECK)) {
        continue;
      }
      Object check = context.getService(ref);
      if (check == null) {
        continue;
      }
      try {
        // Through the interface: the check's own class may be one that cannot be reached (a lambda).
        Class<?> api = api(check.getClass());
        Object result = (api != null ? api : check.getClass()).getMethod("execute").invoke(check);
        Method status = result.getClass().getMethod("getStatus");
        String s = String.valueOf(status.invoke(result));
        if (s.equals("CRITICAL") || s.equals("HEALTH_CHECK_ERROR") || s.equals("TEMPORARILY_UNAVAILABLE")) {
          Object name = ref.getProperty("hc.name");
          problems.add("the health check " + (name != null ? name : ref.getProperty(Constants.SERVICE_ID)) + " of "
              + who + " is " + s + ": " + result);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        problems.add("the health check of " + who + " cannot be run: " + e);
      } finally {
        context.ungetService(ref);
      }
    }
  }
}
