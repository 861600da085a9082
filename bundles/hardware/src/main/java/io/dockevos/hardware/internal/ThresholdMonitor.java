package io.dockevos.hardware.internal;

import io.dockevos.common.internal.Periodic;
import io.dockevos.hardware.HardwareAnalyzer;
import io.dockevos.hardware.HardwareEvents;
import io.dockevos.hardware.ResourceSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Samples free disk, free memory and CPU load at the configured interval, and publishes
 * {@link HardwareEvents#THRESHOLD} when a resource crosses its threshold, once, then
 * {@link HardwareEvents#THRESHOLD_CLEARED} once it is back.
 *
 * <p>The configuration is read from the raw properties rather than the typed {@link Config}: DS
 * turns a value that is not a number into 0 without a word, and a user must be told which key of
 * which PID is wrong. A configuration that is not valid stops the monitor and says why (log and
 * {@code hw:thresholds}).
 */
@Component(service = ThresholdMonitor.class, configurationPid = ThresholdMonitor.PID, immediate = true)
@Designate(ocd = ThresholdMonitor.Config.class)
public final class ThresholdMonitor {
  static final String PID = "dockevos.hardware.monitor";

  @ObjectClassDefinition(name = "dockevOS resource monitor", description = "Thresholds of the hardware analyzer's resource monitor")
  public @interface Config {
    @AttributeDefinition(description = "Seconds between two samples (1 to 86400)")
    long interval() default 30;

    @AttributeDefinition(description = "THRESHOLD when a writable file system has less free space than this, in percent (0 turns it off)")
    double diskFreePercent() default 5;

    @AttributeDefinition(description = "THRESHOLD when the available memory is less than this, in percent of the physical memory (0 turns it off)")
    double memoryFreePercent() default 5;

    @AttributeDefinition(description = "THRESHOLD when the system CPU load over one interval is above this, in percent (100 turns it off)")
    double cpuLoadPercent() default 95;
  }

  /** A validated configuration. */
  record Settings(long interval, double diskFreePercent, double memoryFreePercent, double cpuLoadPercent) {}

  /** What the monitor did last, for {@code hw:thresholds}. */
  record Status(Settings settings, String problem, ResourceSample last, Map<String, Boolean> crossed, Map<String, Integer> published) {}

  private final HardwareAnalyzer analyzer;
  private final EventAdmin events;
  private final Logger log;
  private final Map<String, Boolean> crossed = new LinkedHashMap<>();
  private final Map<String, Integer> published = new LinkedHashMap<>();
  private volatile Settings settings;
  private volatile String problem;
  private volatile ResourceSample last;
  private ScheduledExecutorService timer;

  @Activate
  public ThresholdMonitor(@Reference HardwareAnalyzer analyzer, @Reference EventAdmin events,
      @Reference(service = LoggerFactory.class) Logger log, Map<String, Object> properties) {
    this.analyzer = analyzer;
    this.events = events;
    this.log = log;
    configure(properties);
  }

  @Modified
  synchronized void configure(Map<String, Object> properties) {
    stop();
    try {
      settings = parse(properties);
      problem = null;
    } catch (IllegalArgumentException e) {
      settings = null;
      problem = "configuration " + PID + " is not valid, the resource monitor is stopped: " + e.getMessage();
      log.error(problem);
      return;
    }
    // The crossed states stay: a new threshold that the value is now within publishes THRESHOLD_CLEARED.
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dockevos-resource-monitor");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(Periodic.guarded(this::tick, e -> log.error("resource monitor: sampling failed: " + e, e)),
        0, settings.interval(), TimeUnit.SECONDS);
  }

  static Settings parse(Map<String, Object> p) {
    List<String> errors = new ArrayList<>();
    long interval = (long) number(p, "interval", 30, errors);
    if (interval < 1 || interval > 86400) {
      errors.add("interval = " + p.get("interval") + " is not between 1 and 86400 seconds");
    }
    double disk = percent(p, "diskFreePercent", 5, errors);
    double mem = percent(p, "memoryFreePercent", 5, errors);
    double cpu = percent(p, "cpuLoadPercent", 95, errors);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return new Settings(interval, disk, mem, cpu);
  }

  private static double percent(Map<String, Object> p, String key, double dflt, List<String> errors) {
    double v = number(p, key, dflt, errors);
    if (v < 0 || v > 100) {
      errors.add(key + " = " + p.get(key) + " is not a percentage (0 to 100)");
    }
    return v;
  }

  private static double number(Map<String, Object> p, String key, double dflt, List<String> errors) {
    Object v = p.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString().strip());
    } catch (NumberFormatException e) {
      errors.add(key + " = '" + v + "' is not a number");
      return dflt;
    }
  }

  private void tick() {
    try {
      Settings s = settings;
      if (s == null) {
        return;
      }
      ResourceSample sample = analyzer.sample();
      last = sample;
      check("disk", s.diskFreePercent() > 0 && sample.diskFreePercent() < s.diskFreePercent(), sample.diskFreePercent(),
          s.diskFreePercent(), String.format(Locale.ROOT, "%s has %.1f%% free space, below the threshold of %.1f%%",
              sample.disk(), sample.diskFreePercent(), s.diskFreePercent()));
      check("memory", s.memoryFreePercent() > 0 && sample.memoryFreePercent() < s.memoryFreePercent(),
          sample.memoryFreePercent(), s.memoryFreePercent(), String.format(Locale.ROOT,
              "%.1f%% of the memory is available, below the threshold of %.1f%%", sample.memoryFreePercent(), s.memoryFreePercent()));
      check("cpu", s.cpuLoadPercent() < 100 && sample.cpuLoadPercent() > s.cpuLoadPercent(), sample.cpuLoadPercent(),
          s.cpuLoadPercent(), String.format(Locale.ROOT, "the CPU load is %.1f%%, above the threshold of %.1f%%",
              sample.cpuLoadPercent(), s.cpuLoadPercent()));
    } catch (RuntimeException e) {
      log.error("resource monitor: sampling failed: " + e, e);
    }
  }

  private synchronized void check(String resource, boolean over, double value, double threshold, String reason) {
    boolean was = crossed.getOrDefault(resource, false);
    if (over == was) {
      return;
    }
    crossed.put(resource, over);
    String topic = over ? HardwareEvents.THRESHOLD : HardwareEvents.THRESHOLD_CLEARED;
    Map<String, Object> p = new HashMap<>();
    p.put(HardwareEvents.RESOURCE, resource);
    p.put(HardwareEvents.VALUE, value);
    p.put(HardwareEvents.LIMIT, threshold);
    p.put(HardwareEvents.REASON, over ? reason : resource + " is back within its threshold of " + threshold);
    published.merge(topic.substring(HardwareEvents.TOPIC_PREFIX.length()) + " " + resource, 1, Integer::sum);
    if (over) {
      log.warn("resource threshold: " + reason);
    } else {
      log.info("resource threshold cleared: " + p.get(HardwareEvents.REASON));
    }
    events.postEvent(new Event(topic, p));
  }

  synchronized Status status() {
    return new Status(settings, problem, last, new LinkedHashMap<>(crossed), new LinkedHashMap<>(published));
  }

  @Deactivate
  synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
