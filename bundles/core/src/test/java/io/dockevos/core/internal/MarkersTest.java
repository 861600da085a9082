package io.dockevos.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.api.DeployEvents;
import io.dockevos.plugin.MissingRequirement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The record of deploy failures: the marker, the event, and what happens when the marker cannot be written. */
class MarkersTest {
  @TempDir Path deploy;
  final List<Event> events = new CopyOnWriteArrayList<>();
  final EventAdmin admin = new EventAdmin() {
    @Override
    public void postEvent(Event event) {
      events.add(event);
    }

    @Override
    public void sendEvent(Event event) {
      events.add(event);
    }
  };

  @Test
  void aFailureWritesAMarkerAndPostsItsRequirementsOnce() throws Exception {
    Markers markers = new Markers(deploy, () -> admin);
    MissingRequirement m = new MissingRequirement("osgi.wiring.package", "(osgi.wiring.package=a.b)", "package a.b",
        "x 1.0.0", List.of("x 1.0.0"), List.of());
    markers.fail("x.jar", "(x 1.0.0) cannot resolve", new Markers.Subject("x", "1.0.0", null, List.of(m)));
    markers.fail("x.jar", "(x 1.0.0) cannot resolve", new Markers.Subject("x", "1.0.0", null, List.of(m)));

    assertTrue(Files.readString(deploy.resolve("x.jar.failed")).startsWith("deploy/x.jar (x 1.0.0) cannot resolve"));
    assertEquals(1, events.size(), "the same failure is posted once");
    Event e = events.get(0);
    assertEquals(DeployEvents.FAILED, e.getTopic());
    assertArrayEquals(new String[] {"osgi.wiring.package"}, (String[]) e.getProperty(DeployEvents.PROP_REQUIREMENT_NAMESPACES));
    assertArrayEquals(new String[] {"(osgi.wiring.package=a.b)"}, (String[]) e.getProperty(DeployEvents.PROP_REQUIREMENT_FILTERS));
    assertEquals("x", e.getProperty(DeployEvents.PROP_BUNDLE));
    assertNull(e.getProperty(DeployEvents.PROP_BUNDLE_ID), "not installed");

    markers.clear("x.jar");
    assertFalse(Files.exists(deploy.resolve("x.jar.failed")));
    assertEquals(DeployEvents.RECOVERED, events.get(1).getTopic());
  }

  @Test
  void aMarkerWhoseNameIsTooLongIsReportedAnyway() throws Exception {
    Markers markers = new Markers(deploy, () -> admin);
    String name = "a".repeat(250) + ".jar"; // 254 bytes: the file fits, its marker would not
    markers.fail(name, "is not a valid jar (zip) file", Markers.Subject.NONE);
    markers.fail(name, "is not a valid jar (zip) file", Markers.Subject.NONE);

    assertEquals(1, events.size(), "posted once, although no marker shows it was");
    String why = String.valueOf(events.get(0).getProperty(DeployEvents.PROP_MARKER_ERROR));
    assertTrue(why.contains("261 bytes"), why);
    try (Stream<Path> files = Files.list(deploy)) {
      assertEquals(List.of(), files.toList(), "no marker, and no temporary file left behind");
    }
    assertTrue(markers.failing(name));
  }

  @Test
  void markersFoundAtStartAreKeptUntilConfirmed() throws Exception {
    Files.writeString(deploy.resolve("y.jar.failed"), "old");
    Files.writeString(deploy.resolve(Markers.TEMP_PREFIX + "x.tmp"), "cut short");
    Markers markers = new Markers(deploy, () -> admin);
    assertTrue(markers.failing("y.jar"));
    assertFalse(Files.exists(deploy.resolve(Markers.TEMP_PREFIX + "x.tmp")), "a marker a kill interrupted is removed");
    markers.clear("y.jar");
    assertEquals(DeployEvents.RECOVERED, events.get(0).getTopic(), "a marker of an earlier run that now works");
  }
}
