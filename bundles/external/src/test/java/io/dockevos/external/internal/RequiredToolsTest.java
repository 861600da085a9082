package io.dockevos.external.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.hardware.HardwareAnalyzer;
import io.dockevos.hardware.HardwareEvents;
import io.dockevos.hardware.HardwareInfo;
import io.dockevos.hardware.ResourceSample;
import io.dockevos.hardware.ToolCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class RequiredToolsTest {
  @TempDir
  Path dir;

  @Test
  void theShortFormIsTheFilterABundlePluginStates() {
    assertEquals("(dockevos.system=python3)", RequiredTools.Requirement.parse("python3").filter());
    assertEquals("(&(dockevos.system=python3)(version>=3.8.0))", RequiredTools.Requirement.parse("python3>=3.8")
        .filter());
    assertEquals("(&(dockevos.system=node)(!(version<=18.0.0)))", RequiredTools.Requirement.parse("node > 18").filter());
    assertEquals("(&(dockevos.system=git)(!(version>=2.39.5)))", RequiredTools.Requirement.parse("git<2.39.5")
        .filter());
    assertEquals("(&(dockevos.system=git)(version=2.0.0))", RequiredTools.Requirement.parse("git=2").filter());
    assertEquals("(&(dockevos.system=git)(version<=2.0.0))", RequiredTools.Requirement.parse("git<=2").filter());
    assertEquals("node>18", RequiredTools.Requirement.parse("node > 18").toString());
    assertNull(RequiredTools.Requirement.parse("python3>>3"));
    assertEquals("/usr/bin/env", RequiredTools.Requirement.parse("/usr/bin/env").tool());
  }

  @Test
  void theFiltersMatchVersionsAsTheHardwareAnalyzerMatchesThem() throws Exception {
    Map<String, Object> python = Map.of("dockevos.system", "python3", "version", new org.osgi.framework.Version(3, 11, 7));
    assertTrue(FrameworkUtil.createFilter(RequiredTools.Requirement.parse("python3>=3.8").filter()).matches(python));
    assertTrue(FrameworkUtil.createFilter(RequiredTools.Requirement.parse("python3>3").filter()).matches(python));
    assertTrue(!FrameworkUtil.createFilter(RequiredTools.Requirement.parse("python3>=999").filter()).matches(python));
    assertTrue(!FrameworkUtil.createFilter(RequiredTools.Requirement.parse("python3<3.11.7").filter()).matches(python));
  }

  /** A hardware analyzer that finds every tool at version 3.11.7, as hw:check would say. */
  private static final class Analyzer implements HardwareAnalyzer {
    final List<String> filters = new ArrayList<>();

    @Override
    public HardwareInfo info() {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<ToolCheck> check(String target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ToolCheck checkFilter(String filter, String requiredBy) {
      filters.add(filter);
      try {
        boolean ok = FrameworkUtil.createFilter(filter).matches(Map.of("dockevos.system", "sh", "version",
            new org.osgi.framework.Version(3, 11, 7)));
        return new ToolCheck("sh", "x", ok ? ToolCheck.Status.PRESENT : ToolCheck.Status.TOO_OLD, "3.11.7", "/bin/sh",
            ok ? null : "a newer sh is needed: apt-get install -y dash", requiredBy, filter);
      } catch (org.osgi.framework.InvalidSyntaxException e) {
        throw new IllegalArgumentException(e);
      }
    }

    @Override
    public ResourceSample sample() {
      throw new UnsupportedOperationException();
    }
  }

  private PluginDescriptor plugin(String... requires) throws Exception {
    Files.writeString(dir.resolve("plugin.yaml"), "name: needs\nversion: \"1\"\ncommand: run\nrequires: ["
        + String.join(", ", List.of(requires).stream().map(r -> "\"" + r + "\"").toList()) + "]\n");
    return PluginYaml.read(dir.resolve("plugin.yaml"));
  }

  @Test
  void aToolTooOldIsUnmetNamingTheVersionsAndIsPublished() throws Exception {
    Analyzer analyzer = new Analyzer();
    List<Event> events = new ArrayList<>();
    EventAdmin admin = new EventAdmin() {
      @Override
      public void postEvent(Event event) {
        events.add(event);
      }

      @Override
      public void sendEvent(Event event) {
        events.add(event);
      }
    };
    PluginDescriptor d = plugin("sh", "sh>=999");
    String why = RequiredTools.unmet(d, analyzer, admin);
    assertEquals("it requires sh>=999, but the installed one is 3.11.7 (/bin/sh); a newer sh is needed: apt-get install"
        + " -y dash (requires of " + d.file() + "); then external:start needs", why);
    assertEquals(List.of("(&(dockevos.system=sh)(version>=999.0.0))"), analyzer.filters, "only a version is asked of it");
    assertEquals(1, events.size());
    Event e = events.get(0);
    assertEquals(HardwareEvents.TOOL_MISSING, e.getTopic());
    assertEquals("sh", e.getProperty(HardwareEvents.TOOL));
    assertEquals(">=999", e.getProperty(HardwareEvents.REQUIRED));
    assertEquals("3.11.7", e.getProperty(HardwareEvents.FOUND));
    assertEquals("needs", e.getProperty(HardwareEvents.PLUGIN_ID));
    assertEquals("needs requires sh>=999, but the installed one is 3.11.7 (/bin/sh)", e.getProperty(HardwareEvents.REASON));

    assertNull(RequiredTools.unmet(plugin("sh>=3", "sh < 4"), analyzer, admin));
    assertEquals(1, events.size(), "nothing more is published");
  }

  @Test
  void withoutTheAnalyzerOnlyThePathIsLookedAtAndTheNoteSaysSo() throws Exception {
    PluginDescriptor d = plugin("sh>=999");
    assertNull(RequiredTools.unmet(d, null, null));
    assertEquals("; requires sh>=999: versions not checked (only that the tools are on the PATH) without the feature"
        + " dockevos-hardware", RequiredTools.note(d, false));
    assertEquals("", RequiredTools.note(d, true));
    assertEquals("", RequiredTools.note(plugin("sh"), false));
    String missing = RequiredTools.unmet(plugin("sh", "dockevos-no-such-tool>=1"), null, null);
    assertTrue(missing.startsWith("it requires dockevos-no-such-tool>=1 (requires of "), missing);
    assertTrue(missing.endsWith("; install it, then external:start needs"), missing);
  }
}
