package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plugin author's journey, measured: from {@code mvn archetype:generate} of the dockevOS plugin
 * archetype to the new plugin's action answering in a started distribution, offline, with the local
 * repository of this build (warm: it holds everything the build used). The steps are a user's:
 * generate, {@code mvn package}, {@code bin/dockevos start}, {@code plugin:install} of the jar, and
 * the action from the shell. The wall time of all five must stay under 60 s; it is printed, as
 * {@code Author's journey: ...}, for docs/plugin-sdk.md.
 */
class AuthorJourneyIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(180);

  @Test
  void fromArchetypeToAnAnsweringActionInUnderAMinute() {
    String mvn = mvn();
    String repository = System.getProperty("dockevos.localRepository");
    String version = System.getProperty("dockevos.version");
    String archetypePlugin = System.getProperty("dockevos.archetype.plugin.version");
    assertTrue(repository != null && version != null && archetypePlugin != null,
        "the build passes dockevos.localRepository, dockevos.version and dockevos.archetype.plugin.version");
    try (Distribution dist = Distribution.unpack()) {
      Path work = dist.root().resolve("work");
      Map<String, Long> steps = new LinkedHashMap<>();
      long begin = System.nanoTime();

      long t = System.nanoTime();
      Result generate = dist.exec(mkdirs(work), STEP_TIMEOUT, List.of(mvn, "-o", "-B", "-Dmaven.repo.local=" + repository,
          "org.apache.maven.plugins:maven-archetype-plugin:" + archetypePlugin + ":generate",
          "-DarchetypeGroupId=io.dockevos", "-DarchetypeArtifactId=dockevos-plugin-archetype",
          "-DarchetypeVersion=" + version, "-DgroupId=com.example", "-DartifactId=hello-plugin",
          "-Dversion=1.0.0-SNAPSHOT", "-Dpackage=com.example.hello"));
      steps.put("generate", since(t));
      assertEquals(0, generate.exit(), () -> "mvn archetype:generate\n" + generate);
      Path project = work.resolve("hello-plugin");
      assertTrue(Files.isRegularFile(project.resolve("pom.xml")), () -> "the project was generated\n" + generate);

      t = System.nanoTime();
      Result build = dist.exec(project, STEP_TIMEOUT, List.of(mvn, "-o", "-B", "-q", "-Dmaven.repo.local=" + repository, "package"));
      steps.put("package", since(t));
      assertEquals(0, build.exit(), () -> "mvn package of the generated project\n" + build);
      Path jar = project.resolve("target/hello-plugin-1.0.0-SNAPSHOT.jar");
      assertTrue(Files.isRegularFile(jar), () -> "the build made " + jar + "\n" + build);
      assertTrue(Files.isRegularFile(project.resolve("target/surefire-reports/TEST-com.example.hello.GreetActionTest.xml")),
          () -> "the generated unit tests ran\n" + build);

      t = System.nanoTime();
      dist.start();
      steps.put("start", since(t));

      t = System.nanoTime();
      Result install = dist.ok("plugin:install " + jar);
      steps.put("install", since(t));
      assertTrue(install.out().contains("Installed com.example.hello ") && install.out().contains("ACTIVE"),
          install::toString);

      t = System.nanoTime();
      Result answer = dist.ok("hello:greet name=World");
      steps.put("answer", since(t));
      long total = since(begin);
      assertTrue(answer.out().startsWith("Hello, World!"), answer::toString);
      assertTrue(answer.out().contains("\"greeted\": \"World\""), answer::toString);

      List<String> parts = new ArrayList<>();
      steps.forEach((k, v) -> parts.add(k + " " + seconds(v)));
      String figure = "Author's journey: " + seconds(total) + " from archetype:generate to the action's answer ("
          + String.join(", ", parts) + "; limit " + LIMIT.toSeconds() + " s)";
      System.out.println(figure + ", with " + mvn);
      assertTrue(total < LIMIT.toNanos(), figure);
    }
  }

  private static Path mkdirs(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long since(long start) {
    return System.nanoTime() - start;
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /**
   * The Maven that runs this build ({@code maven.home}, which the build passes), else {@code
   * MAVEN_HOME}'s, else {@code mvn} on the {@code PATH}. Without one the test is skipped, loudly;
   * under CI ({@code CI=true}) it fails.
   */
  static String mvn() {
    List<String> tried = new ArrayList<>();
    for (String home : new String[] {System.getProperty("maven.home"), System.getenv("MAVEN_HOME")}) {
      if (home != null && !home.isBlank() && !home.contains("${")) {
        Path bin = Path.of(home, "bin", "mvn");
        tried.add(bin.toString());
        if (Files.isExecutable(bin)) {
          return bin.toString();
        }
      }
    }
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      Path bin = Path.of(dir.isEmpty() ? "." : dir, "mvn");
      if (Files.isExecutable(bin)) {
        return bin.toString();
      }
    }
    tried.add("mvn on the PATH");
    String why = "No Maven to run the author's journey with (tried " + String.join(", ", tried)
        + "): run it from Maven, or set MAVEN_HOME";
    Missing.failInCiElseSkip(why);
    return null;
  }
}
