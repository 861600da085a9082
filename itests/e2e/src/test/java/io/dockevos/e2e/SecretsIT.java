package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Secrets in a running instance (issue 12, defect 4): a Metatype PASSWORD attribute and keys named
 * like a secret are masked by {@code config:get} and {@code config:list}; a URL with a password is
 * shown and logged with the password masked; the command history keeps no secret typed on the
 * command line; an incident goes to the AI analyzer redacted; and {@code data/} is the owner's
 * only. Each is read where the user reads it: the commands' output, the log file, the history's
 * files, the request the AI endpoint receives, the files' modes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String API_KEY = "sk-live-AAAA1111";
  private static final String TOKEN = "tok-BBBB2222";
  private static final String DB_PASSWORD = "pw-CCCC3333";
  private static final String REPO_PASSWORD = "pw-DDDD4444";
  private static final String URL_PASSWORD = "hunter2-EEEE5555";
  private static final String TYPED_TOKEN = "tok-FFFF6666";
  private static final String TYPED_PASSWORD = "pw-GGGG7777";
  private static final List<String> SECRETS = List.of(API_KEY, TOKEN, DB_PASSWORD, REPO_PASSWORD, URL_PASSWORD,
      TYPED_TOKEN, TYPED_PASSWORD);
  private static final String MASK = "********";

  private static HttpServer server;
  private static final List<String> aiRequests = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startInstance() throws IOException {
    // One loopback server: the tiny bundles at /NAME, and an OpenAI-compatible endpoint at /v1.
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", x -> {
      String path = x.getRequestURI().getPath();
      byte[] body;
      if (path.startsWith("/v1/")) {
        aiRequests.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        body = "{\"choices\":[{\"message\":{\"content\":\"Install the provider.\"}}]}".getBytes(StandardCharsets.UTF_8);
      } else {
        try (InputStream in = TinyBundles.open(path.substring(1))) {
          body = in.readAllBytes();
        } catch (RuntimeException e) {
          x.sendResponseHeaders(404, -1);
          x.close();
          return;
        }
      }
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.start();
    Files.writeString(dist.home().resolve("etc/dockevos.assist.ai.cfg"), "url = http://127.0.0.1:"
        + server.getAddress().getPort() + "/v1\nmodel = tiny-model\ntimeout = 5\napiKey = " + API_KEY + "\n");
    Files.writeString(dist.home().resolve("etc/io.example.secrets.cfg"), "token = " + TOKEN + "\ndb.password = "
        + DB_PASSWORD + "\nendpoint = https://carol:" + REPO_PASSWORD + "@repo.example.org/x\ncolour = red\n");
    dist.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A URL of the loopback server with a user and a password in it. */
  private static String withPassword(String path) {
    return "http://bob:" + URL_PASSWORD + "@127.0.0.1:" + server.getAddress().getPort() + "/" + path;
  }

  /** @return {@code --sha256=HEX} of a tiny bundle: a URL source needs its digest (or --insecure alone is refused) */
  private static String sha256(String tinyBundle) {
    try (InputStream in = TinyBundles.open(tinyBundle)) {
      return "--sha256=" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(in.readAllBytes()));
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertNoSecret(String where, String text) {
    for (String s : SECRETS) {
      assertFalse(text.contains(s), () -> where + " shows the secret " + s + ":\n" + text);
    }
  }

  @Test
  @Order(1)
  void configGetAndListMaskAPasswordAttributeAndKeysNamedLikeASecret() {
    Result ai = Await.until("etc/dockevos.assist.ai.cfg is applied", WAIT,
        () -> dist.client("config:get dockevos.assist.ai"), r -> r.exit() == 0 && r.out().contains("tiny-model"));
    assertTrue(ai.out().contains("apiKey = " + MASK), ai::toString);
    assertNoSecret("config:get dockevos.assist.ai", ai.all());

    Result other = Await.until("etc/io.example.secrets.cfg is applied", WAIT,
        () -> dist.client("config:get io.example.secrets"), r -> r.exit() == 0 && r.out().contains("colour"));
    assertTrue(other.out().contains("token = " + MASK), other::toString);
    assertTrue(other.out().contains("db.password = " + MASK), other::toString);
    assertTrue(other.out().contains("endpoint = https://carol:" + MASK + "@repo.example.org/x"), other::toString);
    assertTrue(other.out().contains("colour = red"), other::toString);
    assertNoSecret("config:get io.example.secrets", other.all());

    Result list = dist.ok("config:list");
    assertTrue(list.out().contains("apiKey = " + MASK) && list.out().contains("colour = red"), list::toString);
    assertNoSecret("config:list", list.all());
  }

  @Test
  @Order(2)
  void aUrlWithAPasswordIsShownAndLoggedWithThePasswordMasked() {
    dist.ok("plugin:install --insecure " + sha256(TinyBundles.GOOD_1) + " " + withPassword(TinyBundles.GOOD_1));
    String masked = "http://bob:" + MASK + "@127.0.0.1:" + server.getAddress().getPort() + "/" + TinyBundles.GOOD_1;
    Result info = dist.ok("plugin:info io.dockevos.test.good");
    assertTrue(info.out().contains(masked), info::toString);
    assertNoSecret("plugin:info", info.all());
    Result list = dist.ok("plugin:list --json");
    assertTrue(list.out().contains(masked), list::toString);
    assertNoSecret("plugin:list --json", list.all());
    String log = Await.until("the install is logged", WAIT, dist::logText, t -> t.contains("/" + TinyBundles.GOOD_1));
    assertTrue(log.contains(masked), () -> "the log names the source, masked:\n" + log);
    assertNoSecret("data/log/dockevos.log", log);
  }

  @Test
  @Order(3)
  void theCommandHistoryKeepsNoSecretTypedOnTheCommandLine() throws IOException {
    dist.client("echo --token " + TYPED_TOKEN + " password=" + TYPED_PASSWORD);
    Result history = Await.until("the history has the echo", WAIT, () -> dist.ok("log:history -n 100"),
        r -> r.out().contains("echo --token"));
    assertTrue(history.out().contains("echo --token " + MASK + " password=" + MASK), history::toString);
    assertTrue(history.out().contains("plugin:install --insecure --sha256=") && history.out().contains(" http://bob:"
        + MASK + "@127.0.0.1:"), history::toString);
    assertNoSecret("log:history", history.all());
    StringBuilder files = new StringBuilder();
    try (Stream<Path> s = Files.walk(dist.data().resolve("systemlog/history"))) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        files.append(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    assertTrue(files.toString().contains("echo --token"), "the history's files hold the command\n" + files);
    assertNoSecret("data/systemlog/history", files.toString());
  }

  @Test
  @Order(4)
  void anIncidentIsStoredShownAndSentToTheAiAnalyzerRedacted() throws IOException {
    // Refused (nothing provides its package): an incident whose source is the URL with the password.
    dist.fails("plugin:install --no-deps --insecure " + sha256(TinyBundles.NEEDS_MISSING) + " "
        + withPassword(TinyBundles.NEEDS_MISSING));
    JsonObject incident = Await.until("an incident for the refused install", WAIT, () -> {
      Result r = dist.ok("error:list --all --json");
      return Json.createReader(new StringReader(r.out())).readArray().stream().map(JsonValue::asJsonObject)
          .filter(i -> "io.dockevos.test.needsmissing".equals(i.getString("pluginId", null))).findFirst();
    }, Optional::isPresent).get();
    String id = incident.getString("id");
    Result shown = dist.ok("error:show --json " + id);
    assertTrue(shown.out().contains("bob:" + MASK + "@127.0.0.1"), shown::toString);
    assertNoSecret("error:show", shown.all());
    // The store is written within its write delay (200 ms) of the change, on the error handler's thread.
    Path store = dist.data().resolve("errors/incidents.json");
    String stored = Await.until("data/errors/incidents.json holds " + id, WAIT, () -> {
      try {
        return Files.isRegularFile(store) ? Files.readString(store) : "";
      } catch (IOException e) {
        return ""; // replaced while read: read again
      }
    }, text -> text.contains("\"" + id + "\""));
    assertNoSecret("data/errors/incidents.json", stored);

    Result analyzed = Await.until("the AI analyzer answers", WAIT, () -> dist.ok("assist:analyze " + id),
        r -> r.out().contains("The AI (tiny-model) suggests"));
    assertFalse(aiRequests.isEmpty());
    String request = aiRequests.get(aiRequests.size() - 1);
    assertTrue(request.contains("io.dockevos.test.needsmissing"), request);
    assertTrue(request.contains("bob:" + MASK + "@127.0.0.1"), () -> "the request keeps the URL, masked\n" + request);
    assertNoSecret("the request to the AI analyzer", request);
    assertNoSecret("assist:analyze", analyzed.all());

    Result events = dist.ok("log:events -t dockevos/plugin -n 200 --json");
    assertTrue(events.out().contains("needsmissing"), events::toString);
    assertNoSecret("log:events", events.all());
  }

  @Test
  @Order(5)
  void dataIsTheOwnersOnly() throws IOException {
    Path data = dist.data();
    assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(data));
    for (Path p : List.of(dist.log(), data.resolve("errors/incidents.json"), data.resolve("plugins/registry.json"))) {
      assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(p), p::toString);
    }
    List<String> open = new ArrayList<>();
    try (Stream<Path> s = Files.walk(data)) {
      s.filter(p -> !Files.isSymbolicLink(p)).forEach(p -> {
        try {
          Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
          if (perms.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"))) {
            open.add(data.relativize(p) + " " + PosixFilePermissions.toString(perms));
          }
        } catch (java.nio.file.NoSuchFileException gone) {
          // a temporary file, gone meanwhile
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    assertEquals(List.of(), open, "files and folders under data/ that others can read or enter");
    Path history;
    try (Stream<Path> s = Files.list(data.resolve("systemlog/history"))) {
      history = s.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(history), history::toString);
  }
}
