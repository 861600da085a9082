package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.runner.Job;
import io.dockevos.runner.JobResult;
import io.dockevos.runner.Runner;
import io.dockevos.runner.RunnerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** The alternative's process runner, called as a service the way the other subsystems call it. */
@ExtendWith(ServiceExtension.class)
class ProcessRunnerTest {
  @InjectService(filter = "(runner.kind=process)")
  Runner runner;

  @TempDir
  Path dir;

  private static Job job(Duration timeout, String... command) {
    return new Job(List.of(command), Map.of(), null, Job.Limits.NONE, timeout, null);
  }

  @Test
  void streamsOutputWhileTheJobRunsAndReturnsItsExitCode() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    long[] firstLineAt = new long[1];
    long start = System.nanoTime();
    JobResult r = runner.run(job(Duration.ofSeconds(20), "sh", "-c", "echo one; echo oops >&2; sleep 1; echo two; exit 7"),
        (line, error) -> {
          if (lines.isEmpty()) {
            firstLineAt[0] = System.nanoTime() - start;
          }
          lines.add((error ? "err:" : "out:") + line);
        });
    long total = System.nanoTime() - start;
    assertEquals(7, r.exitCode());
    assertFalse(r.timedOut());
    assertEquals("process", r.runner());
    assertTrue(lines.containsAll(List.of("out:one", "err:oops", "out:two")), lines.toString());
    assertTrue(firstLineAt[0] < total - 500_000_000L, "the first line came before the job's 1 s sleep ended: "
        + firstLineAt[0] / 1_000_000 + " ms of " + total / 1_000_000);
    assertTrue(r.output().contains("one\n") && r.output().contains("two\n") && r.output().contains("oops\n"), r.output());
  }

  @Test
  void timeoutKillsTheJobAndItsChildren() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    JobResult r = runner.run(job(Duration.ofMillis(1500), "sh", "-c", "sleep 300 & echo child $!; sleep 300"),
        (line, error) -> lines.add(line));
    assertTrue(r.timedOut());
    assertEquals(-1, r.exitCode());
    assertTrue(r.duration().toMillis() < 10_000, "killed soon after its timeout: " + r.duration());
    long child = Long.parseLong(lines.get(0).replace("child ", "").strip());
    Await.until(() -> ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), alive -> !alive,
        "the background child " + child + " to be killed too");
  }

  @Test
  void passesOnlyTheWhitelistedEnvironmentAndTheJobsOwn() throws Exception {
    String outsider = System.getenv().keySet().stream()
        .filter(k -> !List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TERM", "USER", "LOGNAME", "TMPDIR").contains(k))
        .findFirst().orElseThrow(() -> new AssertionError("the test JVM has only whitelisted variables"));
    JobResult r = runner.run(new Job(List.of("env"), Map.of("JOB_VAR", "from the job"), null, Job.Limits.NONE,
        Duration.ofSeconds(20), null), null);
    assertEquals(0, r.exitCode());
    assertTrue(r.output().contains("JOB_VAR=from the job\n"), r.output());
    assertTrue(r.output().contains("PATH="), r.output());
    assertFalse(r.output().lines().anyMatch(l -> l.startsWith(outsider + "=")), outsider + " leaked: " + r.output());
  }

  @Test
  void runsInTheWorkingDirectory() throws Exception {
    Files.writeString(dir.resolve("marker.txt"), "here");
    JobResult r = runner.run(new Job(List.of("sh", "-c", "pwd; cat marker.txt"), Map.of(), dir.toString(), Job.Limits.NONE,
        Duration.ofSeconds(20), null), null);
    assertEquals(dir.toRealPath() + "\nhere\n", r.output());
  }

  @Test
  void appliesMemoryProcessAndCpuTimeLimitsWithPrlimit() throws Exception {
    JobResult r = runner.run(new Job(List.of("cat", "/proc/self/limits"), Map.of(), null,
        new Job.Limits(256L << 20, 0, 50), Duration.ofSeconds(20), null), null);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().lines().anyMatch(l -> l.matches("Max address space\\s+268435456\\s+268435456\\s+bytes\\s*")), r.output());
    assertTrue(r.output().lines().anyMatch(l -> l.matches("Max processes\\s+50\\s+50\\s+processes\\s*")), r.output());
    assertTrue(r.output().lines().anyMatch(l -> l.matches("Max cpu time\\s+20\\s+20\\s+seconds\\s*")), r.output());
  }

  @Test
  void aProgramThatIsNotThereCannotStart() {
    RunnerException e = assertThrows(RunnerException.class, () -> runner.run(Job.of("dockevos-no-such-program"), null));
    assertTrue(e.getMessage().contains("cannot start dockevos-no-such-program: no such program"), e.getMessage());
    e = assertThrows(RunnerException.class, () -> runner.run(new Job(List.of(), Map.of(), null, null, null, null), null));
    assertTrue(e.getMessage().contains("no command given"), e.getMessage());
  }

  @Test
  void aLineWithNoEndIsSplitIntoBoundedPiecesNotHeldWhole() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    // 3 MiB without a line end, then a short line: a job that never ends its line must not grow a buffer.
    JobResult r = runner.run(job(Duration.ofSeconds(30), "sh", "-c", "head -c 3145728 /dev/zero | tr '\\0' a; echo; echo end"),
        (line, error) -> lines.add(line));
    assertEquals(0, r.exitCode());
    String marker = " [line split: longer than 65536 characters]";
    assertTrue(lines.size() > 1, "split: " + lines.size() + " line(s)");
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < lines.size() - 1; i++) {
      String l = lines.get(i);
      assertTrue(l.length() <= 65536 + marker.length(), "line " + i + " has " + l.length() + " characters");
      joined.append(l.endsWith(marker) ? l.substring(0, l.length() - marker.length()) : l);
    }
    assertEquals("a".repeat(3 << 20), joined.toString(), "nothing lost, every piece but the last marked");
    assertEquals("end", lines.get(lines.size() - 1));
    assertTrue(r.output().length() <= (1 << 20) + 200, "the result keeps its bound: " + r.output().length());
  }
}
