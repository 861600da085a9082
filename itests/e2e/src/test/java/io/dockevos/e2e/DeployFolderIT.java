package io.dockevos.e2e;

import static io.dockevos.test.tiny.TinyBundles.CHAIN;
import static io.dockevos.test.tiny.TinyBundles.FRAGMENT;
import static io.dockevos.test.tiny.TinyBundles.GOOD_1;
import static io.dockevos.test.tiny.TinyBundles.GOOD_2;
import static io.dockevos.test.tiny.TinyBundles.NEEDS_MISSING;
import static io.dockevos.test.tiny.TinyBundles.PROVIDES_MISSING;
import static io.dockevos.test.tiny.TinyBundles.REQUIRES_FUTURE_HOST;
import static io.dockevos.test.tiny.TinyBundles.REQUIRES_HOST;
import static io.dockevos.test.tiny.TinyBundles.THROWS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deploy folder of a running instance: files are dropped into {@code deploy/} as a user or a
 * copy tool would, and the outcome is read as a user reads it, from {@code bin/dockevos client},
 * from {@code deploy/<file>.failed} and from {@code data/log/dockevos.log}.
 */
class DeployFolderIT extends UnpackedDistribution {
  private static final String GOOD = "io.dockevos.test.good";
  private static final String NEEDS_MISSING_BSN = "io.dockevos.test.needsmissing";
  private static final String REQUIRES_HOST_BSN = "io.dockevos.test.requireshost";
  /** "ACTIVE within a few seconds", with room for a loaded 2-core machine. */
  private static final Duration ACT = Duration.ofSeconds(10);
  /** A broken jar is reported once it has stopped changing for a moment. */
  private static final Duration REPORT = Duration.ofSeconds(30);

  @BeforeAll
  static void startInstance() {
    dist.start();
  }

  /** Empties deploy/ and waits for the test bundles to go; uninstalls any that stay, so the next test starts clean. */
  @AfterEach
  void emptyDeployFolder() throws IOException {
    try (Stream<Path> files = Files.list(dist.deploy())) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("README")) {
          Files.deleteIfExists(f);
        }
      }
    }
    try {
      Await.until("the test bundles are uninstalled after deploy/ was emptied", ACT, this::testBundles, List::isEmpty);
    } catch (AssertionError stayed) {
      for (BundleRow row : testBundles()) {
        dist.client("felix:uninstall " + row.id());
      }
    }
    try (Stream<Path> files = Files.list(dist.deploy())) {
      for (Path f : files.filter(f -> f.toString().endsWith(".failed")).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  private List<BundleRow> testBundles() {
    return dist.bundles().stream().filter(r -> r.symbolicName().startsWith("io.dockevos.test.")).toList();
  }

  @Test
  void jarRenamedIntoPlaceStarts() {
    drop(GOOD_1, "good.jar");
    BundleRow good = awaitActive(GOOD);
    assertEquals("1.0.0", good.version());
    assertFalse(Files.exists(marker("good.jar")), "no good.jar.failed for a good jar");
  }

  /** A copy that writes the jar in chunks, with pauses, is never picked up half-written. */
  @Test
  void slowCopyIsNotPickedUpHalfWritten() throws IOException {
    byte[] jar = bytes(GOOD_1);
    Path target = dist.deploy().resolve("slow.jar");
    int chunk = Math.max(64, jar.length / 10);
    try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int at = 0; at < jar.length; at += chunk) {
        out.write(ByteBuffer.wrap(jar, at, Math.min(chunk, jar.length - at)));
        out.force(false);
        assertFalse(Files.exists(marker("slow.jar")), () -> "slow.jar.failed appeared while the jar was being written:\n" + read(marker("slow.jar")));
        Await.sleep(150);
      }
    }
    Await.until("slow.jar's bundle is Active, and slow.jar.failed never appears", ACT, () -> {
      assertFalse(Files.exists(marker("slow.jar")), () -> "slow.jar.failed appeared:\n" + read(marker("slow.jar")));
      return BundleRow.find(dist.bundles(), GOOD).map(BundleRow::active).orElse(false);
    });
    assertFalse(Files.exists(marker("slow.jar")), "no slow.jar.failed once the copy is complete");
    assertEquals(List.of(), errorLines("slow.jar"), "no ERROR about slow.jar in the log");
  }

  @Test
  void replacedJarIsUpdated() {
    drop(GOOD_1, "good.jar");
    BundleRow v1 = awaitActive(GOOD);
    assertEquals("1.0.0", v1.version());

    drop(GOOD_2, "good.jar");
    BundleRow v2 = Await.until("lb -s shows " + GOOD + " 2.0.0 Active", ACT,
        () -> BundleRow.find(dist.bundles(), GOOD), r -> r.isPresent() && r.get().active() && r.get().version().equals("2.0.0"))
        .orElseThrow();
    assertEquals(v1.id(), v2.id(), "the bundle is updated in place, keeping its id");
    Result bundle = dist.client("bundle " + v2.id());
    assertTrue(bundle.out().matches("(?s).*\\bVersion\\s+2\\.0\\.0\\R.*"), () -> "bundle <id> shows Version 2.0.0\n" + bundle);
  }

  @Test
  void deletedJarIsUninstalled() throws IOException {
    drop(GOOD_1, "good.jar");
    awaitActive(GOOD);
    Files.delete(dist.deploy().resolve("good.jar"));
    Await.until(GOOD + " is gone from lb -s", ACT, () -> BundleRow.find(dist.bundles(), GOOD), Optional::isEmpty);
  }

  @Test
  void cfgFileBecomesAConfiguration() {
    dropBytes("# dropped by the e2e tests\ngreeting = hi\n".getBytes(StandardCharsets.UTF_8), "my.pid.cfg");
    Result config = Await.until("config:get my.pid shows greeting = hi", ACT, () -> dist.client("config:get my.pid"),
        r -> r.exit() == 0 && r.out().matches("(?s).*\\bgreeting\\s*=\\s*hi\\b.*"));
    assertTrue(config.out().contains("my.pid"), () -> "config:get names the PID\n" + config);
    assertFalse(Files.exists(marker("my.pid.cfg")), "no my.pid.cfg.failed");

    dropBytes("greeting = hello\n".getBytes(StandardCharsets.UTF_8), "my.pid.cfg");
    Await.until("editing my.pid.cfg updates the configuration", ACT, () -> dist.client("config:get my.pid"),
        r -> r.exit() == 0 && r.out().matches("(?s).*\\bgreeting\\s*=\\s*hello\\b.*"));

    try {
      Files.delete(dist.deploy().resolve("my.pid.cfg"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Await.until("deleting my.pid.cfg deletes the configuration", ACT, () -> dist.client("config:get my.pid"),
        r -> r.exit() == 1 && r.err().contains("no configuration with PID my.pid"));
  }

  /** A file name with filter characters: its configuration is found again by its file, and deleted with it. */
  @Test
  void aConfigurationWhoseFileNameHasParenthesesGoesWithItsFile() throws IOException {
    dropBytes("greeting = hi\n".getBytes(StandardCharsets.UTF_8), "paren(1).cfg");
    Await.until("config:get 'paren(1)' shows greeting = hi", ACT, () -> dist.client("config:get 'paren(1)'"),
        r -> r.exit() == 0 && r.out().matches("(?s).*\\bgreeting\\s*=\\s*hi\\b.*"));
    Files.delete(dist.deploy().resolve("paren(1).cfg"));
    Await.until("deleting paren(1).cfg deletes its configuration", ACT, () -> dist.client("config:get 'paren(1)'"),
        r -> r.exit() == 1 && r.err().contains("no configuration with PID paren(1)"));
  }

  /**
   * Issue 17, row 17: a file whose marker name would be too long for the file system (255 bytes) gets
   * no marker; the log and an incident say why it failed, and that the marker could not be written.
   */
  @Test
  void aFileWhoseMarkerCannotBeNamedIsStillAnIncident() throws IOException {
    String name = "a".repeat(247) + ".jar"; // 251 bytes: with ".failed", 258
    Path temp = Files.writeString(dist.root().resolve("long-name.part"), "not a zip"); // (a longer temp name fails)
    Files.move(temp, dist.deploy().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    String incidents = Await.until("an incident names deploy/" + name.substring(0, 20) + "...", REPORT,
        () -> dist.ok("error:list --json").out(), out -> out.contains(name));
    assertTrue(incidents.contains("is not a valid jar"), incidents);
    assertFalse(Files.exists(dist.deploy().resolve(name + ".failed")), "no marker: its name is too long");
    Result log = dist.ok("log:tail -n 200");
    assertTrue(log.out().contains(name) && log.out().contains("cannot be written: its name would be 258 bytes long"),
        "the log says why there is no marker");
  }

  /** Issue 17, rows 4 and 18: JSON that ends early is said to, and a .cfg of binary junk is no configuration. */
  @Test
  void aConfigurationThatEndsEarlyOrIsNotTextGetsAMarkerThatSaysSo() {
    dropBytes("{\n  \"a\": 1,\n  \"b\": \"x\",\n".getBytes(StandardCharsets.UTF_8), "early.pid.json");
    String early = awaitMarker("early.pid.json");
    assertTrue(early.contains("not valid JSON: it ends early, after line 3"), () -> "early.pid.json.failed:\n" + early);

    byte[] junk = new byte[300];
    new java.util.Random(17).nextBytes(junk);
    junk[10] = 0;
    dropBytes(junk, "junk.pid.cfg");
    String why = awaitMarker("junk.pid.cfg");
    assertTrue(why.contains("it is not text: line"), () -> "junk.pid.cfg.failed:\n" + why);
    Result r = dist.client("config:get junk.pid");
    assertEquals(1, r.exit(), () -> "no configuration of junk\n" + r);
  }

  @Test
  void brokenJsonConfigurationIsReportedWithItsLineAndFixed() {
    dropBytes("{\n  \"greeting\": \"hi\",\n  \"count:Integer\": \n}\n".getBytes(StandardCharsets.UTF_8), "json.pid.json");
    String why = awaitMarker("json.pid.json");
    assertTrue(why.contains("line 4"), () -> "the marker names the line where the JSON breaks:\n" + why);

    dropBytes("{ \"greeting\": \"hi\", \"count:Integer\": 3 }".getBytes(StandardCharsets.UTF_8), "json.pid.json");
    awaitNoMarker("json.pid.json");
    Result config = Await.until("config:get json.pid shows the typed values", ACT, () -> dist.client("config:get json.pid"),
        r -> r.exit() == 0 && r.out().contains("count = 3") && r.out().contains("greeting = hi"));
    assertTrue(config.out().contains("json.pid"), () -> "config:get names the PID\n" + config);
  }

  @Test
  void corruptJarIsReportedAndFixedByAGoodOne() {
    long bystander = bystander();
    byte[] random = new byte[4096];
    new Random(42).nextBytes(random);
    dropBytes(random, "corrupt.jar");
    awaitMarker("corrupt.jar");
    assertRuntimeUp(bystander);

    drop(GOOD_1, "corrupt.jar");
    awaitNoMarker("corrupt.jar");
    awaitActive(GOOD);
  }

  @Test
  void truncatedJarIsReportedAndFixedByAGoodOne() {
    long bystander = bystander();
    byte[] jar = bytes(GOOD_1);
    dropBytes(Arrays.copyOf(jar, jar.length / 2), "truncated.jar");
    awaitMarker("truncated.jar");
    assertRuntimeUp(bystander);

    drop(GOOD_1, "truncated.jar");
    awaitNoMarker("truncated.jar");
    awaitActive(GOOD);
  }

  @Test
  void unresolvableBundleNamesTheMissingPackage() {
    long bystander = bystander();
    drop(NEEDS_MISSING, "needs-missing.jar");
    String why = awaitMarker("needs-missing.jar");
    assertTrue(why.contains("io.dockevos.test.missing"), () -> "needs-missing.jar.failed names the missing package:\n" + why);
    assertRuntimeUp(bystander);

    drop(PROVIDES_MISSING, "provides-missing.jar");
    awaitNoMarker("needs-missing.jar");
    awaitActive(NEEDS_MISSING_BSN);
  }

  @Test
  void throwingActivatorIsReportedAndFixedByAGoodJar() {
    long bystander = bystander();
    drop(THROWS, "throws.jar");
    String why = awaitMarker("throws.jar");
    assertTrue(why.contains("tiny bundle refuses to start"), () -> "throws.jar.failed gives the activator's reason:\n" + why);
    assertRuntimeUp(bystander);

    drop(GOOD_1, "throws.jar");
    awaitNoMarker("throws.jar");
    awaitActive(GOOD);
  }

  @Test
  void pluginForThisHostStarts() {
    drop(REQUIRES_HOST, "requires-host.jar");
    awaitActive(REQUIRES_HOST_BSN);
    assertFalse(Files.exists(marker("requires-host.jar")), "no requires-host.jar.failed");
  }

  @Test
  void pluginForAFutureHostIsReported() {
    long bystander = bystander();
    drop(REQUIRES_FUTURE_HOST, "requires-future-host.jar");
    String why = awaitMarker("requires-future-host.jar");
    assertTrue(why.contains("dockevOS host [99,") && why.contains("this host is 0.1.0"),
        () -> "requires-future-host.jar.failed names the host requirement:\n" + why);
    assertRuntimeUp(bystander);
  }

  /**
   * Twelve bundles that import each other's packages, dropped at once in reverse dependency order
   * (the last link first): they are planned together, so none is ever reported as missing a
   * package that another file of the same drop provides.
   */
  @Test
  void twelveBundlesThatNeedEachOtherDroppedAtOnceAllStart() throws IOException {
    int logBefore = dist.logText().length();
    List<Path> temps = new ArrayList<>();
    for (int k = CHAIN.size() - 1; k >= 0; k--) {
      Path temp = dist.deploy().resolve("." + CHAIN.get(k) + ".part");
      Files.write(temp, bytes(CHAIN.get(k)));
      temps.add(temp);
    }
    for (Path temp : temps) {
      String name = temp.getFileName().toString();
      Files.move(temp, dist.deploy().resolve(name.substring(1, name.length() - ".part".length())),
          StandardCopyOption.ATOMIC_MOVE);
    }
    Await.until("the twelve chain bundles are Active in lb -s", ACT, () -> dist.bundles().stream()
        .filter(r -> r.symbolicName().startsWith("io.dockevos.test.chain") && r.active()).count() == CHAIN.size());
    for (String jar : CHAIN) {
      assertFalse(Files.exists(marker(jar)), () -> jar + ".failed exists:\n" + read(marker(jar)));
    }
    List<String> errors = dist.logText().substring(logBefore).lines()
        .filter(l -> l.contains("ERROR") && (l.contains("chain-") || l.contains("io.dockevos.test.chain"))).toList();
    assertEquals(List.of(), errors, "no ERROR about the chain bundles in the log");
  }

  /** A bundle whose provider comes in a later drop is reported, then starts by itself once the provider is there. */
  @Test
  void aBundleWhoseProviderComesLaterStartsWhenItComes() {
    drop(CHAIN.get(1), "chain-02.jar");
    String why = awaitMarker("chain-02.jar");
    assertTrue(why.contains("io.dockevos.test.chain.p01"), () -> "chain-02.jar.failed names the missing package:\n" + why);
    assertTrue(BundleRow.find(dist.bundles(), "io.dockevos.test.chain02").isEmpty(),
        "a bundle that cannot resolve is not installed: the pipeline refuses it");

    drop(CHAIN.get(0), "chain-01.jar");
    awaitActive("io.dockevos.test.chain02");
    awaitNoMarker("chain-02.jar");
    assertFalse(Files.exists(marker("chain-01.jar")), "no chain-01.jar.failed");
  }

  /** A fragment whose host is not installed is reported, naming the host. */
  @Test
  void aFragmentWithoutItsHostNamesTheHost() {
    long bystander = bystander();
    drop(FRAGMENT, "fragment.jar");
    String why = awaitMarker("fragment.jar");
    assertTrue(why.contains("io.dockevos.test.fragmenthost"), () -> "fragment.jar.failed names the missing host:\n" + why);
    assertRuntimeUp(bystander);
  }

  /**
   * The runtime is killed (SIGKILL) while twenty jars are being dropped, and started again: every
   * jar ends Active or with a marker (none is left installed and silent), and the runtime's JSON
   * files under data/ are whole.
   */
  @Test
  void killDuringABurstOfJarsLeavesEachActiveOrMarked() throws Exception {
    int n = 20;
    List<Path> temps = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Path temp = dist.deploy().resolve(String.format(".burst-%02d.jar.part", k));
      Files.write(temp, TinyBundles.renamed(GOOD_1, String.format("io.dockevos.test.burst%02d", k)));
      temps.add(temp);
    }
    long pid = dist.pid();
    for (int k = 0; k < n; k++) {
      Files.move(temps.get(k), dist.deploy().resolve(String.format("burst-%02d.jar", k)), StandardCopyOption.ATOMIC_MOVE);
      if (k == n / 2) {
        Await.sleep(40); // the first plan is under way
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      } else {
        Await.sleep(5);
      }
    }
    Await.until("pid " + pid + " is gone after SIGKILL", Duration.ofSeconds(20), () -> !Distribution.alive(pid));
    dist.start();
    Await.until("each burst jar is Active or has a marker", Duration.ofSeconds(30), () -> {
      List<BundleRow> rows = dist.bundles();
      for (int k = 0; k < n; k++) {
        String bsn = String.format("io.dockevos.test.burst%02d", k);
        boolean active = BundleRow.find(rows, bsn).map(BundleRow::active).orElse(false);
        if (!active && !Files.exists(marker(String.format("burst-%02d.jar", k)))) {
          return false;
        }
      }
      return true;
    });
    List<String> notActive = new ArrayList<>();
    List<BundleRow> rows = dist.bundles();
    for (int k = 0; k < n; k++) {
      String bsn = String.format("io.dockevos.test.burst%02d", k);
      if (!BundleRow.find(rows, bsn).map(BundleRow::active).orElse(false)) {
        notActive.add(bsn + ": " + read(marker(String.format("burst-%02d.jar", k))));
      }
    }
    assertEquals(List.of(), notActive, "twenty good jars are all Active after the restart");
    dist.assertRegistryAgreesWithFramework();
    dist.assertJsonFilesParse();
  }

  // --- helpers ---

  /** A bundle that must stay Active while another file fails: returns its id. */
  private long bystander() {
    drop(REQUIRES_HOST, "bystander.jar");
    return awaitActive(REQUIRES_HOST_BSN).id();
  }

  /** The runtime stays up: status 0, every boot bundle Active, and the bystander Active with the same id. */
  private void assertRuntimeUp(long bystander) {
    assertEquals(0, dist.dockevos("status").exit(), "status after a failed file");
    dist.assertBootBundlesActive();
    Optional<BundleRow> row = BundleRow.find(dist.bundles(), REQUIRES_HOST_BSN);
    assertTrue(row.isPresent() && row.get().active() && row.get().id() == bystander,
        () -> "the bystander bundle " + bystander + " is untouched: " + row);
  }

  /**
   * Waits for {@code deploy/<file>.failed}, checks that it explains itself in plain words and that
   * the log has an ERROR line naming the file.
   *
   * @return the marker's text
   */
  private String awaitMarker(String file) {
    Path marker = marker(file);
    Await.until("deploy/" + file + ".failed appears", REPORT, () -> Files.isRegularFile(marker));
    String why = Await.until("deploy/" + file + ".failed holds the cause", Duration.ofSeconds(5), () -> read(marker), s -> !s.isBlank());
    assertFalse(why.lines().anyMatch(l -> l.matches("\\s+at [\\w.$]+\\(.*")), () -> "the cause in plain words, not a stack trace:\n" + why);
    Await.until("an ERROR line naming " + file + " in data/log/dockevos.log", Duration.ofSeconds(5),
        () -> errorLines(file), lines -> !lines.isEmpty());
    return why;
  }

  private void awaitNoMarker(String file) {
    Await.until("deploy/" + file + ".failed is removed once the file is fixed", REPORT, () -> !Files.exists(marker(file)));
  }

  private BundleRow awaitActive(String bsn) {
    return Await.until(bsn + " is Active in lb -s", ACT, () -> BundleRow.find(dist.bundles(), bsn),
        r -> r.isPresent() && r.get().active()).orElseThrow();
  }

  private static Path marker(String file) {
    return dist.deploy().resolve(file + ".failed");
  }

  private static List<String> errorLines(String file) {
    return dist.logText().lines().filter(l -> l.contains("ERROR") && l.contains(file)).toList();
  }

  /** Drops a tiny bundle as a careful tool does: written under a temporary name in deploy/, then renamed. */
  private static void drop(String tiny, String as) {
    dropBytes(bytes(tiny), as);
  }

  private static void dropBytes(byte[] content, String as) {
    try {
      Path temp = dist.deploy().resolve("." + as + ".part");
      Files.write(temp, content);
      Files.move(temp, dist.deploy().resolve(as), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String tiny) {
    try (InputStream in = TinyBundles.open(tiny)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }
}
