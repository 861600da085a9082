package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The Web Console (issue 13, item 3): the feature {@code dockevos-webconsole} installed into a real
 * {@code bin/dockevos}, driven by a real headless Chromium through Selenium, and asked by a plain HTTP
 * client for what a browser would not do (no login, no CSRF token, a foreign origin). The browser is
 * Debian's {@code chromium} and {@code chromium-driver} ({@code .ci/browser.sh install}); without them
 * the browser test fails under CI and is skipped, loudly, elsewhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebConsoleIT extends UnpackedDistribution {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String GREETER = "io.dockevos.example.greeter";
  private static final String NEEDS = "io.dockevos.test.needsmissing";
  private static final String PROVIDES = "io.dockevos.test.providesmissing";
  private static final Pattern SHOWN_ONCE = Pattern.compile("generated password, shown this once: ([A-Za-z0-9]{20})");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static String console;
  private static String password;

  @BeforeAll
  static void installTheConsole() throws IOException {
    // A port of its own, so that other tests' servers on 8181 do not matter: the feature keeps a configuration
    // that is there already.
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    console = "http://127.0.0.1:" + port + "/system/console";
    dist.provideTheMissingPackage();
    dist.start();
    Files.writeString(dist.deploy().resolve("org.apache.felix.http.cfg"), "org.apache.felix.http.host = 127.0.0.1\n"
        + "org.osgi.service.http.port = " + port + "\n");
    Await.until("the HTTP configuration names port " + port, WAIT, () -> dist.client("config:get org.apache.felix.http")
        .out(), o -> o.contains(String.valueOf(port)));
    Result none = dist.dockevos("webconsole-password");
    assertEquals(1, none.exit(), none::toString);
    assertTrue(none.err().contains("the Web Console is not installed; bin/dockevos client 'feature:install"
        + " dockevos-webconsole' installs it"), none::toString);
    Result r = dist.ok("feature:install dockevos-webconsole");
    assertTrue(r.out().contains("Installed feature dockevos-webconsole"), r::toString);
    Await.until("the console answers on " + console, WAIT, WebConsoleIT::rootStatus, s -> s == 401);
  }

  @AfterAll
  static void stop() {
    dist.ensureStopped();
  }

  @Test
  @Order(1)
  void theFirstStartShowsAGeneratedPasswordOnceAndKeepsOnlyItsHash() throws IOException {
    String log = dist.logText();
    Matcher m = SHOWN_ONCE.matcher(log);
    assertTrue(m.find(), () -> "the log shows the generated password\n" + log);
    password = m.group(1);
    assertFalse(m.find(), "shown once");
    Path file = dist.data().resolve("webconsole/password.json");
    String kept = Files.readString(file);
    assertFalse(kept.contains(password), kept);
    assertTrue(kept.contains("\"algorithm\": \"PBKDF2WithHmacSHA256\""), kept);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  @Order(2)
  void withoutALoginEveryPageIsRefusedAndAdminAdminIsNoPassword() throws Exception {
    for (String page : List.of("/", "/dockevos-plugins", "/bundles", "/dockevos-assistant")) {
      HttpResponse<String> r = get(page, null, null);
      assertEquals(401, r.statusCode(), page + ": " + r.body());
      assertTrue(r.body().contains("name=\"password\"") && !r.body().contains("id=\"plugins\""), r::body);
    }
    String basic = java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> felixDefault = HTTP.send(HttpRequest.newBuilder(URI.create(console + "/bundles"))
        .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, felixDefault.statusCode(), "Felix's admin/admin is no password here");
    HttpResponse<String> wrong = login("admin");
    assertEquals(401, wrong.statusCode(), wrong::body);
    assertTrue(wrong.body().contains("Wrong user name or password."), wrong::body);
    assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty(), "no session for a wrong password");
  }

  @Test
  @Order(3)
  void anAdminTokenWorksAndAReadTokenDoesNot() throws Exception {
    String admin = dist.token("ops", "--scope", "admin");
    String read = dist.token("viewer");
    HttpResponse<String> page = get("/dockevos-plugins", null, admin);
    assertEquals(200, page.statusCode(), page::body);
    assertTrue(page.body().contains("id=\"plugins\"") && page.body().contains("io.dockevos.webconsole"), page::body);
    HttpResponse<String> refused = get("/dockevos-plugins", null, read);
    assertEquals(403, refused.statusCode(), refused::body);
    assertTrue(refused.body().contains("needs an admin token"), refused::body);
  }

  @Test
  @Order(4)
  void aPostWithoutTheCsrfTokenOrFromAnotherSiteIsRefusedAndChangesNothing() throws Exception {
    HttpResponse<String> in = login(password);
    assertEquals(303, in.statusCode(), in::body);
    String cookie = in.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
    cookie = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<String> page = get("/dockevos-plugins", cookie, null);
    assertEquals(200, page.statusCode(), page::body);
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]{43})\"").matcher(page.body());
    assertTrue(m.find(), page::body);
    String csrf = m.group(1);

    HttpResponse<String> noToken = post("/dockevos-plugins", cookie, null, "op=disable&target=io.dockevos.http");
    assertEquals(403, noToken.statusCode(), noToken::body);
    assertTrue(noToken.body().contains("CSRF token is missing or does not match"), noToken::body);
    HttpResponse<String> wrongToken = post("/dockevos-plugins", cookie, null, "op=disable&target=io.dockevos.http&csrf="
        + "A".repeat(43));
    assertEquals(403, wrongToken.statusCode(), wrongToken::body);
    HttpResponse<String> foreign = post("/dockevos-plugins", cookie, "http://evil.example", "op=disable&target="
        + "io.dockevos.http&csrf=" + csrf);
    assertEquals(403, foreign.statusCode(), foreign::body);
    assertTrue(foreign.body().contains("from another site"), foreign::body);
    assertTrue(active("io.dockevos.http"), () -> "nothing was disabled\n" + dist.client("plugin:list"));
    String history = dist.ok("history -n 20").out();
    assertFalse(history.contains("webconsole dockevos-plugins disable"), () -> "a refused POST does nothing\n" + history);

    // The same form with its token does what it says (and is undone).
    HttpResponse<String> done = post("/dockevos-plugins", cookie, console, "op=disable&target=io.dockevos.example.none&csrf="
        + csrf);
    assertEquals(303, done.statusCode(), done::body);
    HttpResponse<String> after = get("/dockevos-plugins", cookie, null);
    assertTrue(after.body().contains("No plugin io.dockevos.example.none"), after::body);
    assertTrue(dist.ok("history -n 20").out().lines().anyMatch(l -> l.contains("webconsole")
        && l.contains("dockevos-plugins disable io.dockevos.example.none") && l.contains("failed")),
        () -> dist.client("history -n 20").toString());
  }

  @Test
  @Order(5)
  void inABrowserOneLogsInInstallsAPluginByUploadAndAppliesAnAssistantFix() throws Exception {
    Path chromium = Path.of(System.getProperty("dockevos.chromium", "/usr/bin/chromium"));
    Path driverPath = Path.of(System.getProperty("dockevos.chromedriver", "/usr/bin/chromedriver"));
    if (!Files.isExecutable(chromium) || !Files.isExecutable(driverPath)) {
      String why = "WebConsoleIT needs Chromium and its driver (" + chromium + ", " + driverPath + "): install them with"
          + " .ci/browser.sh install (Debian's chromium and chromium-driver)";
      Missing.failInCiElseSkip(why);
    }
    Path greeter = dist.root().resolve("greeter.jar");
    Files.copy(Path.of(System.getProperty("dockevos.example.greeter")), greeter);
    long started = System.nanoTime();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,1000", "--user-data-dir=" + Files.createDirectories(dist.root().resolve("chromium")));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverPath.toFile())
        .usingAnyFreePort().build();
    WebDriver browser = new ChromeDriver(service, options);
    try {
      // Log in with the generated password.
      browser.get(console + "/");
      browser.findElement(By.id("password")).sendKeys(password);
      browser.findElement(By.id("login")).click();
      element(browser, "plugins");
      assertTrue(browser.getCurrentUrl().endsWith("/system/console/dockevos-plugins"), browser.getCurrentUrl());

      // Upload the greeter: the plan shows what it installs and the permissions it asks for, then install it.
      browser.findElement(By.id("upload-file")).sendKeys(greeter.toString());
      browser.findElement(By.id("upload")).click();
      WebElement plan = element(browser, "plan");
      String steps = plan.findElement(By.id("plan-steps")).getText();
      assertTrue(steps.contains("install") && steps.contains(GREETER) && steps.contains("named"), steps);
      assertTrue(plan.findElement(By.id("permissions")).isDisplayed(), plan::getText);
      assertFalse(active(GREETER), "nothing is installed before the plan is confirmed");
      if (!browser.findElements(By.id("grant")).isEmpty()) {
        browser.findElement(By.id("grant")).click();
      }
      browser.findElement(By.id("install")).click();
      String installed = text(browser, "message", "Installed " + GREETER);
      assertTrue(installed.contains("Installed " + GREETER) && installed.contains("ACTIVE"), installed);
      assertEquals("ACTIVE", browser.findElement(By.id("plugin-" + GREETER)).findElement(By.className("state"))
          .getText().lines().findFirst().orElse(""));
      assertTrue(active(GREETER), () -> dist.client("plugin:list").toString());

      // A plugin that needs a missing package, dropped into deploy/: the assistant's fix installs the provider.
      TinyBundles.copyTo(TinyBundles.NEEDS_MISSING, dist.deploy());
      String id = Await.until("an incident for " + NEEDS, WAIT, () -> incidentOf(NEEDS), Optional::isPresent).get()
          .getString("id");
      browser.get(console + "/dockevos-assistant");
      browser.findElement(By.id("analyze-" + id)).click();
      WebElement analysis = element(browser, "analysis");
      assertTrue(analysis.getText().contains(PROVIDES) && analysis.getText().contains("io.dockevos.test.missing"),
          analysis::getText);
      analysis.findElement(By.id("apply-1")).click();
      String fixed = text(browser, "message", id);
      assertTrue(fixed.contains(id + " is FIXED."), fixed);
      assertTrue(active(NEEDS) && active(PROVIDES), () -> dist.client("plugin:list").toString());
      assertTrue(browser.findElement(By.id("fixes")).getText().contains(id), "the fix is listed");
      System.out.printf("WebConsoleIT: the browser session (start, login, upload, install, fix) took %.1f s%n",
          (System.nanoTime() - started) / 1e9);
    } finally {
      browser.quit();
    }
  }

  @Test
  @Order(6)
  void webconsolePasswordMakesANewOneAndTheOldOneNoLongerWorks() throws Exception {
    HttpResponse<String> before = login(password);
    assertEquals(303, before.statusCode());
    String cookie = before.headers().firstValue("Set-Cookie").orElseThrow();
    cookie = cookie.substring(0, cookie.indexOf(';'));
    Result r = dist.dockevos("webconsole-password");
    assertEquals(0, r.exit(), r::toString);
    String fresh = r.out().lines().skip(1).findFirst().orElseThrow().strip();
    assertTrue(fresh.matches("[A-Za-z0-9]{20}") && !fresh.equals(password), r::toString);
    assertEquals(401, login(password).statusCode(), "the old password");
    assertEquals(401, get("/dockevos-plugins", cookie, null).statusCode(), "its sessions are closed");
    assertEquals(303, login(fresh).statusCode(), "the new password");
    assertFalse(Files.readString(dist.data().resolve("webconsole/password.json")).contains(fresh));
    Result help = dist.client("webconsole:password --help");
    assertTrue(help.out().startsWith("webconsole:password") && help.out().contains("Example:"), help::toString);
  }

  /** @return the page's element of that id, once the page has it (the browser loads the next page meanwhile) */
  private static WebElement element(WebDriver browser, String id) {
    return Await.until("the page has #" + id, WAIT, () -> browser.findElements(By.id(id)).stream().findFirst(),
        Optional::isPresent).get();
  }

  /** @return the text of the page's element of that id, once it names {@code expected} */
  private static String text(WebDriver browser, String id, String expected) {
    return Await.until("#" + id + " names " + expected, WAIT, () -> {
      try {
        return browser.findElements(By.id(id)).stream().findFirst().map(WebElement::getText).orElse("");
      } catch (org.openqa.selenium.StaleElementReferenceException gone) {
        return ""; // the next page is loading
      }
    }, t -> t.contains(expected));
  }

  private static int rootStatus() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(console + "/")).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Test
  @Order(7)
  void theDockerAndHardwareTabsSayWhenTheirFeatureIsMissingAndShowWhatItReports() throws Exception {
    String fresh = dist.dockevos("webconsole-password").out().lines().skip(1).findFirst().orElseThrow().strip();
    HttpResponse<String> in = login(fresh);
    String cookie = in.headers().firstValue("Set-Cookie").orElseThrow();
    cookie = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<String> docker = get("/dockevos-docker", cookie, null);
    assertEquals(200, docker.statusCode(), docker::body);
    assertTrue(docker.body().contains("The Docker manager is not installed: <code>feature:install dockevos-docker</code>"),
        docker::body);
    HttpResponse<String> hardware = get("/dockevos-hardware", cookie, null);
    assertTrue(hardware.body().contains("The hardware analyzer is not installed"), hardware::body);

    dist.ok("feature:install dockevos-hardware");
    final String c = cookie;
    String page = Await.until("the Hardware tab shows the CPU", WAIT, () -> get("/dockevos-hardware", c, null).body(),
        b -> b.contains("id=\"hardware\""));
    assertTrue(page.contains("available to the JVM") && page.contains("id=\"disks\""), page);
    assertFalse(page.contains("not installed"), page);
  }

  @Test
  @Order(8)
  void theDockerTabShowsTheEngineTheContainersAndALog() throws Exception {
    Engine engine = Engine.required();
    String fresh = dist.dockevos("webconsole-password").out().lines().skip(1).findFirst().orElseThrow().strip();
    String cookie = login(fresh).headers().firstValue("Set-Cookie").orElseThrow();
    final String c = cookie.substring(0, cookie.indexOf(';'));
    dist.ok("feature:install dockevos-docker");
    Await.until("docker:engine says UP", WAIT, () -> dist.client("docker:engine").out(), o -> o.contains("state:    UP"));
    try {
      dist.ok("docker:run -l io.dockevos.test=WebConsoleIT --name wc-hello " + engine.image()
          + " sh -c 'echo hello from a container; echo \"<b>not bold</b>\"'");
      String page = Await.until("the Docker tab lists wc-hello", WAIT, () -> get("/dockevos-docker", c, null).body(),
          b -> b.contains("wc-hello"));
      assertTrue(page.contains("<p id=\"engine\">UP at " + engine.host()), page);
      assertTrue(page.contains("id=\"containers\"") && page.contains(engine.image()), page);
      String logs = get("/dockevos-docker?logs=wc-hello", c, null).body();
      assertTrue(logs.contains("hello from a container"), logs);
      assertTrue(logs.contains("&lt;b&gt;not bold&lt;/b&gt;") && !logs.contains("<b>not bold</b>"), "escaped\n" + logs);
    } finally {
      dist.client("docker:rm -f wc-hello");
    }
  }

  @Test
  @Order(9)
  void anUploadShowsThePermissionsItAsksForAndGrantsThemOnlyWhenTicked() throws Exception {
    String fresh = dist.dockevos("webconsole-password").out().lines().skip(1).findFirst().orElseThrow().strip();
    String cookie = login(fresh).headers().firstValue("Set-Cookie").orElseThrow();
    cookie = cookie.substring(0, cookie.indexOf(';'));
    String csrf = csrf(get("/dockevos-plugins", cookie, null).body());
    Path jars = Files.createDirectories(dist.root().resolve("upload-jars"));
    byte[] wants = Files.readAllBytes(TinyBundles.copyTo(TinyBundles.WANTS_PLUGINS, jars));
    String bsn = "io.dockevos.test.wantsplugins";

    // A name that tries to leave its folder keeps only its own name; one that is no jar's name is refused.
    HttpResponse<String> odd = upload(cookie, csrf, "<b>x</b>.jar", wants);
    assertEquals(303, odd.statusCode(), odd::body);
    String refused = get("/dockevos-plugins", cookie, null).body();
    assertTrue(refused.contains("is not a plugin&#39;s jar") && !refused.contains("<b>x</b>"), refused);
    assertEquals(303, upload(cookie, csrf, "../../../wants-plugins.jar", wants).statusCode());
    String planned = get("/dockevos-plugins", cookie, null).body();
    assertTrue(planned.contains("id=\"plan\"") && planned.contains("What installing wants-plugins.jar does"), planned);
    assertTrue(planned.contains(bsn + " 1.0.0: plugins.manage, network (NOT GRANTED"), planned);
    assertTrue(planned.contains("id=\"grant\""), planned);
    Path uploads = dist.data().resolve("webconsole/uploads");
    try (var files = Files.walk(uploads)) {
      List<Path> kept = files.filter(Files::isRegularFile).toList();
      assertEquals(1, kept.stream().filter(f -> f.getFileName().toString().equals("wants-plugins.jar")).count(),
          kept::toString);
      assertTrue(kept.stream().allMatch(f -> f.getParent().getParent().equals(uploads)), () -> "each upload in a"
          + " folder of its own under " + uploads + ": " + kept);
    }
    assertFalse(Files.exists(dist.home().resolve("wants-plugins.jar")) || Files.exists(dist.data().resolve(
        "wants-plugins.jar")));

    // Install without ticking the box: refused, naming the permissions; nothing installed.
    assertEquals(303, post("/dockevos-plugins", cookie, null, "op=install&csrf=" + csrf).statusCode());
    String no = get("/dockevos-plugins", cookie, null).body();
    assertTrue(no.contains("Nothing was installed") && no.contains("plugins.manage"), no);
    assertFalse(dist.ok("plugin:list").out().contains(bsn));

    // Again, with the box ticked: installed, ACTIVE, and the grant said.
    assertEquals(303, upload(cookie, csrf, "wants-plugins.jar", wants).statusCode());
    assertEquals(303, post("/dockevos-plugins", cookie, null, "op=install&grant=true&csrf=" + csrf).statusCode());
    String yes = get("/dockevos-plugins", cookie, null).body();
    assertTrue(yes.contains("Installed " + bsn + " 1.0.0 as plugin") && yes.contains("Granted plugins.manage, network"
        + " to " + bsn), yes);
    assertTrue(active(bsn), () -> dist.client("plugin:list").toString());

    // Disable, enable and uninstall through the tab.
    assertEquals(303, post("/dockevos-plugins", cookie, null, "op=disable&target=" + bsn + "&csrf=" + csrf).statusCode());
    assertTrue(dist.ok("plugin:list").out().lines().anyMatch(l -> l.contains(bsn) && l.contains("DISABLED")));
    assertEquals(303, post("/dockevos-plugins", cookie, null, "op=enable&target=" + bsn + "&csrf=" + csrf).statusCode());
    assertTrue(active(bsn));
    assertEquals(303, post("/dockevos-plugins", cookie, null, "op=uninstall&target=" + bsn + "&csrf=" + csrf)
        .statusCode());
    assertTrue(get("/dockevos-plugins", cookie, null).body().contains("Uninstalled " + bsn + " 1.0.0."));
    assertFalse(dist.ok("plugin:list").out().contains(bsn));
  }

  @Test
  @Order(10)
  void withoutDockevosSecurityProviderTheConsoleIsNotServedAtAll() throws Exception {
    String basic = java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
    dist.ok("plugin:stop io.dockevos.webconsole");
    try {
      HttpResponse<String> r = Await.until("the console is gone", WAIT, () -> {
        try {
          return HTTP.send(HttpRequest.newBuilder(URI.create(console + "/bundles")).header("Authorization", "Basic "
              + basic).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, x -> x.statusCode() != 401);
      assertEquals(404, r.statusCode(), "Felix's admin/admin never takes over: " + r.body());
    } finally {
      dist.ok("plugin:start io.dockevos.webconsole");
    }
    Await.until("the console is back", WAIT, WebConsoleIT::rootStatus, s -> s == 401);
  }

  private static String csrf(String page) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]{43})\"").matcher(page);
    assertTrue(m.find(), page);
    return m.group(1);
  }

  /** Posts the form of the upload, as a browser does: multipart, the file in the field jar. */
  private static HttpResponse<String> upload(String cookie, String csrf, String fileName, byte[] jar) throws Exception {
    String boundary = "----dockevos" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"op\"\r\n\r\nupload\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"jar\"; filename=\"" + fileName + "\"\r\n"
        + "Content-Type: application/java-archive\r\n\r\n";
    body.write(head.getBytes(StandardCharsets.UTF_8));
    body.write(jar);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HTTP.send(HttpRequest.newBuilder(URI.create(console + "/dockevos-plugins")).header("Cookie", cookie)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean active(String bsn) {
    return dist.ok("plugin:list").out().lines().anyMatch(l -> l.contains(bsn) && l.contains("ACTIVE"));
  }

  private static Optional<JsonObject> incidentOf(String bsn) {
    return Json.createReader(new StringReader(dist.ok("error:list --json").out())).readArray().stream()
        .map(JsonValue::asJsonObject).filter(i -> bsn.equals(i.getString("pluginId", null))).findFirst();
  }

  private static HttpResponse<String> login(String pass) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(console + "/dockevos-login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + URLEncoder.encode(pass,
            StandardCharsets.UTF_8) + "&next=" + URLEncoder.encode("/system/console/dockevos-plugins",
            StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String page, String cookie, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(console + page)).timeout(Duration.ofSeconds(20));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(console + page + ": " + e, e);
    }
  }

  private static HttpResponse<String> post(String page, String cookie, String origin, String form) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(console + page)).header("Cookie", cookie)
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    if (origin != null) {
      b.header("Origin", origin.startsWith("http://127.0.0.1") ? origin.substring(0, origin.indexOf("/system")) : origin);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
