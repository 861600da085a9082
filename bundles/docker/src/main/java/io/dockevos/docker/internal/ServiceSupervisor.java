package io.dockevos.docker.internal;

import io.dockevos.docker.ContainerDetails;
import io.dockevos.docker.DockerEngine;
import io.dockevos.docker.DockerException;
import io.dockevos.docker.DockerServices;
import io.dockevos.docker.ServiceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import io.dockevos.common.internal.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each service that is up running: starts it once the services it depends on run, and
 * restarts its container with backoff when it dies (as its restart policy says). One thread looks
 * at every service every {@value #TICK_MS} ms.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = {DockerServices.class, ServiceSupervisor.class}, immediate = true)
public final class ServiceSupervisor implements DockerServices {
  static final long TICK_MS = 500;
  /** A container that has run this long is healthy again: the next death starts the backoff afresh. */
  private static final Duration STABLE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(ServiceSupervisor.class);

  private static final class Entry {
    final String pid;
    ServiceDefinition def;
    String invalid;
    String name;
    boolean wanted;
    String containerId = "";
    String state = "STOPPED";
    String reason = "";
    int restarts;
    Backoff backoff;
    long nextAttempt;
    long runningSince;

    Entry(String pid) {
      this.pid = pid;
    }
  }

  private final DockerEngine engine;
  private final Map<String, Entry> byPid = new LinkedHashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dockevos-docker-services");
    t.setDaemon(true);
    return t;
  });

  @Activate
  public ServiceSupervisor(@Reference DockerEngine engine) {
    this.engine = engine;
    ticker.scheduleWithFixedDelay(Periodic.guarded(this::tick, e -> LOG.error("supervising the services: {}", e.toString(), e)),
        TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  @Deactivate
  void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Entry> all;
    synchronized (this) {
      all = new ArrayList<>(byPid.values());
      byPid.clear();
    }
    for (Entry e : all) {
      removeContainer(e);
    }
  }

  /** A factory configuration was created or changed. */
  void define(String pid, Map<String, ?> props) {
    Entry old;
    Entry e = new Entry(pid);
    try {
      e.def = ServiceDefinition.parse(pid, props);
      e.name = e.def.name();
      e.wanted = e.def.autostart();
      e.backoff = new Backoff(e.def.backoffInitial(), e.def.backoffMax());
    } catch (ServiceDefinition.Invalid bad) {
      e.invalid = bad.getMessage();
      e.name = pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : pid;
      e.state = "INVALID";
      e.reason = bad.getMessage();
      LOG.error("{}", bad.getMessage());
    }
    synchronized (this) {
      for (Entry other : byPid.values()) {
        if (!other.pid.equals(pid) && other.def != null && e.def != null && other.name.equals(e.name)) {
          e.def = null;
          e.state = "INVALID";
          e.invalid = e.reason = ServiceDefinition.describe(pid, props) + ": field 'name': the service " + e.name
              + " is configured already by " + other.pid;
          LOG.error("{}", e.reason);
        }
      }
      old = byPid.put(pid, e);
      if (old != null && e.def != null) {
        e.wanted = old.wanted || e.def.autostart();
      }
    }
    if (old != null) {
      removeContainer(old);
    }
    ticker.execute(this::tick);
  }

  /** A factory configuration was deleted: its container goes. */
  void undefine(String pid) {
    Entry old;
    synchronized (this) {
      old = byPid.remove(pid);
    }
    if (old != null) {
      removeContainer(old);
    }
  }

  private void removeContainer(Entry e) {
    String name = e.def != null ? e.def.spec().name() : null;
    String id = e.containerId;
    e.containerId = "";
    if (id.isEmpty() && name == null) {
      return;
    }
    try {
      engine.remove(id.isEmpty() ? name : id, true);
    } catch (DockerException gone) {
      LOG.debug("removing the container of {}: {}", e.name, gone.getMessage());
    }
  }

  @Override
  public synchronized List<ServiceInfo> list() {
    List<ServiceInfo> out = new ArrayList<>();
    for (Entry e : ordered()) {
      out.add(new ServiceInfo(e.name, e.pid, e.def == null ? "" : e.def.spec().image(), e.state, e.containerId,
          e.restarts, e.def == null ? List.of() : e.def.dependsOn(), e.reason));
    }
    return out;
  }

  /** The entries, each after the ones it depends on (a cycle keeps the configured order). */
  private List<Entry> ordered() {
    Map<String, Entry> byName = new LinkedHashMap<>();
    byPid.values().forEach(e -> byName.putIfAbsent(e.name, e));
    List<Entry> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Entry e : byName.values()) {
      visit(e, byName, seen, new HashSet<>(), out);
    }
    for (Entry e : byPid.values()) {
      if (!out.contains(e)) {
        out.add(e);
      }
    }
    return out;
  }

  private static void visit(Entry e, Map<String, Entry> byName, Set<String> seen, Set<String> path, List<Entry> out) {
    if (seen.contains(e.name) || !path.add(e.name)) {
      return;
    }
    if (e.def != null) {
      for (String d : e.def.dependsOn()) {
        Entry dep = byName.get(d);
        if (dep != null) {
          visit(dep, byName, seen, path, out);
        }
      }
    }
    seen.add(e.name);
    out.add(e);
  }

  @Override
  public void up(String name) {
    synchronized (this) {
      List<Entry> targets = find(name);
      Set<String> todo = new HashSet<>();
      targets.forEach(t -> todo.add(t.name));
      // and what they depend on
      boolean grew = true;
      while (grew) {
        grew = false;
        for (Entry e : byPid.values()) {
          if (todo.contains(e.name) && e.def != null) {
            for (String d : e.def.dependsOn()) {
              grew |= todo.add(d);
            }
          }
        }
      }
      for (Entry e : byPid.values()) {
        if (todo.contains(e.name)) {
          if (e.def == null) {
            throw new DockerException("Cannot bring " + e.name + " up: " + e.invalid);
          }
          if (!e.wanted) {
            e.wanted = true;
            e.backoff.reset();
            e.nextAttempt = 0;
          }
        }
      }
    }
    ticker.execute(this::tick);
  }

  @Override
  public void down(String name) {
    List<Entry> targets;
    synchronized (this) {
      targets = find(name);
      for (Entry e : targets) {
        e.wanted = false;
        e.state = e.def == null ? "INVALID" : "STOPPED";
        e.reason = e.def == null ? e.invalid : "taken down";
      }
    }
    for (Entry e : targets) {
      removeContainer(e);
    }
  }

  private List<Entry> find(String name) {
    if (name == null || name.isEmpty()) {
      return new ArrayList<>(byPid.values());
    }
    List<Entry> found = byPid.values().stream().filter(e -> e.name.equals(name) || e.pid.equals(name)).toList();
    if (found.isEmpty()) {
      throw new DockerException("No such service: " + name + " (docker:service list lists them; each is a "
          + FACTORY_PID + " factory configuration, such as deploy/" + FACTORY_PID + "-" + name + ".cfg)");
    }
    return found;
  }

  /** One look at every service. */
  void tick() {
    try {
      List<Entry> entries;
      synchronized (this) {
        entries = ordered();
      }
      for (Entry e : entries) {
        tick(e);
      }
    } catch (RuntimeException e) {
      LOG.warn("supervising the services: {}", e.toString());
    }
  }

  private void tick(Entry e) {
    ServiceDefinition def;
    synchronized (this) {
      if (e.def == null || !e.wanted || !byPid.containsValue(e)) {
        return;
      }
      def = e.def;
    }
    if (!engine.status().up()) {
      set(e, "WAITING", "the container engine is DOWN");
      return;
    }
    for (String d : def.dependsOn()) {
      Entry dep;
      synchronized (this) {
        dep = byPid.values().stream().filter(x -> x.name.equals(d)).findFirst().orElse(null);
      }
      if (dep == null) {
        set(e, "WAITING", "waiting for " + d + " (no such service is configured)");
        return;
      }
      if (!"RUNNING".equals(dep.state)) {
        set(e, "WAITING", "waiting for " + d + " (" + dep.state + ")");
        return;
      }
    }
    long now = System.nanoTime();
    if (!e.containerId.isEmpty()) {
      ContainerDetails d;
      try {
        d = engine.inspect(e.containerId);
      } catch (DockerException gone) {
        d = null;
      }
      if (d != null && d.running()) {
        if (!"RUNNING".equals(e.state)) {
          e.runningSince = now;
        } else if (now - e.runningSince > STABLE.toNanos()) {
          e.backoff.reset();
        }
        set(e, "RUNNING", "");
        return;
      }
      int code = d == null ? -1 : d.exitCode();
      String why = d == null ? "its container is gone" : "its container exited with code " + code;
      if (def.restart().equals("no") || (def.restart().equals("on-failure") && code == 0)) {
        set(e, "STOPPED", why + " (restart = " + def.restart() + ")");
        return;
      }
      if (e.nextAttempt == 0) {
        Duration wait = e.backoff.next();
        e.nextAttempt = now + wait.toNanos();
        set(e, "BACKOFF", why + "; restarting in " + wait.toMillis() + " ms");
        LOG.warn("service {}: {}; restarting in {} ms", e.name, why, wait.toMillis());
        return;
      }
      if (now < e.nextAttempt) {
        return;
      }
      removeContainer(e);
      synchronized (this) {
        e.restarts++;
      }
    } else if (e.nextAttempt != 0 && now < e.nextAttempt) {
      return;
    }
    e.nextAttempt = 0;
    set(e, "STARTING", "");
    try {
      try {
        engine.remove(def.spec().name(), true); // a leftover of an earlier run
      } catch (DockerException none) {
        // the usual case
      }
      String id = engine.run(def.spec());
      synchronized (this) {
        if (!byPid.containsValue(e) || !e.wanted) {
          engine.remove(id, true);
          return;
        }
        e.containerId = id;
        e.runningSince = System.nanoTime();
      }
      LOG.info("service {}: started container {}", e.name, id.substring(0, Math.min(12, id.length())));
      set(e, "RUNNING", "");
    } catch (DockerException failed) {
      Duration wait = e.backoff.next();
      e.nextAttempt = System.nanoTime() + wait.toNanos();
      set(e, "BACKOFF", failed.getMessage() + "; trying again in " + wait.toMillis() + " ms");
      LOG.error("service {}: {}", e.name, failed.getMessage());
    }
  }

  /**
   * A look at the service ({@link #tick(Entry)}) reports what it saw, unless the service was taken down
   * or removed meanwhile: its state is then down's (or gone), not the look's.
   */
  private synchronized void set(Entry e, String state, String reason) {
    if (!e.wanted || !byPid.containsValue(e)) {
      return;
    }
    e.state = state;
    e.reason = reason;
  }
}
