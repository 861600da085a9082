package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Permissions through {@code bin/dockevos}: a plugin that requests them ({@code wants-plugins.jar}:
 * {@code plugins.manage, network}) is refused through the client, naming them; {@code --grant}
 * installs it and {@code security:grants} lists them; {@code --dry-run} shows them; {@code deploy/}
 * leaves a marker that names them and installs the jar once they are granted; and {@code
 * security:audit} shows every grant, denial and revocation.
 */
class PermissionsIT extends UnpackedDistribution {
  private static final String WANTS = "io.dockevos.test.wantsplugins";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static Path jars;

  @BeforeAll
  static void startInstance() throws IOException {
    jars = Files.createDirectories(dist.root().resolve("jars"));
    TinyBundles.copyTo(TinyBundles.WANTS_PLUGINS, jars);
    TinyBundles.copyTo(TinyBundles.BAD_PERMISSIONS, jars);
    dist.start();
  }

  /** Each test starts with the plugin neither installed nor granted, and nothing in deploy/. */
  @AfterEach
  void leaveNothing() throws IOException {
    uninstall();
    try (var files = Files.list(dist.deploy())) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Await.until("the test plugin is uninstalled", WAIT, () -> plugin().isEmpty());
    dist.client("security:revoke " + WANTS);
    assertFalse(dist.ok("security:grants").out().contains(WANTS + " |"), "grants left behind");
  }

  private static String jar(String name) {
    return jars.resolve(name).toString();
  }

  private static Optional<JsonObject> plugin() {
    JsonArray list = Json.createReader(new StringReader(dist.ok("plugin:list --json").out())).readArray();
    return list.getValuesAs(JsonObject.class).stream().filter(p -> WANTS.equals(p.getString("symbolicName")))
        .findFirst();
  }

  private static void uninstall() {
    plugin().ifPresent(p -> dist.ok("plugin:uninstall " + p.getJsonNumber("id").longValue()));
  }

  /** @return the component counts of the plugin, as plugin:list --json shows them */
  private static JsonObject components() {
    return plugin().orElseThrow().getJsonObject("components");
  }

  private static List<JsonObject> audit() {
    JsonArray list = Json.createReader(new StringReader(dist.ok("security:audit --json " + WANTS).out())).readArray();
    return list.getValuesAs(JsonObject.class);
  }

  @Test
  void theClientIsRefusedNamingThePermissionsAndTheDenialIsAudited() {
    int before = audit().size();
    Result r = dist.fails("plugin:install " + jar(TinyBundles.WANTS_PLUGINS));
    assertTrue(r.err().contains(WANTS + " 1.0.0 requests the permissions plugins.manage, network, which are not"
        + " granted"), r::toString);
    assertTrue(r.err().contains("Grant them with plugin:install --grant " + jar(TinyBundles.WANTS_PLUGINS)), r::toString);
    assertTrue(r.err().contains("security:grant " + WANTS + " plugins.manage network"), r::toString);
    assertTrue(r.err().contains("Nothing was installed."), r::toString);
    assertTrue(plugin().isEmpty(), "nothing was installed");
    assertFalse(r.out().contains("[y/N]"), () -> "the client has no terminal: nothing is asked\n" + r);

    List<JsonObject> audit = audit();
    assertEquals(before + 1, audit.size(), audit::toString);
    JsonObject denied = audit.get(audit.size() - 1);
    assertEquals("DENIED", denied.getString("decision"));
    assertEquals("[\"plugins.manage\",\"network\"]", denied.getJsonArray("permissions").toString());
    assertTrue(denied.getString("by").endsWith("(client)"), denied::toString);
    assertEquals("plugin:install", denied.getString("origin"));
  }

  /**
   * {@code autoGrant = trusted} grants what a plugin signed by a trusted key requests, without asking
   * and with the policy named as who granted it; the same jar signed by an unknown key still needs
   * {@code --grant}.
   */
  @Test
  void thePolicyGrantsWhatATrustedSignerRequestsAndNothingToAnUnknownSigner() throws IOException {
    Path unsigned = jars.resolve(TinyBundles.WANTS_PLUGINS);
    Path carol = Signing.key(jars, "carol", "CN=Carol,O=E2E");
    Path dave = Signing.key(jars, "dave", "CN=Dave,O=E2E");
    Path byCarol = Signing.sign(unsigned, carol, "carol", jars.resolve("wants-plugins-by-carol.jar"));
    Path byDave = Signing.sign(unsigned, dave, "dave", jars.resolve("wants-plugins-by-dave.jar"));
    Path carolPem = Signing.certificate(carol, "carol", jars.resolve("carol.pem"));
    Path policy = dist.home().resolve("etc/dockevos.security.cfg");
    try {
      dist.ok("trust:add --alias carol " + carolPem);
      Files.writeString(policy, "# written by PermissionsIT\nautoGrant = trusted\n");
      Await.until("autoGrant = trusted is applied", WAIT,
          () -> dist.ok("plugin:install --dry-run " + byCarol).out(), out -> !out.contains("NOT GRANTED"));

      Result r = dist.fails("plugin:install " + byDave);
      assertTrue(r.err().contains("requests the permissions plugins.manage, network, which are not granted"),
          r::toString);
      assertTrue(plugin().isEmpty(), "the unknown signer's jar is not installed");

      r = dist.ok("plugin:install " + byCarol);
      assertTrue(r.out().contains("Installed " + WANTS + " 1.0.0"), r::toString);
      Result grants = dist.ok("security:grants " + WANTS);
      String row = grants.out().lines().filter(l -> l.startsWith(WANTS + " ")).findFirst().orElse("");
      assertTrue(row.contains("plugins.manage, network") && row.contains("policy:autoGrant=trusted"),
          grants::toString);
      Await.until("its component has the PluginManager the policy granted", WAIT,
          () -> components().getInt("active") == 1);
    } finally {
      Files.deleteIfExists(policy);
      dist.client("trust:remove carol");
    }
  }

  @Test
  void aDryRunShowsThePermissions() {
    Result r = dist.ok("plugin:install --dry-run " + jar(TinyBundles.WANTS_PLUGINS));
    assertTrue(r.out().contains("Permissions of " + WANTS + " 1.0.0: plugins.manage, network (NOT GRANTED)"),
        r::toString);
    assertTrue(r.out().contains("Applying it needs the permissions marked NOT GRANTED: plugin:install --grant grants"
        + " them"), r::toString);
    assertTrue(r.out().contains("nothing was changed (--dry-run)"), r::toString);
    assertTrue(plugin().isEmpty(), "a dry run installs nothing");

    r = dist.ok("plugin:install --dry-run --grant " + jar(TinyBundles.WANTS_PLUGINS));
    assertTrue(r.out().contains("Permissions of " + WANTS + " 1.0.0: plugins.manage, network"), r::toString);
    assertFalse(r.out().contains("Applying it needs"), r::toString);
  }

  @Test
  void withGrantItInstallsItsComponentRunsAndARevocationTakesTheServiceAway() throws IOException {
    Result r = dist.ok("plugin:install --grant " + jar(TinyBundles.WANTS_PLUGINS));
    assertTrue(r.out().contains("Granted plugins.manage, network to " + WANTS), r::toString);
    assertTrue(r.out().contains("Installed " + WANTS + " 1.0.0"), r::toString);
    Await.until("its component has the PluginManager it was granted", WAIT,
        () -> components().getInt("active") == 1);

    Result grants = dist.ok("security:grants " + WANTS);
    String row = grants.out().lines().filter(l -> l.startsWith(WANTS + " ")).findFirst().orElse("");
    assertTrue(row.contains("plugins.manage, network") && row.contains("(client)")
        && row.contains("plugin:install --grant"), grants::toString);
    Path file = dist.data().resolve("security/grants.json");
    assertTrue(Files.readString(file, StandardCharsets.UTF_8).contains(WANTS), "grants.json records the grant");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
        "only its owner reads grants.json");

    r = dist.ok("security:revoke " + WANTS + " plugins.manage");
    assertTrue(r.out().contains("Revoked plugins.manage from " + WANTS), r::toString);
    assertTrue(r.out().contains(WANTS + " holds network now."), r::toString);
    Await.until("the revocation refreshed it: its component lost the PluginManager", WAIT,
        () -> components().getInt("unsatisfied") == 1 && components().getInt("active") == 0);
    assertTrue(dist.ok("security:grants " + WANTS).out().contains(WANTS + " requests plugins.manage, which it does"
        + " not hold"));

    uninstall();
    Result audit = dist.ok("security:audit " + WANTS);
    for (String decision : List.of("GRANTED", "REVOKED")) {
      assertTrue(audit.out().lines().anyMatch(l -> l.contains(WANTS) && l.contains(decision)), audit::toString);
    }
    assertTrue(audit.out().contains("uninstalled"), () -> "the uninstall forgot the grant it had left\n" + audit);
    Result events = dist.ok("log:events -t dockevos/security -p " + WANTS);
    for (String topic : List.of("dockevos/security/GRANTED", "dockevos/security/REVOKED")) {
      assertTrue(events.out().contains(topic), () -> "the system log has " + topic + "\n" + events);
    }
  }

  @Test
  void aJarInDeployThatRequestsPermissionsGetsAMarkerUntilTheyAreGranted() throws IOException {
    Files.copy(jars.resolve(TinyBundles.WANTS_PLUGINS), dist.deploy().resolve("wants.jar"));
    Path marker = dist.deploy().resolve("wants.jar.failed");
    Await.until("deploy/wants.jar.failed appears", WAIT, () -> Files.isRegularFile(marker));
    String why = Await.until("the marker holds the cause", Duration.ofSeconds(5),
        () -> read(marker), s -> !s.isBlank());
    assertTrue(why.contains("(" + WANTS + " 1.0.0) requests the permissions plugins.manage, network, which are not"
        + " granted"), why);
    assertTrue(why.contains("security:grant " + WANTS + " plugins.manage network"), why);
    assertTrue(plugin().isEmpty(), "not installed");
    assertTrue(audit().stream().anyMatch(a -> a.getString("decision").equals("DENIED")
        && a.getString("origin").equals("deploy")), () -> audit().toString());

    dist.ok("security:grant " + WANTS + " plugins.manage network");
    Await.until("granted: the deploy folder installs it and removes the marker", WAIT,
        () -> plugin().isPresent() && !Files.exists(marker));
    Await.until("its component has the PluginManager", WAIT, () -> components().getInt("active") == 1);
  }

  @Test
  void aMisspeltPermissionIsNamedWithItsHeader() {
    Result r = dist.fails("plugin:install " + jar(TinyBundles.BAD_PERMISSIONS));
    assertTrue(r.err().contains("its manifest header Dockevos-Permissions: 'dokcer' is not a valid permission: 'dokcer'"
        + " is not a permission; a permission is one of docker, runner"), r::toString);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
