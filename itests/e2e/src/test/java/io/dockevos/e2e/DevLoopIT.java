package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The dev loop with hot reload that keeps state: {@code plugin:watch} on the example plugin's jar in
 * a project's {@code target/}, new versions written over it in steps as a build writes them, and
 * broken ones; {@code bin/dockevos dev PROJECT} against the running instance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevLoopIT extends UnpackedDistribution {
  private static final String GREETER = "io.dockevos.example.greeter";
  private static final Duration RELOAD = Duration.ofSeconds(20);
  private static final Pattern SERVES = Pattern.compile("Reloaded " + Pattern.quote(GREETER)
      + " (\\S+) from (\\S+): it serves (\\d+) ms after the jar was saved \\(update (\\d+) ms\\), its state kept");
  private static Path project;
  private static Path jar;

  @BeforeAll
  static void aProjectWithItsJar() throws IOException {
    project = Files.createDirectories(dist.root().resolve("greeter-project"));
    Files.writeString(project.resolve("pom.xml"), "<project/>\n");
    jar = Files.createDirectories(project.resolve("target")).resolve("greeter-0.1.0.jar");
    Files.copy(Path.of(System.getProperty("dockevos.example.greeter")), jar);
    dist.start();
  }

  private static long count() {
    String out = dist.ok("greeter:count").out();
    return Json.createReader(new StringReader(out)).readObject().getJsonNumber("greetings").longValue();
  }

  private static JsonObject info() {
    return Json.createReader(new StringReader(dist.ok("plugin:info --json " + GREETER).out())).readObject();
  }

  private static JsonObject watched() {
    JsonArray all = Json.createReader(new StringReader(dist.ok("plugin:watches --json").out())).readArray();
    assertEquals(1, all.size(), all::toString);
    return all.getJsonObject(0);
  }

  /** The example jar as version {@code version}: its manifest says so, unsigned (a local build's jar). */
  static byte[] version(String version) throws IOException {
    try (JarFile in = new JarFile(Path.of(System.getProperty("dockevos.example.greeter")).toFile())) {
      Manifest mf = new Manifest(in.getManifest());
      mf.getEntries().clear();
      mf.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
        for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
          JarEntry entry = e.nextElement();
          String name = entry.getName();
          if (name.equals("META-INF/MANIFEST.MF") || name.matches("META-INF/[^/]+\\.(SF|EC|RSA|DSA)")) {
            continue;
          }
          out.putNextEntry(new JarEntry(name));
          try (InputStream is = in.getInputStream(entry)) {
            is.transferTo(out);
          }
          out.closeEntry();
        }
      }
      return bytes.toByteArray();
    }
  }

  /** Writes the bytes over the jar as a build does: truncated, then in parts with pauses between them. */
  static void writeInSteps(Path file, byte[] bytes, int parts, long pauseMillis) throws IOException {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      int step = (bytes.length + parts - 1) / parts;
      for (int i = 0; i < bytes.length; i += step) {
        out.write(bytes, i, Math.min(step, bytes.length - i));
        out.flush();
        if (i + step < bytes.length) {
          Await.sleep(pauseMillis);
        }
      }
    }
  }

  private static String log() {
    return dist.logText();
  }

  @Test
  @Order(1)
  void watchingAJarInstallsItsPlugin() {
    Result r = dist.ok("plugin:watch " + jar);
    assertTrue(r.out().contains("Installed " + GREETER), r::toString);
    assertTrue(r.out().contains("Watching " + jar + " for " + GREETER), r::toString);
    assertEquals("ACTIVE", info().getString("state"));
    assertEquals(jar.toString(), watched().getString("file"));
    assertEquals(0, watched().getInt("reloads"));
    dist.ok("greeter:greet name=Dev times=3");
    assertEquals(3, count());
  }

  @Test
  @Order(2)
  void aNewJarWrittenInStepsServesWithItsStateKept() throws IOException {
    long before = count();
    writeInSteps(jar, version("0.1.1"), 4, 150);
    Await.until("the new version serves", RELOAD, () -> info().getString("version"), "0.1.1"::equals);
    assertEquals(before, count(), "the count is carried across the reload by StatefulPlugin");
    assertEquals("ACTIVE", info().getString("state"));
    Matcher m = SERVES.matcher(Await.until("the reload is logged", RELOAD, DevLoopIT::log, l -> SERVES.matcher(l).find()));
    assertTrue(m.find());
    assertEquals("0.1.1", m.group(1));
    assertEquals(jar.toString(), m.group(2));
    System.out.println("[dev loop] the saved jar to the new version serving: " + m.group(3) + " ms (update "
        + m.group(4) + " ms)");
    assertEquals(1, watched().getInt("reloads"));
    assertTrue(watched().getString("last").contains("its state kept"), watched()::toString);
    assertFalse(log().contains("Cannot reload"), "a jar written in steps is taken once whole, not before:\n" + log());
    dist.ok("greeter:greet name=Again");
    assertEquals(before + 1, count());
  }

  @Test
  @Order(3)
  void aHalfWrittenJarLeavesTheOldVersionRunningAndSaysWhy() throws IOException {
    byte[] next = version("0.1.2");
    Files.write(jar, Arrays.copyOf(next, next.length / 2), StandardOpenOption.TRUNCATE_EXISTING);
    String line = "Cannot reload " + GREETER + " from " + jar + ": it is not a complete jar (zip)";
    Await.until("the half-written jar is reported", RELOAD, DevLoopIT::log, l -> l.contains(line));
    assertTrue(log().contains("; 0.1.1 keeps running"), log());
    assertEquals("0.1.1", info().getString("version"));
    assertEquals("ACTIVE", info().getString("state"));
    long before = count();
    dist.ok("greeter:greet name=Still");
    assertEquals(before + 1, count(), "the old version serves");
  }

  @Test
  @Order(4)
  void aCompleteJarThatIsNoBundleIsRefusedNamingTheFile() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
      out.putNextEntry(new JarEntry("readme.txt"));
      out.write("no bundle".getBytes());
    }
    writeInSteps(jar, bytes.toByteArray(), 1, 0);
    String line = "Cannot reload " + GREETER + " from " + jar + ": Cannot install " + jar;
    String log = Await.until("the refused jar is reported", RELOAD, DevLoopIT::log, l -> l.contains(line));
    String reported = log.substring(log.indexOf(line)).lines().findFirst().orElseThrow();
    assertTrue(reported.contains("Bundle-ManifestVersion") && reported.endsWith("; 0.1.1 keeps running"), reported);
    assertEquals("0.1.1", info().getString("version"));
    // The next good build is taken again, with the state.
    long before = count();
    writeInSteps(jar, version("0.1.3"), 3, 100);
    Await.until("the next good jar serves", RELOAD, () -> info().getString("version"), "0.1.3"::equals);
    assertEquals(before, count());
  }

  @Test
  @Order(5)
  void devOnAProjectWatchesItsJarInTheRunningInstance() throws IOException {
    Result r = dist.dockevos("dev", project.toString());
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("dockevos dev: watching " + jar), r::toString);
    assertTrue(r.out().contains("Still watching " + jar + " for " + GREETER), r::toString);
    assertFalse(r.out().contains("newer"), r::toString);
    Result unwatch = dist.ok("plugin:unwatch " + GREETER);
    assertTrue(unwatch.out().contains("No longer watching " + jar), unwatch::toString);
    assertTrue(dist.ok("plugin:watches").out().startsWith("No jar is watched."));
    // Built while nothing watched it: dev takes it at once.
    long before = count();
    writeInSteps(jar, version("0.1.4"), 1, 0);
    Await.sleep(1000);
    assertEquals("0.1.3", info().getString("version"), "an unwatched jar changes nothing");
    Result again = dist.dockevos("dev", project.toString());
    assertTrue(again.out().contains("The jar is newer than the plugin: updating it from there now"), again::toString);
    Await.until("the newer jar serves", RELOAD, () -> info().getString("version"), "0.1.4"::equals);
    assertEquals(before, count());
    Result none = dist.dockevos("dev", dist.root().resolve("no-such-project").toString());
    assertEquals(2, none.exit(), none::toString);
    assertTrue(none.err().contains("is not a folder"), none::toString);
    Result empty = dist.dockevos("dev", Files.createDirectories(dist.root().resolve("empty-project")).toString());
    assertEquals(1, empty.exit(), empty::toString);
    assertTrue(empty.err().contains("no jar in " + dist.root().resolve("empty-project") + "/target"), empty::toString);
  }

  @Test
  @Order(6)
  void theCommandsHaveHelp() {
    for (String command : List.of("plugin:watch", "plugin:unwatch", "plugin:watches")) {
      Result r = dist.ok(command + " --help");
      assertTrue(r.out().startsWith(command + " - ") && r.out().contains("\nExample:\n"), r::toString);
    }
  }
}
