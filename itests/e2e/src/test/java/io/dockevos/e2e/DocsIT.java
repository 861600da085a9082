package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every shell session of the pages in {@code docs/} is run against a real distribution, as {@link
 * ReadmeIT} runs the README's: each page in a freshly unpacked home with the runtime started, its
 * sessions in order, each command in the home with {@code bash -c}; a line typed at the console
 * ({@code dockevos> }) through {@code bin/dockevos client}. A command's output (what it
 * prints, then its errors) must be what the page shows: whitespace may differ, a number stands for
 * any number, {@code ...} for anything. A command shown with an {@code Error:} line must fail, any
 * other must succeed. A command that only reads ({@code cat}, {@code list}, {@code show}, ...) is
 * asked again for a while until it shows what the page shows, since the runtime works in the
 * background (a file dropped into {@code deploy/} is picked up a moment later). The user the pages
 * show, {@code alice}, stands for whoever runs the test.
 *
 * <p>The files the pages name are in the home before the runtime starts: every tiny bundle under
 * its name ({@code needs-missing.jar}, {@code wants-plugins.jar}, ...), the example plugin's jar,
 * jackson-databind 2.17.2 and jackson-core 2.18.2 with a local Maven repository that holds their
 * dependencies, and a jar whose symbolic name tries to escape its folder ({@code escaping.jar}). A
 * page that runs {@code mvn} gets the Maven of this build on the build's local repository.
 */
class DocsIT {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  /** The environment variable that holds the page's HTTP port (read by no one else). */
  private static final String HTTP_PORT = "DOCSIT_HTTP_PORT";
  private static final Pattern READS = Pattern.compile(
      "^cat |client '(\\w+:)?(list|show|analyze|status|check|events|audit)\\b");
  /** A repository file that a page names, and the tiny bundle that it is. */
  private static final Map<String, String> SYSTEM_FILES = Map.of(
      "system/io/dockevos/test/providesmissing/1.0.0/providesmissing-1.0.0.jar", TinyBundles.PROVIDES_MISSING);

  static Path docs() {
    return Path.of(System.getProperty("dockevos.readme", "../../README.md")).toAbsolutePath().getParent().resolve("docs");
  }

  /** @return the pages of docs/ that show shell sessions */
  static List<Path> pages() throws IOException {
    try (Stream<Path> files = Files.list(docs())) {
      List<Path> pages = new ArrayList<>();
      for (Path p : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        if (!ShellSessions.of(p).isEmpty()) {
          pages.add(p);
        }
      }
      return pages;
    }
  }

  @Test
  void thePagesHaveSessionsAndSayWhyAnyIsNotRun() throws IOException {
    List<Path> pages = pages();
    assertTrue(pages.size() >= 7, () -> "the pages of docs/ with shell sessions: " + pages);
    int run = 0;
    for (Path page : pages) {
      for (ShellSessions.Session s : ShellSessions.of(page)) {
        run += s.notRun() == null ? 1 : 0;
      }
    }
    assertTrue(run >= 15, "the sessions that are run: " + run);
  }

  /**
   * A block of shell commands that is no session, and a session that is not run, say why and name
   * what runs them instead: a test class (its file is there) or a file of the repository ({@code
   * .ci/run}). So every shell example of docs/ is either run here or by the test it names.
   */
  @Test
  void everyShellExampleThatIsNotRunHereNamesWhatRunsIt() throws IOException {
    List<String> wrong = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    try (Stream<Path> files = Files.list(docs())) {
      for (Path page : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        for (ShellSessions.Block b : ShellSessions.commandBlocks(page)) {
          if (b.notRun() == null) {
            wrong.add(page.getFileName() + " line " + b.line() + " (" + b.first() + "): shell commands that no test runs;"
                + " make it a session ($ lines) or say <!-- not run: REASON, naming the test that runs them -->");
          } else {
            reasons.add(page.getFileName() + " line " + b.line() + ": " + b.notRun());
          }
        }
        for (ShellSessions.Session s : ShellSessions.of(page)) {
          if (s.notRun() != null) {
            reasons.add(page.getFileName() + " line " + s.line() + ": " + s.notRun());
          }
        }
      }
    }
    Path root = docs().getParent();
    Path tests = root.resolve("itests/e2e/src/test/java/io/dockevos/e2e");
    java.util.regex.Pattern named = java.util.regex.Pattern.compile("\\b([A-Z]\\w*IT|Signing)\\b|(\\.ci/[\\w.-]+)");
    for (String r : reasons) {
      java.util.regex.Matcher m = named.matcher(r);
      boolean found = false;
      while (m.find()) {
        found |= m.group(1) != null ? Files.exists(tests.resolve(m.group(1) + ".java")) : Files.exists(root.resolve(m.group(2)));
      }
      if (!found) {
        wrong.add(r + ": names no test class or file that is there");
      }
    }
    assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    assertTrue(reasons.size() >= 5, () -> "the examples not run here: " + reasons);
  }

  @TestFactory
  Stream<DynamicTest> everyShellSessionOfThePagesGivesWhatItShows() throws IOException {
    return pages().stream().map(page -> DynamicTest.dynamicTest(page.getFileName().toString(), () -> run(page)));
  }

  private static void run(Path page) throws IOException {
    String text = Files.readString(page);
    List<String> wrong = new ArrayList<>();
    try (Distribution dist = Distribution.unpack()) {
      Path home = dist.home();
      Map<String, String> env = prepare(dist, text);
      dist.start(env);
      for (ShellSessions.Session session : ShellSessions.of(page)) {
        if (session.notRun() != null) {
          System.out.println("DocsIT: " + page.getFileName() + " line " + session.line() + " is not run: " + session.notRun());
          continue;
        }
        for (ShellSessions.Command c : session.commands()) {
          String problem = check(dist, home, env, c);
          if (problem != null) {
            wrong.add(page.getFileName() + " line " + session.line() + ": $ " + c.line() + "\n" + problem);
          }
        }
      }
      dist.stop();
    }
    assertTrue(wrong.isEmpty(), () -> String.join("\n\n", wrong));
  }

  /** @return what is wrong with the command's output, or null when it is what the page shows */
  private static String check(Distribution dist, Path home, Map<String, String> env, ShellSessions.Command c) {
    boolean fails = c.shown().stream().anyMatch(l -> l.startsWith("Error:"));
    // The pages' user is alice: here, whoever runs the test.
    Pattern shown = ShellSessions.pattern(c.shown().stream()
        .map(l -> l.replace("alice", System.getProperty("user.name"))).toList());
    long deadline = System.nanoTime() + (READS.matcher(c.line()).find() ? SETTLE.toNanos() : 0);
    while (true) {
      // A console line goes through the client: the same session, the same words (ShellErrors).
      // The HTTP API's port is the page's own (8181 may be taken: Karaf's default, another test's).
      String line = c.line().replace("127.0.0.1:8181", "127.0.0.1:" + env.get(HTTP_PORT));
      Result r = c.console() ? dist.run(home, env, dist.script(), "client", line)
          : dist.run(home, env, Path.of("/bin/bash"), "-c", line);
      String printed = (r.out().strip() + "\n" + r.err().strip()).strip();
      boolean right = (r.exit() != 0) == fails && (c.shown().isEmpty() || shown.matcher(printed).matches());
      if (right) {
        return null;
      }
      if (System.nanoTime() > deadline) {
        return (fails ? "should fail" : "should succeed") + " and show (it exited " + r.exit() + ")\n"
            + String.join("\n", c.shown()) + "\nbut it printed\n" + printed;
      }
      Await.sleep(300);
    }
  }

  /** Puts the files the page names into the home; @return the runtime's environment */
  private static Map<String, String> prepare(Distribution dist, String text) throws IOException {
    Path home = dist.home();
    for (String tiny : TinyBundles.ALL) {
      TinyBundles.copyTo(tiny, home);
    }
    for (Map.Entry<String, String> f : SYSTEM_FILES.entrySet()) {
      if (text.contains(f.getKey())) {
        Path target = home.resolve(f.getKey());
        Files.createDirectories(target.getParent());
        Files.copy(TinyBundles.copyTo(f.getValue(), dist.root()), target);
      }
    }
    Path greeter = Path.of(System.getProperty("dockevos.example.greeter"));
    Files.copy(greeter, home.resolve(greeter.getFileName()));
    manifestOnly(home.resolve("escaping.jar"), "../../x/victim");
    // The Maven repository the install pipeline plans from: a copy, since the runtime writes an index into it.
    Path source = Path.of(System.getProperty("dockevos.e2e.repo"));
    Path repository = dist.root().resolve("maven-repository");
    try (Stream<Path> all = Files.walk(source)) {
      for (Path p : all.toList()) {
        Path to = repository.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Files.copy(repository.resolve("com/fasterxml/jackson/core/jackson-databind/2.17.2/jackson-databind-2.17.2.jar"),
        home.resolve("jackson-databind-2.17.2.jar"));
    Files.copy(repository.resolve("com/fasterxml/jackson/core/jackson-core/2.18.2/jackson-core-2.18.2.jar"),
        home.resolve("jackson-core-2.18.2.jar"));
    Files.writeString(home.resolve("etc/dockevos.maven.cfg"), "# written by DocsIT\nlocalRepository = " + repository
        + "\noffline = true\n");
    Map<String, String> env = new java.util.HashMap<>(Map.of("JAVA_OPTS", "-Dmaven.repo.local=" + repository));
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      env.put(HTTP_PORT, String.valueOf(s.getLocalPort()));
    }
    Files.writeString(home.resolve("etc/config.properties"), "\ndockevos.http.port=" + env.get(HTTP_PORT) + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    if (text.contains("\n$ mvn ")) {
      // A page that builds with Maven: the Maven of this build, on the build's local repository (warm).
      Path mvn = Path.of(AuthorJourneyIT.mvn());
      env.put("PATH", mvn.getParent() + java.io.File.pathSeparator + System.getenv("PATH"));
      env.put("MAVEN_OPTS", "-Dmaven.repo.local=" + System.getProperty("dockevos.localRepository"));
    }
    return env;
  }

  /** Writes a jar that holds only a manifest with this symbolic name. */
  private static void manifestOnly(Path jar, String symbolicName) {
    Manifest m = new Manifest();
    Attributes a = m.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Bundle-ManifestVersion", "2");
    a.putValue("Bundle-SymbolicName", symbolicName);
    a.putValue("Bundle-Version", "1.0.0");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
      j.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
