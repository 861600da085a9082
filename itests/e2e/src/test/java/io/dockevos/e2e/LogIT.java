package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The log of a running instance: levels from etc/dockevos.log.cfg, and log:tail -f through the client. */
class LogIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @BeforeAll
  static void startInstance() {
    dist.start();
  }

  @Test
  void levelsInEtcApplyWhileRunningAndGoAwayWithTheirLine() throws IOException {
    Path cfg = dist.home().resolve("etc/dockevos.log.cfg");
    String original = Files.readString(cfg);
    Files.writeString(cfg, original + "level.io.dockevos.core = DEBUG\n");
    Await.until("log:level lists io.dockevos.core at DEBUG once etc/dockevos.log.cfg says so", WAIT,
        () -> dist.client("log:level"), r -> r.out().lines().anyMatch(l -> l.matches("io\\.dockevos\\.core\\s+DEBUG")));

    Files.writeString(cfg, original);
    Await.until("io.dockevos.core is no longer listed once its line is gone", WAIT,
        () -> dist.client("log:level"), r -> r.exit() == 0 && r.out().lines().noneMatch(l -> l.startsWith("io.dockevos.core")));
  }

  @Test
  void tailFollowsTheLogUntilTheClientGoesAway() throws Exception {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    Process follow = dist.launch(dist.root(), Map.of(), List.of(dist.script().toString(), "client", "log:tail -f -n 1"));
    Thread reader = new Thread(() -> {
      try (InputStream in = follow.getInputStream()) {
        in.transferTo(new SynchronizedStream(seen));
      } catch (IOException ignored) {
        // the process ended
      }
    });
    reader.start();

    Path temp = dist.deploy().resolve(".followed.jar.part");
    try (InputStream jar = TinyBundles.open(TinyBundles.GOOD_1)) {
      Files.copy(jar, temp);
    }
    Files.move(temp, dist.deploy().resolve("followed.jar"), StandardCopyOption.ATOMIC_MOVE);
    Await.until("log:tail -f prints the line logged when the dropped bundle starts", WAIT,
        () -> text(seen), out -> out.contains("Started io.dockevos.test.good"));

    // Ctrl-C in a terminal ends the client; the runtime then stops the command and carries on.
    follow.destroy();
    assertTrue(follow.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the client ends on SIGTERM");
    Result lb = dist.client("lb");
    assertEquals(0, lb.exit(), () -> "the runtime still answers after the follower went away\n" + lb);
    // Issue 15: the history calls it stopped by its user, not failed.
    Await.until("history records log:tail -f as interrupted", WAIT, () -> dist.client("history -s 'log:tail -f'"),
        r -> r.out().lines().anyMatch(l -> l.contains("| interrupted |") && l.contains("log:tail -f -n 1")));
    assertTrue(dist.client("history --failed").out().lines().noneMatch(l -> l.contains("log:tail -f")),
        "a command its user stopped is not among the failed ones");
    Files.delete(dist.deploy().resolve("followed.jar"));
  }

  /** Issue 15: one time format everywhere, ISO 8601 with the local offset (the log adds milliseconds). */
  @Test
  void everyTimeIsPrintedTheOneWay() throws IOException {
    String iso = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?[+-]\\d\\d:\\d\\d";
    Path temp = dist.deploy().resolve(".timed.json.part");
    Files.writeString(temp, "{\"a\": 1, b}\n");
    Files.move(temp, dist.deploy().resolve("com.example.timed.json"), StandardCopyOption.ATOMIC_MOVE);
    Path marker = dist.deploy().resolve("com.example.timed.json.failed");
    Await.until("the bad configuration gets its marker", WAIT, () -> Files.exists(marker));
    String failed = Files.readString(marker);
    assertTrue(failed.contains("unexpected character 'b'"), failed);
    assertTrue(java.util.regex.Pattern.compile("Seen at " + iso + "\\.").matcher(failed).find(), failed);

    Result errors = dist.client("error:list");
    assertTrue(errors.out().lines().anyMatch(l -> l.contains("com.example.timed.json") && l.matches(".*\\| " + iso + " \\|.*")),
        () -> "error:list\n" + errors);
    Result history = dist.client("history -n 2");
    assertTrue(history.out().lines().skip(1).allMatch(l -> l.matches(iso + " \\|.*")), () -> "history\n" + history);
    Result tail = dist.client("log:tail -n 3");
    assertTrue(tail.out().lines().allMatch(l -> l.matches(iso + " .*") || !l.matches("\\d{4}-.*")), () -> "log:tail\n" + tail);
    assertTrue(tail.out().lines().anyMatch(l -> l.matches(iso + " .*")), () -> "log:tail\n" + tail);

    Files.delete(dist.deploy().resolve("com.example.timed.json"));
    Await.until("the marker goes with its file", WAIT, () -> !Files.exists(marker));
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Writes under the lock of the target, which {@link #text} reads under. */
  private static final class SynchronizedStream extends java.io.OutputStream {
    private final ByteArrayOutputStream target;

    SynchronizedStream(ByteArrayOutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      synchronized (target) {
        target.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (target) {
        target.write(b, off, len);
      }
    }
  }

}
