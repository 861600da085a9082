package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every shell session of the README ({@code $ } lines in a fenced block, each followed by the output
 * it shows) is run in the home of a real distribution, and each command's output must be what the
 * README shows: whitespace may differ, a number stands for any number, and {@code ...} for anything.
 * A command the README shows no output for must succeed. A file the README reads from {@code
 * deploy/} is made first by dropping the tiny bundle of that name.
 */
class ReadmeIT extends UnpackedDistribution {
  /** The README's deploy files and the tiny bundles that make them. */
  private static final Map<String, String> DEPLOY_FILES = Map.of("needs-missing.jar", TinyBundles.NEEDS_MISSING);
  private static final Pattern DEPLOY_MARKER = Pattern.compile("deploy/([\\w.-]+)\\.failed");

  /** @return the README's sessions */
  static List<List<ShellSessions.Command>> sessions() throws IOException {
    return ShellSessions.of(readme()).stream().map(ShellSessions.Session::commands).toList();
  }

  static Path readme() {
    return Path.of(System.getProperty("dockevos.readme", "../../README.md"));
  }

  @Test
  void theReadmeHasItsSessions() throws IOException {
    List<List<ShellSessions.Command>> sessions = sessions();
    assertTrue(sessions.size() >= 2, () -> "the README's shell sessions: " + sessions);
    assertTrue(sessions.stream().flatMap(List::stream).anyMatch(c -> c.line().equals("bin/dockevos start")),
        "the README starts the runtime");
  }

  @Test
  void everyShellSessionOfTheReadmeGivesWhatItShows() throws IOException {
    Path home = dist.home();
    // The HTTP API's port is the test's own (8181 may be taken: Karaf's default, another test's).
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(home.resolve("etc/config.properties"), "\ndockevos.http.port=" + port + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    for (List<ShellSessions.Command> session : sessions()) {
      boolean started = false;
      for (ShellSessions.Command c : session) {
        Matcher marker = DEPLOY_MARKER.matcher(c.line());
        if (marker.find()) {
          if (!started && dist.dockevos("status").exit() != 0) {
            assertEquals(0, dist.dockevos("start").exit(), "the runtime starts for " + c.line());
            started = true;
          }
          String file = marker.group(1);
          String tiny = DEPLOY_FILES.get(file);
          assertTrue(tiny != null, () -> "the README reads deploy/" + file + ".failed: ReadmeIT must know how to make it");
          Path jar = TinyBundles.copyTo(tiny, dist.root());
          Path tmp = Files.copy(jar, home.resolve("deploy/." + file + ".tmp"), StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, home.resolve("deploy/" + file), StandardCopyOption.ATOMIC_MOVE);
          Await.until("deploy/" + file + ".failed", Duration.ofSeconds(30),
              () -> Files.exists(home.resolve("deploy/" + file + ".failed")));
        }
        Result r = dist.run(home, Path.of("/bin/bash"), "-c", c.line().replace("127.0.0.1:8181", "127.0.0.1:" + port));
        assertEquals(0, r.exit(), () -> "README: $ " + c.line() + "\n" + r);
        if (!c.shown().isEmpty()) {
          Pattern p = ShellSessions.pattern(c.shown());
          assertTrue(p.matcher(r.out().strip()).matches(), () -> "README: $ " + c.line() + " shows\n"
              + String.join("\n", c.shown()) + "\nbut it printed\n" + r.out());
        }
      }
      if (started) {
        assertEquals(0, dist.dockevos("stop").exit(), "the runtime stops");
      }
    }
    assertFalse(dist.dockevos("status").exit() == 0, "the README's sessions leave nothing running");
  }
  /** The README is a guide: about 300 lines, and every file it links to (docs/, module READMEs) is there. */
  @Test
  void theReadmeIsAShortGuideWhoseLinksLeadSomewhere() throws IOException {
    Path readme = readme();
    List<String> lines = Files.readAllLines(readme);
    assertTrue(lines.size() <= 300, () -> "the README has " + lines.size() + " lines; a guide has at most 300: move"
        + " the reference to docs/");
    Matcher link = Pattern.compile("\\]\\(([^)#:\\s]+)(#[^)]*)?\\)").matcher(String.join("\n", lines));
    int links = 0;
    while (link.find()) {
      Path target = readme.toAbsolutePath().getParent().resolve(link.group(1)).normalize();
      assertTrue(Files.exists(target), () -> "the README links to " + link.group(1) + ", which is not there");
      links++;
    }
    assertTrue(links >= 10, "the README links to the docs");
  }
}
