package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.api.DeployEvents;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The deploy folder of io.dockevos.core inside the framework: a dropped bundle starts, a broken one
 * leaves {@code deploy/<file>.failed} and a {@code dockevos/deploy/FAILED} event that say why, and
 * removing the file uninstalls the bundle.
 */
@ExtendWith(BundleContextExtension.class)
class DeployFolderTest {
  @InjectBundleContext
  BundleContext context;

  Path deploy;
  final List<Event> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() {
    deploy = Path.of(context.getProperty("dockevos.deploy"));
    // The extension's context unregisters the handler after each test.
    context.registerService(EventHandler.class, events::add,
        new java.util.Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, DeployEvents.ALL)));
  }

  @AfterEach
  void emptyTheFolder() throws Exception {
    try (var files = Files.list(deploy)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Await.until(() -> bundle("io.dockevos.test.").isEmpty(), gone -> gone,
        "the tiny bundles to be uninstalled after their files were removed");
  }

  @Test
  void aDroppedBundleStartsAndGoesWithItsFile() throws Exception {
    drop("good-1.0.0.jar");
    Bundle good = Await.until(() -> bundle("io.dockevos.test.good").orElse(null),
        b -> b != null && b.getState() == Bundle.ACTIVE, "deploy/good-1.0.0.jar to be ACTIVE");
    assertEquals("1.0.0", good.getVersion().toString());

    Files.delete(deploy.resolve("good-1.0.0.jar"));
    Await.until(() -> good.getState(), state -> state == Bundle.UNINSTALLED, "good to be uninstalled");
  }

  @Test
  void aBundleWhoseActivatorThrowsLeavesAMarkerAndAnEventThatSayWhy() throws Exception {
    drop("throws.jar");
    Path marker = deploy.resolve("throws.jar.failed");
    String why = awaitMarker(marker);
    assertTrue(why.contains("tiny bundle refuses to start"), why);
    Event failed = Await.until(() -> event(DeployEvents.FAILED, "throws.jar"), e -> e != null,
        "a " + DeployEvents.FAILED + " event for throws.jar");
    assertTrue(String.valueOf(failed.getProperty(DeployEvents.PROP_REASON)).contains("tiny bundle refuses to start"),
        String.valueOf(failed.getProperty(DeployEvents.PROP_REASON)));
    assertEquals(List.of(), Frameworks.notActive(context, bundle("io.dockevos.test.throws").orElseThrow()),
        "bundles that are not ACTIVE besides the broken one");

    Files.delete(deploy.resolve("throws.jar"));
    Await.until(() -> Files.exists(marker), exists -> !exists, "the marker to go with deploy/throws.jar");
  }

  @Test
  void aMissingPackageIsNamedAndTheBundleStartsOnceItIsProvided() throws Exception {
    drop("needs-missing.jar");
    Path marker = deploy.resolve("needs-missing.jar.failed");
    String why = awaitMarker(marker);
    assertTrue(why.contains("io.dockevos.test.missing"), why);
    // Refused by the pipeline, so not installed: the event carries the typed requirement for the error handler.
    Event failed = Await.until(() -> event(DeployEvents.FAILED, "needs-missing.jar"), e -> e != null,
        "a " + DeployEvents.FAILED + " event for needs-missing.jar");
    assertEquals("io.dockevos.test.needsmissing", failed.getProperty(DeployEvents.PROP_BUNDLE));
    assertEquals(List.of("osgi.wiring.package"),
        List.of((String[]) failed.getProperty(DeployEvents.PROP_REQUIREMENT_NAMESPACES)));
    assertEquals(List.of("(&(osgi.wiring.package=io.dockevos.test.missing)(version>=1.0.0)(!(version>=2.0.0)))"),
        List.of((String[]) failed.getProperty(DeployEvents.PROP_REQUIREMENT_FILTERS)));
    assertTrue(bundle("io.dockevos.test.needsmissing").isEmpty(), "a jar that cannot resolve is not installed");

    drop("provides-missing.jar");
    Await.until(() -> bundle("io.dockevos.test.needsmissing").map(Bundle::getState).orElse(0),
        state -> state == Bundle.ACTIVE, "needs-missing to start once provides-missing is deployed");
    Await.until(() -> Files.exists(marker), exists -> !exists, "the marker of needs-missing to go");
    Await.until(() -> event(DeployEvents.RECOVERED, "needs-missing.jar"), e -> e != null,
        "a " + DeployEvents.RECOVERED + " event for needs-missing.jar");
  }

  /** Puts a tiny bundle from the tests bundle into deploy/ at once, as a user's mv would. */
  private void drop(String name) throws Exception {
    Path temp = deploy.resolve("." + name + ".part"); // dot files are not deployed
    try (InputStream in = context.getBundle().getEntry(name).openStream()) {
      Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(temp, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private Optional<Bundle> bundle(String symbolicNamePrefix) {
    return Arrays.stream(context.getBundles())
        .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith(symbolicNamePrefix)).findFirst();
  }

  private Event event(String topic, String file) {
    return events.stream().filter(e -> e.getTopic().equals(topic)
        && String.valueOf(e.getProperty(DeployEvents.PROP_FILE)).endsWith("/" + file)).findFirst().orElse(null);
  }

  /** @return the text of the marker, once it is there */
  private static String awaitMarker(Path marker) throws Exception {
    return Await.until(() -> Files.exists(marker) ? Files.readString(marker) : "", s -> !s.isEmpty(),
        "deploy/" + marker.getFileName());
  }
}
