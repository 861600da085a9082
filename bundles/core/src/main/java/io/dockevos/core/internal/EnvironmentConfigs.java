package io.dockevos.core.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration values from the environment, as a container gets them: {@code
 * DOCKEVOS_CONFIG_<PID>_<KEY>=VALUE}, the dots of the PID written as {@code _} (the key is what
 * follows the last {@code _}). They lie over the configuration, whatever else sets it (a file in
 * {@code etc/} or {@code deploy/}, a feature): when it changes, the environment's keys are put back.
 * A key that left the environment since the last start is taken out again, unless something else
 * changed it since ({@code data/environment-configs.json} remembers which keys came from it, and a
 * hash of each value, never the value). Only where the launcher says
 * so ({@code dockevos.environment.configs}, set by {@code bin/dockevos}): an embedding program's
 * environment is its own.
 */
@Component(immediate = true, service = ConfigurationListener.class)
public final class EnvironmentConfigs implements ConfigurationListener {
  private static final Logger LOG = LoggerFactory.getLogger(EnvironmentConfigs.class);
  static final String PREFIX = "DOCKEVOS_CONFIG_";
  static final String ENABLED = "dockevos.environment.configs";

  private final ConfigurationAdmin configAdmin;
  private final Map<String, Map<String, String>> values;
  /** One thread, in order, and only while there is work: none at idle. */
  private final ExecutorService worker = new java.util.concurrent.ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS,
      new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "dockevos-environment-configs");
        t.setDaemon(true);
        return t;
      });

  @Activate
  public EnvironmentConfigs(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
    this.configAdmin = configAdmin;
    this.values = "true".equals(context.getProperty(ENABLED)) ? parse(System.getenv()) : Map.of();
    Path record = Path.of(context.getProperty(io.dockevos.api.Host.DATA_PROPERTY)).resolve("environment-configs.json");
    Map<String, Map<String, String>> before = read(record);
    worker.execute(() -> {
      before.forEach((pid, keys) -> forget(pid, keys));
      values.keySet().forEach(this::apply);
      write(record);
    });
  }

  @Deactivate
  void stop() {
    worker.shutdownNow();
  }

  /** @return the configuration values of the environment, by PID and key */
  static Map<String, Map<String, String>> parse(Map<String, String> environment) {
    Map<String, Map<String, String>> byPid = new TreeMap<>();
    environment.forEach((name, value) -> {
      int last = name.lastIndexOf('_');
      if (name.startsWith(PREFIX) && last > PREFIX.length() && last < name.length() - 1) {
        String pid = name.substring(PREFIX.length(), last).replace('_', '.');
        byPid.computeIfAbsent(pid, p -> new TreeMap<>()).put(name.substring(last + 1), value);
      }
    });
    return byPid;
  }

  @Override
  public void configurationEvent(ConfigurationEvent event) {
    if (event.getType() == ConfigurationEvent.CM_UPDATED && event.getFactoryPid() == null
        && values.containsKey(event.getPid())) {
      worker.execute(() -> apply(event.getPid())); // another source replaced it: the environment's keys again
    }
  }

  /** Puts the environment's keys into the configuration, when they are not there already. */
  private void apply(String pid) {
    try {
      Configuration c = configAdmin.getConfiguration(pid, "?");
      Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
      boolean changed = false;
      for (Map.Entry<String, String> e : values.get(pid).entrySet()) {
        if (!e.getValue().equals(String.valueOf(props.get(e.getKey())))) {
          props.put(e.getKey(), e.getValue());
          changed = true;
        }
      }
      if (changed) {
        c.update(props);
        LOG.info("Configuration {}: {} from the environment", pid, values.get(pid).keySet());
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("Cannot apply the environment's values to configuration {} ({}): {}", pid,
          String.join(", ", values.get(pid).keySet()), e.toString());
    }
  }

  /**
   * Takes out the keys that came from the environment at the last start, are no longer in it, and
   * still hold the value it gave (by its hash).
   */
  private void forget(String pid, Map<String, String> hashes) {
    try {
      Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
      if (found == null) {
        return;
      }
      Dictionary<String, Object> props = found[0].getProperties();
      Set<String> gone = new TreeSet<>();
      hashes.forEach((key, hash) -> {
        if (!values.getOrDefault(pid, Map.of()).containsKey(key) && props.get(key) != null
            && hash.equals(hash(String.valueOf(props.get(key))))) {
          gone.add(key);
        }
      });
      if (gone.isEmpty()) {
        return;
      }
      gone.forEach(props::remove);
      found[0].update(props);
      LOG.info("Configuration {}: {} no longer from the environment, taken out", pid, gone);
    } catch (IOException | org.osgi.framework.InvalidSyntaxException | RuntimeException e) {
      LOG.error("Cannot take {} out of configuration {}: {}", hashes.keySet(), pid, e.toString());
    }
  }

  static String hash(String value) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Map<String, String>> read(Path record) {
    Map<String, Map<String, String>> keys = new TreeMap<>();
    if (Files.isRegularFile(record)) {
      try (InputStream in = Files.newInputStream(record)) {
        Json.read(in).forEach((pid, v) -> {
          Map<String, String> hashes = new TreeMap<>();
          v.asJsonObject().forEach((k, h) -> hashes.put(k, ((jakarta.json.JsonString) h).getString()));
          keys.put(pid, hashes);
        });
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot read {} ({}): the keys that left the environment stay in their configurations", record,
            e.toString());
      }
    }
    return keys;
  }

  private void write(Path record) {
    Map<String, Map<String, String>> keys = new TreeMap<>();
    values.forEach((pid, v) -> {
      Map<String, String> hashes = new TreeMap<>();
      v.forEach((k, value) -> hashes.put(k, hash(value)));
      keys.put(pid, hashes);
    });
    try {
      AtomicFiles.write(record, (Json.pretty(keys) + "\n").getBytes(StandardCharsets.UTF_8), true);
    } catch (IOException e) {
      LOG.warn("Cannot write {}: {}", record, e.toString());
    }
  }
}
