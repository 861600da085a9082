package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.hardware.HardwareAnalyzer;
import io.dockevos.hardware.HardwareEvents;
import io.dockevos.hardware.HardwareInfo;
import io.dockevos.hardware.ToolCheck;
import io.dockevos.test.tiny.TinyBundles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The hardware analyzer in a real Felix: OSHI (with JNA's native library) answers from inside its
 * bundle, the tool checks of a tiny plugin, and the resource monitor's threshold events.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class HardwareAnalyzerTest {
  static final String MONITOR = "dockevos.hardware.monitor";

  @InjectBundleContext
  BundleContext context;

  @InjectService
  HardwareAnalyzer analyzer;

  @InjectService
  ConfigurationAdmin configs;

  @InjectService
  CommandProcessor shell;

  @AfterEach
  void defaultMonitor() throws Exception {
    Configuration c = configs.getConfiguration(MONITOR, "?");
    c.delete();
  }

  @Test
  void oshiAndJnaWorkInsideTheBundle() throws Exception {
    HardwareInfo info = analyzer.info();
    assertEquals(Runtime.getRuntime().availableProcessors(), info.cpu().availableProcessors());
    assertTrue(info.cpu().logicalCores() >= 1 && !info.cpu().model().isBlank(), info.cpu().toString());
    String meminfo = Files.readString(Path.of("/proc/meminfo"));
    long kb = Long.parseLong(meminfo.lines().filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow().replaceAll("\\D", ""));
    assertEquals(kb * 1024, info.memory().totalBytes(), "OSHI (through JNA and /proc) reads MemTotal");
    assertTrue(info.disks().stream().anyMatch(d -> d.mount().equals("/") && d.freeBytes() > 0), info.disks().toString());
    assertTrue(info.networks().stream().anyMatch(n -> n.name().equals("lo")), info.networks().toString());
    assertEquals(System.getProperty("os.arch"), info.os().arch());
    assertTrue(info.os().kernel().startsWith(System.getProperty("os.version").split("-")[0]), info.os().kernel());
    // A native call through JNA, whose libjnidispatch is extracted from the hardware bundle: getpid().
    assertEquals(ProcessHandle.current().pid(), info.jvm().pid());
    assertTrue(analyzer.sample().memoryFreePercent() > 0);
  }

  @Test
  void checksTheToolsThatAPluginRequiresAndPublishesWhatIsMissing() throws Exception {
    Bundle b;
    try (InputStream in = TinyBundles.open(TinyBundles.REQUIRES_TOOLS)) {
      b = context.installBundle("tiny:" + TinyBundles.REQUIRES_TOOLS, in);
    }
    try (Events events = new Events(context, HardwareEvents.TOOL_MISSING)) {
      b.start();
      // Its start alone has the analyzer check it: the missing and the too old tool are published.
      Await.until(() -> events.of(HardwareEvents.TOOL_MISSING), l -> l.size() == 2, "two TOOL_MISSING at the plugin's start");
      events.seen.clear();
      List<ToolCheck> checks = analyzer.check(b.getSymbolicName());
      assertEquals(3, checks.size(), checks.toString());
      ToolCheck sh = checks.get(0);
      assertEquals(ToolCheck.Status.PRESENT, sh.status(), sh.toString());
      assertTrue(sh.found().matches("\\d+(\\.\\d+)*"), "sh's version: " + sh);
      assertNull(sh.hint());
      ToolCheck missing = checks.get(1);
      assertEquals(ToolCheck.Status.MISSING, missing.status());
      assertTrue(missing.hint().contains("apt-cache search dockevos-no-such-tool"), missing.hint());
      ToolCheck old = checks.get(2);
      assertEquals(ToolCheck.Status.TOO_OLD, old.status());
      assertEquals(">=999", old.required());
      assertEquals(sh.found(), old.found());

      List<Event> published = Await.until(() -> events.of(HardwareEvents.TOOL_MISSING), l -> l.size() == 2, "two TOOL_MISSING");
      Event e = published.stream().filter(x -> "dockevos-no-such-tool".equals(x.getProperty(HardwareEvents.TOOL))).findFirst().orElseThrow();
      assertEquals("io.dockevos.test.requirestools", e.getProperty(HardwareEvents.PLUGIN_ID));
      assertEquals("any version", e.getProperty(HardwareEvents.REQUIRED));
      assertNull(e.getProperty(HardwareEvents.FOUND));
      assertTrue(String.valueOf(e.getProperty(HardwareEvents.HINT)).contains("apt-cache search"));
      Event tooOld = published.stream().filter(x -> "sh".equals(x.getProperty(HardwareEvents.TOOL))).findFirst().orElseThrow();
      assertEquals(sh.found(), tooOld.getProperty(HardwareEvents.FOUND));
      assertEquals(">=999", tooOld.getProperty(HardwareEvents.REQUIRED));
      assertTrue(String.valueOf(tooOld.getProperty(HardwareEvents.HINT)).contains("apt-get install -y dash"));

      String table = Shell.run(shell, "hw:check " + b.getSymbolicName()).out();
      assertTrue(table.lines().anyMatch(l -> l.matches("sh\\s+\\| any version\\s+\\| present\\s+\\| " + sh.found() + " .*")), table);
      assertTrue(table.lines().anyMatch(l -> l.matches("dockevos-no-such-tool\\s+\\| any version\\s+\\| missing .*")), table);
      assertTrue(table.lines().anyMatch(l -> l.matches("sh\\s+\\| >=999\\s+\\| too old .*")), table);
    } finally {
      b.uninstall();
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> analyzer.check("no.such.plugin"));
    assertTrue(e.getMessage().contains("no installed plugin or feature is named no.such.plugin"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> analyzer.checkFilter("(version>=1)", "me"));
    assertTrue(e.getMessage().contains("names no tool"), e.getMessage());
  }

  @Test
  void aCrossedThresholdIsPublishedOnceAndClearedOnce() throws Exception {
    try (Events events = new Events(context, HardwareEvents.ALL)) {
      // Available memory is always below 100% of the physical memory: the machine surely crosses it.
      configure("interval", 1L, "memoryFreePercent", 100.0, "diskFreePercent", 0.0, "cpuLoadPercent", 100.0);
      Event e = Await.until(() -> memory(events, HardwareEvents.THRESHOLD), l -> !l.isEmpty(), "THRESHOLD").get(0);
      assertEquals("memory", e.getProperty(HardwareEvents.RESOURCE));
      assertEquals(100.0, e.getProperty(HardwareEvents.LIMIT));
      assertTrue((Double) e.getProperty(HardwareEvents.VALUE) < 100.0);
      assertTrue(String.valueOf(e.getProperty(HardwareEvents.REASON)).contains("below the threshold of 100.0%"));
      Thread.sleep(3500); // three more samples, each still crossing
      assertEquals(1, memory(events, HardwareEvents.THRESHOLD).size(), "published once, not at each sample: " + events.seen);
      assertTrue(Shell.run(shell, "hw:thresholds").out().contains("memory: CROSSED"));

      configure("interval", 1L, "memoryFreePercent", 0.0, "diskFreePercent", 0.0, "cpuLoadPercent", 100.0);
      Event cleared = Await.until(() -> memory(events, HardwareEvents.THRESHOLD_CLEARED), l -> !l.isEmpty(), "THRESHOLD_CLEARED").get(0);
      assertEquals("memory", cleared.getProperty(HardwareEvents.RESOURCE));
      Thread.sleep(2500);
      assertEquals(1, memory(events, HardwareEvents.THRESHOLD_CLEARED).size());
      assertEquals(1, memory(events, HardwareEvents.THRESHOLD).size());
    }
  }

  @Test
  void aBadThresholdConfigurationIsNamed() throws Exception {
    configure("interval", 0L, "diskFreePercent", "lots", "memoryFreePercent", 150.0);
    Exception e = Await.until(() -> {
      try {
        Shell.run(shell, "hw:thresholds");
        return null;
      } catch (Exception x) {
        return x;
      }
    }, x -> x != null, "hw:thresholds to fail");
    String m = e.getMessage();
    assertTrue(m.contains("configuration dockevos.hardware.monitor is not valid, the resource monitor is stopped"), m);
    assertTrue(m.contains("interval = 0 is not between 1 and 86400 seconds"), m);
    assertTrue(m.contains("diskFreePercent = 'lots' is not a number"), m);
    assertTrue(m.contains("memoryFreePercent = 150.0 is not a percentage (0 to 100)"), m);
  }

  private static List<Event> memory(Events events, String topic) {
    return events.of(topic).stream().filter(e -> "memory".equals(e.getProperty(HardwareEvents.RESOURCE))).toList();
  }

  private void configure(Object... keyValues) throws Exception {
    Hashtable<String, Object> props = new Hashtable<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put((String) keyValues[i], keyValues[i + 1]);
    }
    configs.getConfiguration(MONITOR, "?").update(props);
  }
}
