package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dockevos.e2e.BadInputCases.Case;
import io.dockevos.e2e.BadInputCases.Way;
import io.dockevos.test.tiny.TinyBundles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of bad input (issue 17): well over 80 cases, listed in {@link BadInputCases}, across the
 * deploy folder (jars, configurations, features), {@code plugin:install} (files, {@code mvn:}
 * coordinates, URLs on a loopback server that fails in each way a server can), {@code
 * plugin:update}, {@code uninstall}, {@code start}, {@code stop}, the actions ({@code
 * plugin:execute}), the feature commands and repositories, the configuration commands, the shell
 * and the client itself.
 *
 * <p>One instance runs for the whole class, with two plugins installed and ACTIVE: the bystander
 * ({@code io.dockevos.test.good}) and the action plugin ({@code io.dockevos.test.action}). Each case
 * presents its input once, and asserts:
 *
 * <ul>
 *   <li>the answer (the client's standard error, or the deploy file's {@code .failed} marker) names
 *       the input and holds the words of its cause;
 *   <li>the runtime answers afterwards ({@code lb -s} through the client, exit status 0);
 *   <li>the framework's bundles (IDs, states, start levels, names, versions) are those before the
 *       case: every plugin's state is unchanged, and no bundle is left behind;
 *   <li>the files and folders under {@code data/} are those before the case, byte for byte, except
 *       {@link #CHANGING the paths that any input changes}; {@code deploy/} holds its README only
 *       once the bad file is deleted, and its marker goes with it.
 * </ul>
 *
 * <p>The instance downloads with small limits, as {@link SourcesIT}'s does: 2 MiB, nothing received
 * for 2 s, 6 s in all.
 */
class BadInputCorpusIT extends UnpackedDistribution {
  private static final Map<String, String> ENV = Map.of("JAVA_OPTS", "-Ddockevos.download.maxMiB=2"
      + " -Ddockevos.download.idleSeconds=2 -Ddockevos.download.deadlineSeconds=6");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String BYSTANDER = "io.dockevos.test.good";
  private static final String ACTION = "io.dockevos.test.action";

  /**
   * Paths under {@code data/} (prefixes) that change with any input, good or bad, and are therefore
   * left out of the comparison. Anything else that changes is something a bad input left behind.
   */
  private static final List<String> CHANGING = List.of(
      // dockevos.log and console.log: a refusal is logged, as it should be.
      "log/",
      // The incidents: a refused input is recorded as one (error:list).
      "errors/",
      // The system log: its events, history and metrics journals.
      "systemlog/",
      // Felix's next bundle ID: an install that is rolled back has used one.
      "cache/bundle0/bundle.id",
      // The indexes of the repositories outside the runtime (system/, the local Maven repository),
      // read again when they change.
      "plugins/repo/");
  /**
   * Folders under {@code data/} that are made, empty, at their first use and then stay: the folder
   * alone is left out.
   */
  private static final List<String> WORK_FOLDERS = List.of(
      // Where downloads are written while they come; what is in it is compared.
      "plugins/downloads/");

  private static Path inputs;
  private static HttpServer server;
  private static final Map<String, String> values = new TreeMap<>();
  /** Released after each case: the handler that holds its exchange open waits on it. */
  private static volatile CountDownLatch caseOver = new CountDownLatch(1);
  private static byte[] garbage;
  /** What the runtime was before the case: its bundles, and the files under data/. */
  private static List<BundleRow> rows;
  private static Map<String, String> files;

  @BeforeAll
  static void startInstance() throws IOException {
    Path jars = Files.createDirectories(dist.root().resolve("jars"));
    for (String name : TinyBundles.ALL) {
      TinyBundles.copyTo(name, jars);
    }
    inputs = Files.createDirectories(dist.root().resolve("inputs"));
    garbage = BadInputCases.random(4096, 42).get();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", BadInputCorpusIT::handle);
    server.start();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort(); // closed again: nothing listens there
    }
    values.put("${jars}", jars.toString());
    values.put("${home}", dist.home().toString());
    values.put("${base}", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
    values.put("${closed}", "http://127.0.0.1:" + closedPort + "/");
    values.put("${garbageSha}", sha256(garbage));

    dist.start(ENV);
    assertTrue(dist.ok("plugin:install " + jars.resolve(TinyBundles.GOOD_1)).out().contains("ACTIVE"));
    assertTrue(dist.ok("plugin:install " + jars.resolve(TinyBundles.ACTION)).out().contains("ACTIVE"));
    // A jar that comes and goes through deploy/ first, so that what the folder keeps exists before the first case.
    Files.copy(jars.resolve(TinyBundles.PROVIDES_MISSING), dist.deploy().resolve(".warm.part"));
    Files.move(dist.deploy().resolve(".warm.part"), dist.deploy().resolve("warm.jar"), StandardCopyOption.ATOMIC_MOVE);
    Await.until("the warm-up jar is Active", WAIT, () -> BundleRow.find(dist.bundles(),
        "io.dockevos.test.providesmissing").map(BundleRow::active).orElse(false));
    Files.delete(dist.deploy().resolve("warm.jar"));
    Await.until("the warm-up jar is gone", WAIT, () -> BundleRow.find(dist.bundles(),
        "io.dockevos.test.providesmissing").isEmpty());
    rows = dist.bundles();
    values.put("${actionId}", Long.toString(BundleRow.find(rows, ACTION).orElseThrow().id()));
    assertTrue(BundleRow.find(rows, BYSTANDER).map(BundleRow::active).orElse(false), "the bystander is Active");
    files = Await.until("data/ is still", WAIT, BadInputCorpusIT::settledData, Objects::nonNull);
  }

  @AfterAll
  static void stopServer() {
    caseOver.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  static List<Case> cases() {
    return BadInputCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedNamingItsInputAndCauseAndLeavesNothingBehind(Case c) throws IOException {
    caseOver = new CountDownLatch(1);
    try {
      String answer = present(c);
      String input = resolve(c.input());
      assertTrue(answer.contains(input), () -> "the answer names the input '" + input + "'\n" + answer);
      for (String cause : c.causes()) {
        String words = resolve(cause);
        assertTrue(answer.contains(words), () -> "the answer says '" + words + "'\n" + answer);
      }
      List<String> allowed = new ArrayList<>(CHANGING);
      c.changes().forEach(p -> allowed.add(resolve(p)));
      List<BundleRow> before = rows;
      Await.until("the bundles are those before the case (the runtime answers lb -s)", Duration.ofSeconds(30),
          dist::bundles, r -> r.equals(before));
      try (Stream<Path> s = Files.list(dist.deploy())) {
        assertEquals(List.of("README"), s.map(p -> p.getFileName().toString()).toList(),
            "deploy/ holds its README only");
      }
      Map<String, String> expected = without(files, allowed);
      Await.until("data/ is as it was before the case (left behind, gone or changed)", Duration.ofSeconds(20),
          () -> difference(expected, without(snapshot(), allowed)), String::isEmpty);
    } finally {
      caseOver.countDown();
      // The next case is judged against what the runtime is now, whatever this one did.
      rows = dist.bundles();
      files = snapshot();
    }
  }

  /** Presents the input as the case says, and returns the answer. */
  private static String present(Case c) throws IOException {
    Path file = null;
    if (c.file() != null && c.way() != Way.DEPLOY) {
      file = Files.write(inputs.resolve(c.file()), c.content().get());
      values.put("${file}", file.toString());
    }
    try {
      switch (c.way()) {
        case CLIENT -> {
          Result r = dist.client(resolve(c.command()));
          assertEquals(1, r.exit(), () -> "the command fails with exit status 1\n" + r);
          assertTrue(r.err().startsWith("Error: "), () -> "the client prints the error\n" + r);
          return r.err();
        }
        case USAGE -> {
          // Its words are the client's arguments, which it joins with spaces.
          List<String> args = new ArrayList<>(List.of("client"));
          args.addAll(List.of(c.command().split(" ", -1)));
          Result r = dist.dockevos(args.toArray(String[]::new));
          assertEquals(2, r.exit(), () -> "the client refuses it with exit status 2\n" + abbreviated(r));
          return r.err();
        }
        case DEPLOY -> {
          return deploy(c.file(), c.content().get());
        }
        default -> throw new AssertionError(c.way());
      }
    } finally {
      if (file != null) {
        Files.delete(file);
      }
    }
  }

  /**
   * Drops the file into deploy/ as a careful tool does (written under a hidden name, then renamed),
   * waits for its marker, then deletes the file and waits for the marker to go.
   *
   * @return what the marker said
   */
  private static String deploy(String name, byte[] content) throws IOException {
    Path temp = dist.deploy().resolve("." + name + ".part");
    Path target = dist.deploy().resolve(name);
    Path marker = dist.deploy().resolve(name + ".failed");
    Files.write(temp, content);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    try {
      return Await.until("deploy/" + name + ".failed says why", WAIT, () -> read(marker), s -> !s.isBlank());
    } finally {
      Files.deleteIfExists(target);
      Await.until("deploy/" + name + ".failed goes with its file", WAIT, () -> !Files.exists(marker));
    }
  }

  private static String resolve(String template) {
    String s = template;
    for (Map.Entry<String, String> v : values.entrySet()) {
      s = s.replace(v.getKey(), v.getValue());
    }
    return s;
  }

  // ---- data/ -------------------------------------------------------------------------------------

  /** @return every file (by its SHA-256) and folder ("dir") under data/, by its path there; sockets are left out */
  private static Map<String, String> snapshot() {
    Map<String, String> result = new TreeMap<>();
    Path data = dist.data();
    for (Path p : Distribution.tree(data)) {
      String rel = data.relativize(p).toString() + (Files.isDirectory(p) ? "/" : "");
      try {
        if (Files.isDirectory(p)) {
          result.put(rel, "dir");
        } else if (Files.isRegularFile(p)) {
          result.put(rel, sha256(Files.readAllBytes(p)));
        }
      } catch (NoSuchFileException gone) {
        // a file written by rename went while the folder was read
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return result;
  }

  /** @return a snapshot of data/ that is the same twice in a row, half a second apart; null while it changes */
  private static Map<String, String> settledData() {
    Map<String, String> first = snapshot();
    Await.sleep(500);
    return first.equals(snapshot()) ? first : null;
  }

  private static Map<String, String> without(Map<String, String> snapshot, List<String> allowed) {
    Map<String, String> result = new TreeMap<>(snapshot);
    result.keySet().removeIf(WORK_FOLDERS::contains);
    result.keySet().removeIf(path -> allowed.stream().anyMatch(a -> path.startsWith(a) || (path + "/").equals(a)
        || a.startsWith(path) && path.endsWith("/")));
    return result;
  }

  /** @return the paths added, gone or changed between two snapshots, one a line; "" when there are none */
  private static String difference(Map<String, String> before, Map<String, String> after) {
    StringBuilder s = new StringBuilder();
    after.forEach((path, hash) -> {
      if (!before.containsKey(path)) {
        s.append("\n  left behind: ").append(path);
      } else if (!before.get(path).equals(hash)) {
        s.append("\n  changed: ").append(path);
      }
    });
    before.keySet().stream().filter(p -> !after.containsKey(p)).forEach(p -> s.append("\n  gone: ").append(p));
    return s.toString();
  }

  // ---- the loopback server -----------------------------------------------------------------------

  /**
   * {@code /404...}, {@code /500...}: that status; {@code /garbage...}: 4 KiB of random bytes;
   * {@code /silent...}: headers, then nothing until the case is over; {@code /loop...}: a redirect
   * to itself; {@code /huge...}: a Content-Length of 2^63-1 bytes, then nothing; anything else 404.
   */
  private static void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    try (exchange; OutputStream out = exchange.getResponseBody()) {
      if (path.startsWith("/500")) {
        exchange.sendResponseHeaders(500, -1);
      } else if (path.startsWith("/garbage")) {
        exchange.sendResponseHeaders(200, garbage.length);
        out.write(garbage);
      } else if (path.startsWith("/silent")) {
        exchange.sendResponseHeaders(200, 100_000);
        out.flush();
        caseOver.await(60, TimeUnit.SECONDS);
      } else if (path.startsWith("/loop")) {
        exchange.getResponseHeaders().add("Location", path);
        exchange.sendResponseHeaders(302, -1);
      } else if (path.startsWith("/huge")) {
        exchange.sendResponseHeaders(200, Long.MAX_VALUE);
        out.flush();
        caseOver.await(60, TimeUnit.SECONDS);
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientWentAway) {
      // the runtime stopped reading: what these cases want
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException notYet) {
      return "";
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The result without its command line, which may be a megabyte long. */
  private static String abbreviated(Result r) {
    String err = r.err().length() > 2000 ? r.err().substring(0, 2000) : r.err();
    return "exit " + r.exit() + "\n" + r.out() + "\n" + err;
  }
}
