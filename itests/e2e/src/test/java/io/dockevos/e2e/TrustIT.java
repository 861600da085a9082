package io.dockevos.e2e;

import static io.dockevos.test.tiny.TinyBundles.GOOD_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signatures and trust levels against the real distribution: jars signed with the JDK's tools,
 * installed under each {@code minimumTrust} of {@code etc/dockevos.trust.cfg}; a tampered jar refused
 * under every policy, from {@code plugin:install} and from {@code deploy/}; {@code trust:add},
 * {@code trust:list} and {@code trust:remove}; and the level that {@code plugin:list} and
 * {@code plugin:info} show, for the example plugin that the build signs too.
 */
class TrustIT extends UnpackedDistribution {
  private static final String GOOD = "io.dockevos.test.good";
  private static final String GREETER = "io.dockevos.example.greeter";
  private static final Duration APPLIED = Duration.ofSeconds(30);
  private static Path jars;
  /** The tiny good bundle: as built (unsigned), signed by Alice (unknown), by Bob (trusted), and Bob's changed after signing. */
  private static Path unsigned;
  private static Path signed;
  private static Path trusted;
  private static Path tampered;
  private static Path bobPem;

  @BeforeAll
  static void signAndStart() throws IOException {
    jars = Files.createDirectories(dist.root().resolve("jars"));
    unsigned = TinyBundles.copyTo(GOOD_1, jars);
    Path alice = Signing.key(jars, "alice", "CN=Alice,O=E2E");
    Path bob = Signing.key(jars, "bob", "CN=Bob,O=E2E");
    signed = Signing.sign(unsigned, alice, "alice", jars.resolve("good-by-alice.jar"));
    trusted = Signing.sign(unsigned, bob, "bob", jars.resolve("good-by-bob.jar"));
    tampered = Signing.tamper(trusted, jars.resolve("good-by-bob-changed.jar"));
    bobPem = Signing.certificate(bob, "bob", jars.resolve("bob.pem"));
    dist.start();
    Result added = dist.ok("trust:add " + bobPem);
    assertTrue(added.out().startsWith("Trusted CN=Bob,O=E2E as bob (SHA-256 "), added::toString);
  }

  @AfterEach
  void backToTheDefaultPolicy() throws IOException {
    policy("unsigned");
    for (JsonObject p : plugins()) {
      String bsn = p.getString("symbolicName");
      if (bsn.equals(GOOD) || bsn.equals(GREETER)) {
        dist.ok("plugin:uninstall " + p.getJsonNumber("id").longValue());
      }
    }
  }

  /** Writes {@code etc/dockevos.trust.cfg} and waits until the runtime applied it. */
  private static void policy(String minimumTrust) throws IOException {
    Files.writeString(dist.home().resolve("etc/dockevos.trust.cfg"), "# written by TrustIT\nminimumTrust = "
        + minimumTrust + "\n");
    Await.until("minimumTrust = " + minimumTrust + " is applied", APPLIED,
        () -> trustList().getString("minimumTrust", ""), minimumTrust::equals);
  }

  private static JsonObject trustList() {
    return Json.createReader(new StringReader(dist.ok("trust:list --json").out())).readObject();
  }

  private static List<JsonObject> plugins() {
    return Json.createReader(new StringReader(dist.ok("plugin:list --json").out())).readArray()
        .getValuesAs(JsonObject.class);
  }

  private static Optional<JsonObject> plugin(String bsn) {
    return plugins().stream().filter(p -> p.getString("symbolicName").equals(bsn)).findFirst();
  }

  @ParameterizedTest
  @ValueSource(strings = {"unsigned", "signed", "trusted"})
  void eachPolicyInstallsWhatIsAtItsLevelAndRefusesTheRestNamingTheFileTheLevelAndThePolicy(String policy)
      throws IOException {
    policy(policy);
    List<String> levels = List.of("unsigned", "signed", "trusted");
    Map<String, Path> jarOf = Map.of("unsigned", unsigned, "signed", signed, "trusted", trusted);
    for (String level : levels) {
      Path jar = jarOf.get(level);
      boolean accepted = levels.indexOf(level) >= levels.indexOf(policy);
      if (accepted) {
        Result r = dist.ok("plugin:install " + jar);
        assertTrue(r.out().contains("Installed " + GOOD + " 1.0.0 as plugin"), r::toString);
        JsonObject p = plugin(GOOD).orElseThrow();
        assertEquals(level, p.getString("trust"), () -> jar + " under minimumTrust=" + policy + ": " + p);
        Result table = dist.ok("plugin:list");
        assertTrue(table.out().lines().anyMatch(l -> l.contains(GOOD) && l.contains("| " + level + " ")),
            table::toString);
        dist.ok("plugin:uninstall " + p.getJsonNumber("id").longValue());
      } else {
        Result r = dist.fails("plugin:install " + jar);
        assertTrue(r.err().contains("Cannot install " + jar + ": it is " + level), r::toString);
        assertTrue(r.err().contains("below the trust policy's minimum '" + policy + "' (minimumTrust of configuration"
            + " dockevos.trust, etc/dockevos.trust.cfg)"), r::toString);
        if (level.equals("signed")) {
          assertTrue(r.err().contains("signed by CN=Alice,O=E2E, SHA-256 "), r::toString);
        }
        assertFalse(plugin(GOOD).isPresent(), "nothing was installed");
      }
    }
    Result r = dist.fails("plugin:install " + tampered);
    assertTrue(r.err().contains("Cannot install " + tampered + ": its signature is broken: the entry "
        + Signing.firstClass(tampered) + " was changed after signing"), r::toString);
    assertTrue(r.err().contains("refused under every trust policy"), r::toString);
    assertFalse(plugin(GOOD).isPresent(), "the tampered jar was not installed");
  }

  @Test
  void theExamplePluginIsSignedByTheBuildAndTrustedOnceItsCertificateIs() throws IOException {
    Path greeter = Path.of(System.getProperty("dockevos.example.greeter"));
    dist.ok("plugin:install " + greeter);
    JsonObject p = plugin(GREETER).orElseThrow();
    assertEquals("signed", p.getString("trust"), p::toString);
    long id = p.getJsonNumber("id").longValue();
    String version = p.getString("version");
    Result info = dist.ok("plugin:info " + id);
    assertTrue(info.out().contains("  Trust:      signed (signed by CN=dockevOS example greeter (build key),"
        + "O=dockevOS, SHA-256 "), info::toString);
    JsonObject infoJson = Json.createReader(new StringReader(dist.ok("plugin:info --json " + id).out())).readObject();
    String fingerprint = infoJson.getJsonObject("signer").getString("fingerprint");

    Path pem = Signing.signerCertificate(greeter, jars.resolve("greeter.pem"));
    Result added = dist.ok("trust:add --alias example " + pem);
    assertTrue(added.out().contains("Trusted CN=dockevOS example greeter (build key),O=dockevOS as example (SHA-256 "
        + fingerprint + ")"), added::toString);
    assertTrue(added.out().contains("Plugin " + id + " " + GREETER + " " + version + " is now trusted"),
        added::toString);
    assertEquals("trusted", plugin(GREETER).orElseThrow().getString("trust"));
    assertTrue(dist.ok("plugin:info " + id).out().contains("  Trust:      trusted (signed by"), "plugin:info");

    Result list = dist.ok("trust:list");
    assertTrue(list.out().contains("Trust policy: minimumTrust = unsigned (configuration dockevos.trust)"),
        list::toString);
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("example ") && l.contains(fingerprint)
        && l.contains("CN=dockevOS example greeter (build key),O=dockevOS")), list::toString);
    JsonArray certs = trustList().getJsonArray("certificates");
    assertTrue(certs.getValuesAs(JsonObject.class).stream().anyMatch(c -> c.getString("alias").equals("example")
        && c.getString("fingerprint").equals(fingerprint) && !c.getBoolean("expired")), certs::toString);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dist.home().resolve("etc/trust.p12"))), "the trust store is its owner's only");

    Result removed = dist.ok("trust:remove " + fingerprint);
    assertTrue(removed.out().contains("Removed example: CN=dockevOS example greeter (build key),O=dockevOS"),
        removed::toString);
    assertTrue(removed.out().contains("Plugin " + id + " " + GREETER + " " + version + " is now signed"),
        removed::toString);
    assertEquals("signed", plugin(GREETER).orElseThrow().getString("trust"));

    // Each change is in the event log, with who was trusted.
    JsonArray events = Json.createReader(new StringReader(dist.ok("log:events --topic 'dockevos/trust/*' --json")
        .out())).readArray();
    List<String> seen = events.getValuesAs(JsonObject.class).stream().filter(e -> e.toString().contains(fingerprint))
        .map(e -> e.getString("topic")).toList();
    assertEquals(List.of("dockevos/trust/ADDED", "dockevos/trust/REMOVED"), seen, events::toString);
  }

  @Test
  void badInputToTheTrustCommandsIsRefusedNamingIt() throws IOException {
    Path notACert = Files.writeString(jars.resolve("not-a-cert.pem"), "hello");
    Result bad = dist.fails("trust:add " + notACert);
    assertTrue(bad.err().contains("Cannot trust " + notACert + ": " + notACert + " is not an X.509 certificate"),
        bad::toString);
    Result missing = dist.fails("trust:add " + jars.resolve("nowhere.pem"));
    assertTrue(missing.err().contains("there is no file " + jars.resolve("nowhere.pem")), missing::toString);
    Result again = dist.fails("trust:add " + bobPem);
    assertTrue(again.err().contains("is trusted already, as bob"), again::toString);
    Result unknown = dist.fails("trust:remove nobody");
    assertTrue(unknown.err().contains("No trusted certificate has the alias or SHA-256 fingerprint 'nobody'"),
        unknown::toString);
    Result typo = dist.ok("trust:list");
    assertTrue(typo.out().lines().anyMatch(l -> l.startsWith("bob ")), typo::toString);
  }

  @Test
  void aPolicyWithATypoInstallsNothingAndSaysWhereTheTypoIs() throws IOException {
    Files.writeString(dist.home().resolve("etc/dockevos.trust.cfg"), "minimumTrust = trustd\n");
    Await.until("the policy with a typo is applied", APPLIED, () -> trustList().get("policyProblem"),
        v -> v != null && v.getValueType() == JsonValue.ValueType.STRING);
    Result r = dist.fails("plugin:install " + trusted);
    assertTrue(r.err().contains("the trust policy cannot be read: minimumTrust 'trustd' (configuration dockevos.trust,"
        + " etc/dockevos.trust.cfg) is none of unsigned, signed, trusted"), r::toString);
    assertFalse(plugin(GOOD).isPresent());
  }

  @Test
  void aTamperedJarDroppedIntoDeployIsRefusedWithItsReason() throws IOException {
    Path dropped = Files.copy(tampered, dist.deploy().resolve("tampered.jar"));
    Path marker = dist.deploy().resolve("tampered.jar.failed");
    Await.until("deploy/tampered.jar.failed", APPLIED, () -> Files.exists(marker));
    String why = Files.readString(marker);
    assertTrue(why.contains("its signature is broken: the entry " + Signing.firstClass(tampered)
        + " was changed after signing"), why);
    assertFalse(plugin(GOOD).isPresent(), "the tampered jar was not installed");
    Files.delete(dropped);
    Await.until("deploy/tampered.jar.failed goes with the jar", APPLIED, () -> !Files.exists(marker));
  }
}
