package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The desired state (issue 16, item 3): one feature file naming the features, plugins and configurations an
 * instance must have, applied at start and whenever it changes, all or nothing, with {@code state:diff} and
 * {@code state:apply}; readiness waits for it; two homes given the same file list the same plugins.
 */
class StateIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  static final String PID = "io.dockevos.e2e.state";

  static String state(String features, String bundles, String colour) {
    return """
        {
          "feature-resource-version": "1.0",
          "id": "io.dockevos.e2e:desired:1.0",
          "bundles": [%s],
          "configurations": { "%s": { "colour": "%s" } },
          "extensions": { "dockevos-features": { "kind": "optional", "text": [%s] } }
        }
        """.formatted(bundles, PID, colour, features);
  }

  static final String ENCODER = "{ \"id\": \"org.owasp.encoder:encoder:1.3.1\" }";
  static final String ITU = "{ \"id\": \"com.ethlo.time:itu:1.14.0\" }";
  static final String HARDWARE = "\"dockevos-hardware\"";

  /** Replaces the file as a ConfigMap does: a new file moved over the old. */
  static void write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(".state-" + System.nanoTime());
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void diffThenApplyThenNothingAndBadFilesChangeNothing() throws Exception {
    try (Distribution dist = Distribution.unpack()) {
      Path file = dist.root().resolve("desired.json");
      dist.start(Map.of("DOCKEVOS_STATE_FILE", file.toString(), "DOCKEVOS_STATE_WATCH", "false"));
      assertEquals(file.toString(), dist.ok("property dockevos.state.file").out().strip(), "DOCKEVOS_STATE_FILE");
      assertTrue(dist.ok("state:diff").out().contains("No state file: " + file + " does not exist; nothing to apply"));
      assertEquals(0, dist.dockevos("status", "--ready").exit(), "no file holds nothing back");
      // Applied at start means once the framework runs (its start level reached): a file written after is not.
      Await.until("the file looked at as the framework started", WAIT, () -> dist.logText().contains("The state file "
          + file + " was looked at as the framework started (there is none)"));

      write(file, state(HARDWARE, ENCODER, "blue"));
      Result diff = dist.ok("state:diff");
      assertTrue(row(diff.out(), "Action", "Kind", "Name"), diff::toString);
      assertTrue(row(diff.out(), "install", "feature", "dockevos-hardware"), diff::toString);
      assertTrue(row(diff.out(), "install", "plugin", "org.owasp.encoder 1.3.1"), diff::toString);
      assertTrue(row(diff.out(), "configure", "configuration", PID), diff::toString);
      Result json = dist.ok("state:diff --json");
      assertTrue(Pattern.compile("\"kind\"\\s*:\\s*\"configuration\"").matcher(json.out()).find(), json::toString);
      assertFalse(dist.ok("plugin:list").out().contains("org.owasp.encoder"), "a diff changes nothing");

      Result applied = dist.ok("state:apply");
      assertTrue(applied.out().contains("Applied the desired state " + file + ": "), applied::toString);
      String plugins = dist.ok("plugin:list --json").out();
      assertTrue(plugins.contains("\"org.owasp.encoder\"") && plugins.contains("\"io.dockevos.hardware\""), plugins);
      assertTrue(dist.ok("config:get " + PID).out().contains("blue"));
      Result again = dist.ok("state:apply");
      assertEquals("The desired state " + file + " is applied already: nothing changed", again.out().strip());
      assertEquals("Nothing to change: the desired state " + file + " is applied", dist.ok("state:diff").out().strip());

      // Bad files: each names the file and the cause, and nothing changes.
      write(file, "{ \"id\": \"io.dockevos.e2e:desired:1.0\", \"bundles\": [ ");
      Result corrupt = dist.fails("state:apply");
      assertTrue(corrupt.err().contains(file.toString()) && corrupt.err().contains("line"), corrupt::toString);
      write(file, state(HARDWARE, ENCODER + ", { \"id\": \"org.example:no-such-bundle:9.9\" }", "green"));
      Result unknown = dist.fails("state:apply");
      assertTrue(unknown.err().contains(file.toString()) && unknown.err().contains("org.example:no-such-bundle:9.9"),
          unknown::toString);
      write(file, state(HARDWARE + ", \"dockevos-no-such-feature\"", ENCODER, "green"));
      Result noFeature = dist.fails("state:apply");
      assertTrue(noFeature.err().contains(file.toString()) && noFeature.err().contains("dockevos-no-such-feature"),
          noFeature::toString);
      write(file, state(HARDWARE, ENCODER, "green").replace("\"colour\": \"green\"", "\"size:Integer\": \"big\""));
      Result badValue = dist.fails("state:apply");
      assertTrue(badValue.err().contains(file.toString()) && badValue.err().contains("size"), badValue::toString);
      assertEquals(plugins.replaceAll("\"(installed|updated)\": \"[^\"]*\"", ""), dist.ok("plugin:list --json").out()
          .replaceAll("\"(installed|updated)\": \"[^\"]*\"", ""), "nothing changed");
      assertTrue(dist.ok("config:get " + PID).out().contains("blue"), "the configuration stays");
      assertEquals(0, dist.dockevos("status", "--live").exit(), "the runtime stays up");
      assertTrue(dist.ok("state:status").out().contains("Phase:   FAILED"));
      assertTrue(dist.logText().contains("cannot be applied"), "the runtime log says why");

      // A changed configuration only: the plugins keep running, under the same ids.
      write(file, state(HARDWARE, ENCODER, "green"));
      Result recolour = dist.ok("state:diff");
      assertTrue(row(recolour.out(), "configure", "configuration", PID), recolour::toString);
      assertFalse(recolour.out().contains("plugin"), recolour::toString);
      dist.ok("state:apply");
      assertTrue(dist.ok("config:get " + PID).out().contains("green"));
      assertEquals(plugins.replaceAll("\"(installed|updated)\": \"[^\"]*\"", ""), dist.ok("plugin:list --json").out()
          .replaceAll("\"(installed|updated)\": \"[^\"]*\"", ""), "the same plugins, ids and states");

      // What the file no longer names goes; the diff says so first.
      write(file, state("", ITU, "green"));
      Result less = dist.ok("state:diff");
      assertTrue(row(less.out(), "uninstall", "feature", "dockevos-hardware"), less::toString);
      assertTrue(row(less.out(), "uninstall", "plugin", "org.owasp.encoder 1.3.1"), less::toString);
      assertTrue(row(less.out(), "install", "plugin", "com.ethlo.time.itu 1.14.0"), less::toString);
      dist.ok("state:apply");
      String now = dist.ok("plugin:list").out();
      assertTrue(now.contains("com.ethlo.time.itu") && !now.contains("org.owasp.encoder")
          && !now.contains("io.dockevos.hardware"), now);
      assertEquals("The desired state " + file + " is applied already: nothing changed",
          dist.ok("state:apply").out().strip());
    }
  }

  @Test
  void theFileIsWatchedReadinessWaitsAndAKillLosesNothing() throws Exception {
    try (Distribution dist = Distribution.unpack()) {
      Path file = dist.home().resolve("etc/state.json");
      write(file, state(HARDWARE, ENCODER + ", { \"id\": \"org.example:no-such-bundle:9.9\" }", "blue"));
      dist.start();
      Result held = Await.until("not ready, for the bad state file", WAIT, () -> dist.dockevos("status", "--ready"),
          r -> r.err().contains("no-such-bundle"));
      assertEquals(1, held.exit(), held::toString);
      assertTrue(held.err().contains("not ready: the desired state " + file + " is not applied (")
          && held.err().contains("no-such-bundle"), held::toString);

      write(file, state(HARDWARE, ENCODER, "blue"));
      Await.until("ready once the state is applied", WAIT, () -> dist.dockevos("status", "--ready").exit() == 0);
      assertTrue(dist.ok("plugin:list").out().contains("org.owasp.encoder"));
      Path snakeyaml = dist.home().resolve("system/org/yaml/snakeyaml/2.5/snakeyaml-2.5.jar");
      dist.ok("plugin:install " + snakeyaml);

      // Changed at run time: converges without a command.
      Instant written = Instant.now();
      write(file, state("", ITU, "red"));
      String at = Await.until("the changed state applied", WAIT, () -> dist.ok("state:status --json").out(),
          out -> out.contains("\"phase\": \"APPLIED\"")
              && appliedAfter(out, written));
      Duration took = Duration.between(written, appliedAt(at));
      System.out.println("StateIT: converged in " + took.toMillis() + " ms");
      String list = dist.ok("plugin:list").out();
      assertTrue(list.contains("com.ethlo.time.itu"), list);
      assertFalse(list.contains("org.owasp.encoder"), "what the state no longer names goes: " + list);
      assertFalse(list.contains("io.dockevos.hardware"), "the feature it installed goes too: " + list);
      assertTrue(list.contains("org.yaml.snakeyaml"), "what was installed by hand stays: " + list);
      assertTrue(dist.ok("config:get " + PID).out().contains("red"));

      // A kill -9 in the middle of an apply: the next start converges, nothing lost.
      write(file, state(HARDWARE, ITU + ", " + ENCODER, "yellow"));
      Await.until("the apply begins", WAIT, () -> dist.logText().contains("Applying the desired state etc/state.json: ")
          && dist.logText().split("Applying the desired state").length > 3);
      dist.kill();
      dist.start();
      Await.until("ready after the kill", WAIT, () -> dist.dockevos("status", "--ready").exit() == 0);
      String after = dist.ok("plugin:list").out();
      assertTrue(after.contains("com.ethlo.time.itu") && after.contains("org.owasp.encoder")
          && after.contains("io.dockevos.hardware") && after.contains("org.yaml.snakeyaml"), after);
      assertTrue(dist.ok("config:get " + PID).out().contains("yellow"));
      assertEquals("Nothing to change: the desired state etc/state.json is applied", dist.ok("state:diff").out().strip());
      dist.assertJsonFilesParse();
    }
  }

  /** @return whether the table has a row that begins with these cells */
  static boolean row(String table, String... cells) {
    StringBuilder p = new StringBuilder("(?m)^");
    for (String c : cells) {
      p.append(Pattern.quote(c)).append("\\s*(\\|\\s*)?");
    }
    return Pattern.compile(p.toString()).matcher(table).find();
  }

  private static final Pattern AT = Pattern.compile("\"at\": \"([^\"]+)\"");

  static Instant appliedAt(String json) {
    Matcher m = AT.matcher(json);
    return m.find() ? Instant.parse(m.group(1)) : Instant.EPOCH;
  }

  static boolean appliedAfter(String json, Instant t) {
    return appliedAt(json).isAfter(t);
  }

  /** A ConfigMap's mount, as the kubelet makes it: the file is a link into {@code ..data}, a link to a folder. */
  static Path configMap(Path dir, String text) throws IOException {
    Path version = Files.createDirectories(dir.resolve("..v" + System.nanoTime()));
    Files.writeString(version.resolve("state.json"), text);
    Path link = dir.resolve("..data_tmp");
    Files.createSymbolicLink(link, version.getFileName());
    Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Path file = dir.resolve("state.json");
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(file, Path.of("..data/state.json"));
    }
    return file;
  }

  static String plugins(Distribution d) {
    // Side by side the homes are two folders, each plugin's source in its own; in containers both are /opt/dockevos.
    // When each was installed differs too, by the clock.
    return d.ok("plugin:list --json").out().replace(d.home().toString(), "HOME")
        .replaceAll("\"(installed|updated)\": \"[^\"]+\"", "\"$1\": \"T\"");
  }

  @Test
  void twoHomesGivenTheSameFileListTheSamePlugins() throws Exception {
    try (Distribution a = Distribution.unpack(); Distribution b = Distribution.unpack()) {
      Path mount = Files.createDirectories(a.root().resolve("configmap"));
      Path file = configMap(mount, state(HARDWARE, ENCODER + ", " + ITU, "blue"));
      Distribution[] both = {a, b};
      for (Distribution d : both) {
        d.start(Map.of("DOCKEVOS_STATE_FILE", file.toString()));
      }
      for (Distribution d : both) {
        Await.until("ready", WAIT, () -> d.dockevos("status", "--ready").exit() == 0);
      }
      String listA = plugins(a);
      assertTrue(listA.contains("\"org.owasp.encoder\"") && listA.contains("\"com.ethlo.time.itu\""), listA);
      assertEquals(listA, plugins(b), "the same plugins, ids, versions, states and sources");

      // The ConfigMap changes: its ..data link is swapped, the file's own link stays as it was.
      Instant written = Instant.now();
      configMap(mount, state("", ITU, "red"));
      for (Distribution d : both) {
        String at = Await.until("the changed state applied", WAIT, () -> d.ok("state:status --json").out(),
            out -> out.contains("\"phase\": \"APPLIED\"") && appliedAfter(out, written));
        Duration took = Duration.between(written, appliedAt(at));
        System.out.println("StateIT: a ConfigMap's change converged in " + took.toMillis() + " ms");
          assertTrue(d.ok("config:get " + PID).out().contains("red"));
      }
      listA = plugins(a);
      assertFalse(listA.contains("\"org.owasp.encoder\""), listA);
      assertEquals(listA, plugins(b), "the same plugins again");
    }
  }
}
