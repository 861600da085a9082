package io.dockevos.alternative.internal;

import io.dockevos.docker.DockerEvents;
import io.dockevos.fallback.FallbackEvents;
import io.dockevos.runner.Runner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Decides which implementation serves the capability {@code runner} now: Declarative Services
 * keeps the highest-ranked {@link Runner} bound (a greedy dynamic reference), so nothing polls.
 * When the container runner goes away and the process runner takes over it publishes
 * {@link FallbackEvents#ACTIVATED}; when a container runner comes back, {@link FallbackEvents#DEACTIVATED}.
 * It listens to the Docker manager's engine events only to say why.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = {RunnerSwitch.class, EventHandler.class}, immediate = true,
    property = EventConstants.EVENT_TOPIC + "=" + DockerEvents.TOPIC_PREFIX + "engine/*")
public final class RunnerSwitch implements EventHandler {
  static final String CAPABILITY = "runner";
  static final String PRIMARY = "container";

  /** Which runner serves now, and why, in plain words. */
  record State(String kind, boolean fallback, String reason) {}

  private final EventAdmin events;
  private final Logger log;
  private final List<ServiceReference<Runner>> all = new CopyOnWriteArrayList<>();
  private volatile Runner current;
  private volatile String currentKind;
  private volatile String engine;

  @Activate
  public RunnerSwitch(@Reference EventAdmin events, @Reference(service = LoggerFactory.class) Logger log) {
    this.events = events;
    this.log = log;
  }

  // Greedy and dynamic: bound to the highest-ranked runner, rebound when a higher one registers.
  // On a replacement DS binds the new service before it unbinds the old one.
  @Reference(name = "runner", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY, updated = "updatedRunner", unbind = "unbindRunner")
  void bindRunner(Runner runner, Map<String, Object> props) {
    String before = currentKind;
    current = runner;
    currentKind = kind(runner, props);
    changed(before, currentKind);
  }

  void updatedRunner(Runner runner, Map<String, Object> props) {
    if (runner == current) {
      String before = currentKind;
      currentKind = kind(runner, props);
      changed(before, currentKind);
    }
  }

  void unbindRunner(Runner runner) {
    if (runner == current) {
      String before = currentKind;
      current = null;
      currentKind = null;
      changed(before, null);
    }
  }

  /** Every runner, for {@code fallback:status} and {@code fallback:run --runner KIND}. */
  @Reference(name = "all", service = Runner.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeRunner")
  void addRunner(ServiceReference<Runner> ref) {
    all.add(ref);
  }

  void removeRunner(ServiceReference<Runner> ref) {
    all.remove(ref);
  }

  private static String kind(Runner runner, Map<String, Object> props) {
    Object k = props.get(Runner.KIND);
    return k != null ? k.toString() : runner.kind();
  }

  private void changed(String before, String now) {
    if (java.util.Objects.equals(before, now)) {
      return;
    }
    boolean wasPrimary = PRIMARY.equals(before);
    boolean isPrimary = PRIMARY.equals(now);
    String e = engine;
    if (isPrimary && e != null && e.startsWith("DOWN")) {
      engine = null; // a container runner is registered only while the engine is UP: that DOWN is old
    }
    if (wasPrimary && !isPrimary) {
      publish(FallbackEvents.ACTIVATED, now == null ? "none" : now, "the container runner went away: " + whyNoContainer()
          + (now == null ? "; no other runner is registered" : "; the " + now + " runner serves"));
    } else if (!wasPrimary && isPrimary && before != null) {
      publish(FallbackEvents.DEACTIVATED, now, "a container runner is registered again"
          + (engine != null ? " (" + engine + ")" : "") + "; the " + before + " runner steps back");
    }
  }

  private void publish(String topic, String implementation, String reason) {
    Map<String, Object> p = new HashMap<>();
    p.put(FallbackEvents.CAPABILITY, CAPABILITY);
    p.put(FallbackEvents.IMPLEMENTATION, implementation);
    p.put(FallbackEvents.REASON, reason);
    log.info(topic + ": runner -> " + implementation + ": " + reason);
    events.postEvent(new Event(topic, p));
  }

  private String whyNoContainer() {
    String e = engine;
    return e != null && e.startsWith("DOWN") ? "the container engine is " + e
        : "no container runner is registered: the container engine is DOWN or the dockevos-docker feature is not installed";
  }

  @Override
  public void handleEvent(Event event) {
    String reason = (String) event.getProperty(DockerEvents.REASON);
    String endpoint = (String) event.getProperty(DockerEvents.ENDPOINT);
    String state = event.getTopic().endsWith("/UP") ? "UP" : "DOWN";
    engine = state + (endpoint != null ? " at " + endpoint : "") + (reason != null ? ": " + reason : "");
  }

  State state() {
    String k = currentKind;
    if (k == null) {
      return new State("none", true, "no runner is registered (the alternative's process runner is not active)");
    }
    if (PRIMARY.equals(k)) {
      return new State(k, false, "the container runner is registered" + (engine != null ? " (engine " + engine + ")" : ""));
    }
    return new State(k, true, whyNoContainer());
  }

  Runner current() {
    return current;
  }

  List<ServiceReference<Runner>> runners() {
    List<ServiceReference<Runner>> list = new java.util.ArrayList<>(all);
    list.sort((a, b) -> b.compareTo(a));
    return list;
  }

  static String kindOf(ServiceReference<Runner> ref) {
    return String.valueOf(ref.getProperty(Runner.KIND));
  }

  static int ranking(ServiceReference<Runner> ref) {
    Object r = ref.getProperty(Constants.SERVICE_RANKING);
    return r instanceof Integer i ? i : 0;
  }

  Optional<ServiceReference<Runner>> byKind(String kind) {
    return runners().stream().filter(r -> kind.equals(kindOf(r))).findFirst();
  }
}
