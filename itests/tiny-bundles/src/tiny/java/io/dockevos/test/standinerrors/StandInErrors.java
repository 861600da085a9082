package io.dockevos.test.standinerrors;

import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A stand-in for the error handler, for end-to-end tests of the assistant before the real one is
 * merged: its incidents are those of {@code <dockevos.home>/standin-incidents.properties}, read at
 * each call ({@code E1.source}, {@code E1.plugin}, {@code E1.summary}, {@code E1.prop.KEY}), and
 * the statuses it was given are kept in memory and written to {@code standin-statuses.txt}.
 */
public final class StandInErrors implements BundleActivator, ErrorHandler {
  private final Map<String, Incident.Status> statuses = new ConcurrentHashMap<>();
  private Path home;

  @Override
  public void start(BundleContext context) {
    home = Path.of(context.getProperty("dockevos.home"));
    // Ranked above the real error handler, so that the assistant (greedy references) takes this one.
    java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
    props.put(org.osgi.framework.Constants.SERVICE_RANKING, 1000);
    context.registerService(ErrorHandler.class, this, props);
  }

  @Override
  public void stop(BundleContext context) {}

  private Map<String, Incident> read() {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(home.resolve("standin-incidents.properties"))) {
      p.load(in);
    } catch (IOException e) {
      return Map.of();
    }
    Map<String, Incident> result = new HashMap<>();
    TreeSet<String> ids = new TreeSet<>();
    p.stringPropertyNames().forEach(k -> ids.add(k.substring(0, k.indexOf('.'))));
    Instant now = Instant.now();
    for (String id : ids) {
      Map<String, String> props = new HashMap<>();
      p.stringPropertyNames().stream().filter(k -> k.startsWith(id + ".prop."))
          .forEach(k -> props.put(k.substring((id + ".prop.").length()), p.getProperty(k)));
      result.put(id, new Incident(id, "fp-" + id, p.getProperty(id + ".source", "log"), p.getProperty(id + ".summary", id),
          p.getProperty(id + ".summary", id), p.getProperty(id + ".plugin"), Incident.Severity.ERROR,
          statuses.getOrDefault(id, Incident.Status.OPEN), now, now, 1, props));
    }
    return result;
  }

  @Override
  public List<Incident> incidents(boolean all) {
    List<Incident> list = new ArrayList<>(read().values());
    list.removeIf(i -> !all && (i.status() == Incident.Status.FIXED || i.status() == Incident.Status.IGNORED));
    list.sort((a, b) -> a.id().compareTo(b.id()));
    return list;
  }

  @Override
  public Optional<Incident> incident(String id) {
    return Optional.ofNullable(read().get(id));
  }

  @Override
  public Incident report(String source, String pluginId, Incident.Severity severity, String summary, Throwable error,
      Map<String, String> properties) {
    throw new UnsupportedOperationException("the stand-in only reads its file");
  }

  @Override
  public Incident setStatus(String id, Incident.Status status) {
    statuses.put(id, status);
    try {
      Files.writeString(home.resolve("standin-statuses.txt"), id + " " + status + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return read().get(id);
  }

  @Override
  public int clear(String id) {
    return 0;
  }

  @Override
  public Health health(String pluginId) {
    return Health.HEALTHY;
  }

  /** A stand-in cannot tell whether a cause is still there. */
  @Override
  public Optional<Boolean> recheck(String id) {
    return Optional.empty();
  }

  @Override
  public Hold holdResolution(String id) {
    return () -> {};
  }
}
