package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedding example of the guide: {@code src/test/resources/EmbeddingExample.java} is compiled
 * as it stands and run in a JVM of its own, and {@code docs/embedding.md} must show exactly that code.
 */
class EmbeddingExampleIT {
  private static final String EXAMPLE = "/EmbeddingExample.java";
  private Path temp;

  @BeforeEach
  void tempDir() throws IOException {
    temp = Files.createTempDirectory("dockevos-e2e-embedding-");
  }

  @AfterEach
  void deleteTempDir() {
    Distribution.deleteTree(temp);
  }

  @Test
  void exampleCompilesAndRuns() throws Exception {
    String classPath = System.getProperty("java.class.path");
    Path source = Files.createDirectories(temp.resolve("src")).resolve("EmbeddingExample.java");
    Files.write(source, Distribution.resource(EXAMPLE));
    Path classes = Files.createDirectories(temp.resolve("classes"));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "the tests run on a JDK");
    StringWriter diagnostics = new StringWriter();
    boolean compiled = javac.getTask(diagnostics, null, null,
        List.of("--release", "17", "-classpath", classPath, "-d", classes.toString()), null,
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source.toFile())).call();
    assertTrue(compiled, () -> "EmbeddingExample.java does not compile:\n" + diagnostics);

    // The one dependency carries the boot bundles on the class path (inside dockevos-features);
    // an empty local Maven repository makes sure that nothing else supplies them. The example
    // writes its home to java.io.tmpdir.
    Path repository = Files.createDirectories(temp.resolve("empty-repository"));
    Path tmp = Files.createDirectories(temp.resolve("tmp"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Result run = exec(List.of(java.toString(), "-Djava.io.tmpdir=" + tmp, "-Dmaven.repo.local=" + repository,
        "-cp", classes + File.pathSeparator + classPath, "EmbeddingExample"));

    assertEquals(0, run.exit(), () -> "the example's JVM\n" + run);
    Matcher count = Pattern.compile("(?m)^Bundles: (\\d+)$").matcher(run.out());
    assertTrue(count.find(), () -> "the example prints 'Bundles: N'\n" + run);
    List<String> rows = run.out().lines().filter(l -> l.matches("\\s*\\d+\\|\\w+\\s*\\|.*")).toList();
    assertTrue(run.out().contains("dockevOS core"), () -> "the example prints the output of lb\n" + run);
    assertEquals(rows.size(), Integer.parseInt(count.group(1)), () -> "lb lists as many bundles as the example counted\n" + run);
    assertTrue(rows.stream().allMatch(l -> l.contains("|Active")), () -> "every bundle is Active\n" + run);
    // Typed: the program's PluginManager and ActionService are the runtime's (the API jar is on its class path).
    assertTrue(run.out().lines().anyMatch(l -> l.matches("Plugin io\\.dockevos\\.plugin\\.manager \\S+: ACTIVE \\(the"
        + " runtime's own\\)")), () -> "the typed PluginManager lists the plugin manager itself\n" + run);
    assertTrue(run.out().lines().anyMatch(l -> l.matches("Actions: \\d+")),
        () -> "the typed ActionService answers\n" + run);
    // Quiet: without a logging backend of the program's own, dockevOS prints nothing of its own.
    List<String> foreign = run.out().lines().filter(l -> !l.isBlank() && !l.matches("(Bundles|Actions): \\d+")
        && !l.startsWith("Plugin ") && !l.matches("\\s*\\d+\\|\\w+\\s*\\|.*") && !l.startsWith("START LEVEL")
        && !l.matches("\\s*ID\\|State.*")
        // Felix EventAdmin 1.6.4's own words when its thread pool is shut down in the middle of a
        // delivery as the framework stops: it writes them to stdout, its Log Service tracker closed.
        && !l.equals("WARNING: EventAdmin: Event Task Processing Interrupted. Events may not be received in proper order."))
        .toList();
    assertEquals(List.of(), foreign, () -> "the example's output holds only what it prints\n" + run);
    assertFalse(run.err().contains("DEBUG") || run.err().contains("WIRE:"), () -> "no debug lines\n" + run);
  }

  @Test
  void theGuideShowsTheExample() throws IOException {
    Path readme = Path.of(System.getProperty("dockevos.readme", "../../README.md"));
    assertTrue(Files.readString(readme).contains("[docs/embedding.md](docs/embedding.md)"), "the README leads to it");
    Path page = readme.toAbsolutePath().getParent().resolve("docs/embedding.md");
    List<String> lines = Files.readAllLines(page);
    List<String> block = null;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("```java")) {
        block = new ArrayList<>();
        for (int j = i + 1; j < lines.size() && !lines.get(j).strip().startsWith("```"); j++) {
          block.add(lines.get(j));
        }
        break;
      }
    }
    assertNotNull(block, "docs/embedding.md has a ```java block");
    String example = new String(Distribution.resource(EXAMPLE), StandardCharsets.UTF_8);
    assertEquals(normalize(example), normalize(String.join("\n", block)),
        "docs/embedding.md's example (whitespace aside) is itests/e2e/src/test/resources/EmbeddingExample.java, which this module compiles and runs");
  }

  private static String normalize(String code) {
    return code.replaceAll("\\s+", " ").strip();
  }

  private Result exec(List<String> command) {
    try {
      Path out = temp.resolve("example.out");
      Path err = temp.resolve("example.err");
      Process p = new ProcessBuilder(command).directory(temp.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      boolean ended = p.waitFor(Duration.ofSeconds(120).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      if (!ended) {
        Distribution.destroyTree(p.toHandle());
      }
      Result r = new Result(command, ended ? p.exitValue() : -1, Files.readString(out), Files.readString(err));
      assertFalse(!ended, () -> "the example did not end within 120 s (a thread that close() left running?)\n" + r);
      return r;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
