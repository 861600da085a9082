package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/dockevos start | stop | status | client | run} of the unpacked distribution, run as
 * real processes. The tests share one unpacked distribution; each one first brings the instance
 * into the state it needs (running or not).
 */
class CommandLineIT extends UnpackedDistribution {

  @Test
  void startStatusClientStop() {
    dist.ensureStopped();
    long pid = dist.start();
    assertTrue(Distribution.alive(pid), "the PID that start printed runs");
    assertEquals(pid, dist.pid(), "data/dockevos.pid holds the PID that start printed");

    Result status = dist.dockevos("status");
    assertEquals(0, status.exit(), () -> "status while running\n" + status);
    assertTrue(status.out().contains("running"), () -> "status says it is running\n" + status);

    dist.assertBootBundlesActive();

    Result stop = dist.dockevos("stop");
    assertEquals(0, stop.exit(), () -> "stop\n" + stop);
    assertFalse(Distribution.alive(pid), "stop returns once the JVM is gone");
    Result after = dist.dockevos("status");
    assertEquals(1, after.exit(), () -> "status after stop\n" + after);
    assertFalse(Files.exists(dist.data().resolve("dockevos.sock"), LinkOption.NOFOLLOW_LINKS), "stop removes the socket");
    assertFalse(Files.exists(dist.data().resolve("dockevos.pid")), "stop removes the PID file");
  }

  @Test
  void failingCommandExitsOneAndNamesTheCommand() {
    dist.ensureStarted();
    Result r = dist.client("nosuchcommand");
    assertEquals(1, r.exit(), () -> "a command that does not exist\n" + r);
    assertTrue(r.all().contains("nosuchcommand"), () -> "the error names the command\n" + r);
    assertEquals(0, dist.dockevos("status").exit(), "a failed command leaves the instance running");
  }

  @Test
  void bundleCommandShowsOneBundle() {
    dist.ensureStarted();
    BundleRow core = BundleRow.find(dist.bundles(), "io.dockevos.core").orElseThrow();
    Result r = dist.client("bundle " + core.id());
    assertEquals(0, r.exit(), () -> "bundle <id>\n" + r);
    assertTrue(r.out().matches("(?s).*SymbolicName\\s+io\\.dockevos\\.core\\R.*"), () -> "bundle shows the symbolic name\n" + r);
  }

  @Test
  void clientWithoutAnInstanceExitsThree() {
    dist.ensureStopped();
    Result r = dist.client("lb");
    assertEquals(3, r.exit(), () -> "client when nothing runs\n" + r);
    assertTrue(r.err().contains("not running"), () -> "client says that dockevOS is not running\n" + r);
  }

  @Test
  void secondStartSaysAlreadyRunning() {
    long pid = dist.ensureStarted();
    Result again = dist.dockevos("start");
    assertTrue(again.all().contains("already running"), () -> "a second start\n" + again);
    assertTrue(again.all().contains(Long.toString(pid)), () -> "it names the running PID " + pid + "\n" + again);
    assertEquals(pid, dist.pid(), "the first instance still owns data/dockevos.pid");
    assertTrue(Distribution.alive(pid), "the first instance still runs");
    dist.assertBootBundlesActive();
  }

  @Test
  void worksFromAnotherDirectoryAndThroughSymlinks() throws IOException {
    dist.ensureStopped();
    Path elsewhere = Files.createDirectories(dist.root().resolve("elsewhere"));

    Result start = dist.dockevosIn(elsewhere, "start");
    assertEquals(0, start.exit(), () -> "start from another directory\n" + start);
    assertFalse(Files.exists(elsewhere.resolve("data")), "nothing is written to the working directory");
    assertTrue(Files.isRegularFile(dist.data().resolve("dockevos.pid")), "the instance keeps its PID file under the home");
    assertEquals(0, dist.dockevosIn(Path.of("/"), "status").exit(), "status from /");
    Result stop = dist.dockevosIn(elsewhere, "stop");
    assertEquals(0, stop.exit(), () -> "stop from another directory\n" + stop);

    // /usr/local/bin/dockevos -> /opt/dockevos/bin/dockevos, and a relative link to that link.
    Path links = Files.createDirectories(dist.root().resolve("links"));
    Path absolute = Files.createSymbolicLink(links.resolve("dockevos"), dist.script());
    Path chain = Files.createDirectories(dist.root().resolve("chain"));
    Path relative = Files.createSymbolicLink(chain.resolve("dvos"), chain.relativize(absolute));

    Result viaLink = dist.run(elsewhere, absolute, "start");
    assertEquals(0, viaLink.exit(), () -> "start through a symlink\n" + viaLink);
    assertTrue(Files.isRegularFile(dist.data().resolve("dockevos.pid")), "the symlink finds the real home");
    assertFalse(Files.exists(dist.root().resolve("data")), "the home is where the link points, not the link's parent");
    Result lb = dist.run(Path.of("/"), relative, "client", "lb");
    assertEquals(0, lb.exit(), () -> "client through a relative symlink to a symlink\n" + lb);
    assertTrue(lb.out().contains("dockevOS core"), () -> "lb through the link lists the bundles\n" + lb);
    Result stopViaLink = dist.run(chain, relative, "stop");
    assertEquals(0, stopViaLink.exit(), () -> "stop through a relative symlink\n" + stopViaLink);
    assertEquals(1, dist.run(chain, relative, "status").exit(), "status through the link after stop");
  }

  @Test
  void controlSocketIsOwnerOnlyAndNoTcpPortListens() throws IOException {
    long pid = dist.ensureStarted();
    Path socket = dist.data().resolve("dockevos.sock");
    int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    assertEquals(0140000, mode & 0170000, "data/dockevos.sock is a Unix domain socket");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)),
        "only the owner may open the control socket");

    Set<String> ownSockets = socketInodes(pid);
    assertFalse(ownSockets.isEmpty(), "the JVM holds sockets (at least the control socket), so the check below sees them");
    Set<String> listening = new HashSet<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table);
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
          String[] f = line.trim().split("\\s+");
          // sl local rem st ... inode: st 0A is LISTEN, the inode is the tenth column.
          if (f.length > 9 && f[3].equals("0A")) {
            listening.add(f[9] + " (" + table + " " + f[1] + ")");
          }
        }
      }
    }
    List<String> ours = listening.stream().filter(l -> ownSockets.contains(l.substring(0, l.indexOf(' ')))).toList();
    assertEquals(List.of(), ours, "TCP sockets that the dockevOS JVM listens on (inode, table, local address in hex)");
  }

  /** @return the inode of every socket that the process has open */
  private static Set<String> socketInodes(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    Pattern socket = Pattern.compile("socket:\\[(\\d+)]");
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Matcher m = socket.matcher(Files.readSymbolicLink(fd).toString());
          if (m.matches()) {
            inodes.add(m.group(1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while listing
        }
      }
    }
    return inodes;
  }

  @Test
  void runExecutesOneCommandWithoutAnInstance() {
    dist.ensureStopped();
    Result lb = dist.dockevos("run", "-c", "lb");
    assertEquals(0, lb.exit(), () -> "run -c lb\n" + lb);
    assertTrue(lb.out().contains("START LEVEL") && lb.out().contains("dockevOS core"), () -> "run -c lb prints the bundle list\n" + lb);
    long active = lb.out().lines().filter(l -> l.matches("\\s*\\d+\\|Active\\s*\\|.*")).count();
    assertEquals(dist.bootBundles().size() + 1, active, () -> "every boot bundle and the system bundle are Active\n" + lb);

    Result bad = dist.dockevos("run", "-c", "nosuch");
    assertNotEquals(0, bad.exit(), () -> "run -c with a command that does not exist\n" + bad);
    assertTrue(bad.all().contains("nosuch"), () -> "the error names the command\n" + bad);

    assertAll("run leaves no instance behind",
        () -> assertEquals(1, dist.dockevos("status").exit(), "status after run"),
        () -> assertFalse(Files.exists(dist.data().resolve("dockevos.sock"), LinkOption.NOFOLLOW_LINKS), "no socket"),
        () -> assertFalse(Files.exists(dist.data().resolve("dockevos.pid")), "no PID file"));
  }

  /** Scripts read what {@code run -c} prints: nothing else may be mixed into standard output. */
  @Test
  void runPrintsOnlyWhatTheCommandPrints() {
    dist.ensureStopped();
    Result r = dist.dockevos("run", "-c", "lb -s");
    assertEquals(0, r.exit(), () -> "run -c 'lb -s'\n" + r);
    List<String> foreign = r.out().lines()
        .filter(l -> !l.isBlank() && !l.startsWith("START LEVEL") && !l.matches("\\s*ID\\|State.*") && !l.matches("\\s*\\d+\\|.*"))
        .toList();
    assertEquals(List.of(), foreign.stream().limit(5).toList(),
        () -> foreign.size() + " lines on standard output of run -c 'lb -s' that are not the bundle list (the first 5 shown)");
  }

  @Test
  void startAfterKillDashNine() throws IOException {
    long pid = dist.ensureStarted();
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
    handle.destroyForcibly(); // SIGKILL: no shutdown hook runs, the PID file and the socket stay behind
    Await.until("pid " + pid + " is gone after SIGKILL", Duration.ofSeconds(20), () -> !Distribution.alive(pid));
    assertTrue(Files.exists(dist.data().resolve("dockevos.sock"), LinkOption.NOFOLLOW_LINKS)
        || Files.exists(dist.data().resolve("dockevos.pid")), "kill -9 leaves a stale PID file or socket for start to handle");

    Result status = dist.dockevos("status");
    assertEquals(1, status.exit(), () -> "status with a stale PID file\n" + status);
    Result client = dist.client("lb");
    assertEquals(3, client.exit(), () -> "client with a stale socket\n" + client);

    long again = dist.start();
    assertNotEquals(pid, again);
    assertEquals(0, dist.dockevos("status").exit(), "status after the restart");
    dist.assertBootBundlesActive();
  }

  /**
   * A user's machine has no local Maven repository: the distribution must boot from its own
   * {@code system/} folder. {@code user.home} points the launcher's fallback at an empty directory.
   */
  @Test
  void bootsFromItsOwnSystemFolderAlone() throws IOException {
    dist.ensureStopped();
    List<String> missing = dist.bootBundleIds(List.of("dockevos-core", "dockevos-shell", "dockevos-console")).stream()
        .filter(id -> !Files.isRegularFile(dist.systemFile(id))).toList();
    Path emptyUserHome = Files.createDirectories(dist.root().resolve("empty-user-home"));
    Result r = dist.run(dist.root(), Map.of("JAVA_OPTS", "-Duser.home=" + emptyUserHome), dist.script(), "run", "-c", "lb");
    assertAll("a machine without ~/.m2",
        () -> assertEquals(List.of(), missing, "boot bundles that system/ lacks"),
        () -> assertEquals(0, r.exit(), () -> "run -c lb without a local Maven repository\n" + r),
        () -> assertTrue(r.out().contains("dockevOS core"), () -> "it lists the bundles\n" + r));
  }

  @Test
  void zipArchiveRunsAsTheTarDoes() throws IOException {
    Path zip = Path.of(System.getProperty("dockevos.archive").replaceFirst("\\.tar\\.gz$", ".zip"));
    assertTrue(Files.isRegularFile(zip), "the build makes " + zip);
    Path unzipped = Files.createDirectories(dist.root().resolve("from-zip"));
    Result unzip = dist.exec(dist.root(), Duration.ofSeconds(60), List.of("unzip", "-q", zip.toString(), "-d", unzipped.toString()));
    assertEquals(0, unzip.exit(), () -> "unzip\n" + unzip);
    Path script;
    try (var tops = Files.list(unzipped)) {
      script = tops.findFirst().orElseThrow().resolve("bin/dockevos");
    }
    assertTrue(Files.isExecutable(script), "bin/dockevos is executable in the zip too");
    Result run = dist.exec(dist.root(), Distribution.COMMAND_TIMEOUT, List.of(script.toString(), "run", "-c", "lb"));
    assertEquals(0, run.exit(), () -> "run -c lb from the zip\n" + run);
    assertTrue(run.out().contains("dockevOS core"), () -> "it lists the bundles\n" + run);
  }

  @Test
  void logSaysReady() {
    dist.ensureStopped();
    int before = dist.logText().length();
    dist.start();
    assertTrue(Files.isRegularFile(dist.log()), "data/log/dockevos.log exists");
    String thisStart = dist.logText().substring(before);
    assertTrue(thisStart.contains("dockevOS ready in"),
        () -> "by the time bin/dockevos start returned, the log has 'dockevOS ready in'; this start logged:\n" + thisStart);
  }
}
