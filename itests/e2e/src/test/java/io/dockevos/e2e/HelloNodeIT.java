package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/hello-node}, an MCP server written with the official MCP TypeScript SDK from npm,
 * installed as an external plugin of a real {@code bin/dockevos} and its tool called: an MCP server
 * that knows nothing of dockevOS is a plugin. Its {@code node_modules} is what the build installed
 * from {@code package-lock.json}. Without node, or without that, this fails under {@code CI=true}
 * and is skipped, loudly, elsewhere.
 */
class HelloNodeIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path HELLO = Path.of(System.getProperty("user.dir")).resolve("../../examples/hello-node")
      .normalize();
  private static String nodeVersion;

  @BeforeAll
  static void startWithTheFeature() {
    String version = nodeVersion();
    String missing = version == null ? "node is not on the PATH (Debian: apt-get install nodejs npm)"
        : !Files.isRegularFile(HELLO.resolve("node_modules/@modelcontextprotocol/sdk/package.json"))
        ? "examples/hello-node/node_modules is not installed (mvn -pl examples/hello-node package runs npm ci)" : null;
    if (missing != null) {
      String why = "hello-node cannot run: " + missing;
      Missing.failInCiElseSkip(why);
    }
    nodeVersion = version;
    dist.start();
    assertTrue(dist.ok("feature:install dockevos-external").out().contains("Installed feature dockevos-external"));
  }

  /** @return what {@code node --version} prints, or {@code null} without node */
  private static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 ? out : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @AfterAll
  static void stop() {
    if (dist != null) {
      dist.ensureStopped();
    }
  }

  @Test
  void theOfficialSdksServerIsAPluginAndItsToolACommand() {
    long begin = System.nanoTime();
    Result install = dist.ok("external:install " + HELLO);
    System.out.println("external:install hello-node, until ACTIVE, through bin/dockevos client: "
        + (System.nanoTime() - begin) / 1_000_000 + " ms");
    assertTrue(install.out().startsWith("Installed external plugin hello-node 1.0.0: ACTIVE (pid "), install::toString);
    assertTrue(install.out().contains("tools: greet"), install::toString);
    assertEquals("Hello, Ada! (from Node.js " + nodeVersion + ")", dist.ok("hello-node:greet name=Ada").out().strip());
    // Its MCP log message and its stderr, in the runtime's log under its name.
    Await.until("its MCP log message and its stderr in the runtime log", WAIT, dist::logText,
        t -> t.contains("hello-node - hello: hello-node is ready") && t.contains("hello-node - stderr: hello-node: listening on stdio"));
    // The schema of its tool, as the SDK made it from zod, is the action's.
    Result actions = dist.ok("plugin:actions");
    assertTrue(actions.out().contains("hello-node:greet"), actions::toString);
    Result bad = dist.fails("hello-node:greet");
    assertTrue(bad.err().contains("name"), () -> "a call without the required name fails, naming it\n" + bad);
    dist.ok("external:uninstall hello-node");
    assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("server.mjs")),
        "no node process is left");
  }
}
