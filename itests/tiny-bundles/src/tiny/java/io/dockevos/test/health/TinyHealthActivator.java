package io.dockevos.test.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Registers a Felix Health Check, {@code tiny.health}: CRITICAL while the file {@code
 * tiny-health-critical} exists in the dockevOS data folder, OK otherwise.
 */
public final class TinyHealthActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) {
    String data = context.getProperty("dockevos.data");
    Path flag = Path.of(data == null ? "data" : data, "tiny-health-critical");
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(HealthCheck.NAME, "tiny.health");
    props.put(HealthCheck.TAGS, new String[] {"tiny"});
    context.registerService(HealthCheck.class, () -> Files.exists(flag)
        ? new Result(Result.Status.CRITICAL, "the flag " + flag + " is set")
        : new Result(Result.Status.OK, "all is well"), props);
  }

  @Override
  public void stop(BundleContext context) {}
}
