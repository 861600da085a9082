package io.dockevos.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/dockevos mcp}'s bridge against a real control socket: bytes go both ways unchanged, the
 * session ends when the bridge's stdin closes, and a stream nothing serves is an error that says so.
 */
class StdioBridgeTest {
  @TempDir Path dir;

  /** Serves the stream "mcp" by answering each line in upper case, until its input ends. */
  private static ControlServer.Stream upperCase(List<String> users) {
    return (user, in, out) -> {
      users.add(user);
      java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        out.write((line.toUpperCase(java.util.Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    };
  }

  private ControlServer server(ControlServer.Streams streams) throws IOException {
    return ControlServer.open(dir.resolve("dockevos.sock"), (command, user, out, err) -> {
      throw new AssertionError("no command expected: " + command);
    }, streams, ControlServer.Limits.DEFAULT);
  }

  @Test
  void linesGoBothWaysAndTheBridgeEndsWhenItsStdinCloses() throws IOException {
    List<String> users = new CopyOnWriteArrayList<>();
    try (ControlServer cs = server(name -> name.equals("mcp") ? upperCase(users) : null)) {
      InputStream stdin = new ByteArrayInputStream("{\"id\":1}\n{\"id\":2}\n".getBytes(StandardCharsets.UTF_8));
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      long start = System.nanoTime();
      int exit = StdioBridge.run(dir.resolve("dockevos.sock"), "mcp", stdin, stdout, new PrintStream(stderr, true));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(0, exit, stderr::toString);
      assertEquals("{\"ID\":1}\n{\"ID\":2}\n", stdout.toString(StandardCharsets.UTF_8));
      assertEquals(List.of(System.getProperty("user.name")), users, "the peer's user");
      assertTrue(millis < StdioBridge.LINGER_SECONDS * 1000, "ended with the session, not at the linger: " + millis);
    }
  }

  @Test
  void aStreamThatNothingServesIsAnErrorNamingTheFeature() throws IOException {
    try (ControlServer cs = server(name -> null)) {
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      int exit = StdioBridge.run(dir.resolve("dockevos.sock"), "mcp", InputStream.nullInputStream(),
          OutputStream.nullOutputStream(), new PrintStream(stderr, true));
      assertEquals(1, exit);
      String err = stderr.toString(StandardCharsets.UTF_8);
      assertTrue(err.contains("Nothing in this dockevOS serves 'mcp'") && err.contains("feature:install dockevos-mcp"),
          err);
    }
  }

  @Test
  void withoutASocketTheBridgeSaysTheRuntimeIsNotRunning() {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit = StdioBridge.run(dir.resolve("none.sock"), "mcp", InputStream.nullInputStream(),
        OutputStream.nullOutputStream(), new PrintStream(stderr, true));
    assertEquals(3, exit);
    assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("dockevOS is not running"), stderr::toString);
  }
}
