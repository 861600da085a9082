package io.dockevos.e2e;

import static io.dockevos.test.tiny.TinyBundles.GOOD_1;
import static io.dockevos.test.tiny.TinyBundles.NEEDS_MISSING;
import static io.dockevos.test.tiny.TinyBundles.PROVIDES_MISSING;
import static io.dockevos.test.tiny.TinyBundles.REQUIRES_HOST;
import static io.dockevos.test.tiny.TinyBundles.THROWS;
import static io.dockevos.test.tiny.TinyBundles.UNSATISFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code feature:*} commands and feature files in {@code deploy/}, against a running instance,
 * as a user types them through {@code bin/dockevos client}. The test features are written here, into
 * the unpacked distribution's {@code system/features/}, and their bundles are the tiny test bundles,
 * copied into {@code system/} in Maven layout.
 */
class FeatureCommandsIT extends UnpackedDistribution {
  private static final String GOOD = "io.dockevos.test.good";
  private static final String REQUIRES_HOST_BSN = "io.dockevos.test.requireshost";
  private static final String NEEDS_MISSING_BSN = "io.dockevos.test.needsmissing";
  private static final String PROVIDES_MISSING_BSN = "io.dockevos.test.providesmissing";
  private static final String THROWS_BSN = "io.dockevos.test.throws";
  private static final String UNSATISFIED_BSN = "io.dockevos.test.unsatisfied";
  /** What the deploy folder takes to install a feature, with room for a loaded 2-core machine. */
  private static final Duration ACT = Duration.ofSeconds(20);

  @BeforeAll
  static void writeFeaturesAndStart() throws IOException {
    Path tiny = Files.createDirectories(dist.root().resolve("tiny"));
    system("good", TinyBundles.copyTo(GOOD_1, tiny));
    system("requires-host", TinyBundles.copyTo(REQUIRES_HOST, tiny));
    system("needs-missing", TinyBundles.copyTo(NEEDS_MISSING, tiny));
    system("provides-missing", TinyBundles.copyTo(PROVIDES_MISSING, tiny));
    system("throws", TinyBundles.copyTo(THROWS, tiny));
    system("unsatisfied", TinyBundles.copyTo(UNSATISFIED, tiny));

    feature("test-good", """
        {
          "feature-resource-version": "1.0",
          "id": "io.dockevos.test:test-good:1.0.0",
          "name": "A good test feature",
          "description": "Two tiny bundles and a configuration",
          "bundles": [
            { "id": "io.dockevos.test:good:1.0.0", "start-order": 60 },
            { "id": "io.dockevos.test:requires-host:1.0.0", "start-order": 61 }
          ],
          "configurations": {
            "io.dockevos.test.feature.good": { "greeting": "hello from ${dockevos.home}", "port:Integer": 8080 }
          }
        }
        """);
    feature("test-unresolvable", """
        {
          "id": "io.dockevos.test:test-unresolvable:1.0.0",
          "bundles": [
            { "id": "io.dockevos.test:good:1.0.0" },
            { "id": "io.dockevos.test:needs-missing:1.0.0" }
          ],
          "configurations": { "io.dockevos.test.feature.unresolvable": { "left": "behind?" } }
        }
        """);
    feature("test-throws", """
        {
          "id": "io.dockevos.test:test-throws:1.0.0",
          "bundles": [
            { "id": "io.dockevos.test:good:1.0.0" },
            { "id": "io.dockevos.test:throws:1.0.0" }
          ],
          "configurations": { "io.dockevos.test.feature.throws": { "left": "behind?" } }
        }
        """);
    // Its component waits for a service that nothing provides: the health gate fails the install. It
    // also changes test-good's configuration, which must be put back.
    feature("test-unsatisfied", """
        {
          "id": "io.dockevos.test:test-unsatisfied:1.0.0",
          "bundles": [
            { "id": "io.dockevos.test:good:1.0.0" },
            { "id": "io.dockevos.test:unsatisfied:1.0.0" }
          ],
          "configurations": {
            "io.dockevos.test.feature.unsatisfied": { "left": "behind?" },
            "io.dockevos.test.feature.good": { "greeting": "changed by test-unsatisfied" }
          }
        }
        """);
    // The bundle that needs a package comes before the one that provides it: they resolve together.
    // Only a configuration, for a PID that test-good configures: a feature never replaces one that is there.
    feature("test-takeover", """
        {
          "id": "io.dockevos.test:test-takeover:1.0.0",
          "bundles": [ { "id": "io.dockevos.test:good:1.0.0" } ],
          "configurations": {
            "io.dockevos.test.feature.good": { "greeting": "taken over" },
            "io.dockevos.test.feature.takeover": { "own": "yes" }
          }
        }
        """);
    feature("test-pair", """
        {
          "id": "io.dockevos.test:test-pair:1.0.0",
          "bundles": [
            { "id": "io.dockevos.test:needs-missing:1.0.0" },
            { "id": "io.dockevos.test:provides-missing:1.0.0" }
          ]
        }
        """);
    feature("test-shared", """
        {
          "id": "io.dockevos.test:test-shared:1.0.0",
          "bundles": [ { "id": "io.dockevos.test:good:1.0.0" }, { "id": "io.dockevos.test:provides-missing:1.0.0" } ]
        }
        """);
    feature("test-not-there", """
        { "id": "io.dockevos.test:test-not-there:1.0.0", "bundles": [ { "id": "io.dockevos.test:nowhere:9.9.9" } ] }
        """);
    // Line 5 lacks the comma after the first bundle.
    feature("broken", """
        {
          "id": "io.dockevos.test:broken:1.0.0",
          "bundles": [
            { "id": "io.dockevos.test:good:1.0.0" }
            { "id": "io.dockevos.test:throws:1.0.0" }
          ]
        }
        """);
    feature("wrong-field", """
        {
          "id": "io.dockevos.test:wrong-field:1.0.0",
          "bundles": [
            { "id": "good-1.0.0.jar" }
          ]
        }
        """);
    dist.start();
  }

  /** Copies a tiny bundle into system/ as io.dockevos.test:ARTIFACT:1.0.0. */
  private static void system(String artifact, Path jar) throws IOException {
    Path dir = Files.createDirectories(dist.home().resolve("system/io/dockevos/test/" + artifact + "/1.0.0"));
    Files.copy(jar, dir.resolve(artifact + "-1.0.0.jar"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static void feature(String name, String json) throws IOException {
    Files.writeString(dist.home().resolve("system/features/" + name + ".json"), json, StandardCharsets.UTF_8);
  }

  /** Each test starts with only the boot features, no repositories, no test bundles and an empty deploy/. */
  @AfterEach
  void removeWhatTheTestInstalled() throws IOException {
    try (Stream<Path> files = Files.list(dist.deploy())) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("README")) {
          Files.deleteIfExists(f);
        }
      }
    }
    try {
      Await.until("features from deploy/ are uninstalled once their files are gone", ACT,
          () -> installedFeatures().stream().anyMatch(f -> f.getString("source", "").startsWith(dist.deploy().toString())),
          b -> !b);
    } finally {
      for (JsonObject f : installedFeatures()) {
        dist.client("feature:uninstall " + f.getString("id"));
      }
      for (JsonObject r : json("feature:repo-list --json").asJsonArray().getValuesAs(JsonObject.class)) {
        dist.client("feature:repo-remove " + r.getString("uri"));
      }
      String ids = String.join(" ", testPlugins().stream().map(p -> String.valueOf(p.getJsonNumber("id")
          .longValue())).toList());
      if (!ids.isEmpty()) {
        dist.client("plugin:uninstall --force " + ids);
      }
    }
    assertEquals(List.of(), installedFeatures(), "test features left installed");
    assertEquals(List.of(), testPlugins(), "test bundles left behind");
  }

  private static Result ok(String command) {
    return dist.ok(command);
  }

  private static Result fails(String command) {
    return dist.fails(command);
  }

  private static jakarta.json.JsonStructure json(String command) {
    return Json.createReader(new StringReader(ok(command).out())).read();
  }

  private static List<JsonObject> features() {
    return json("feature:list --json").asJsonArray().getValuesAs(JsonObject.class);
  }

  private static JsonObject feature(String name) {
    Optional<JsonObject> f = features().stream().filter(o -> o.getString("name").equals(name)).findFirst();
    assertTrue(f.isPresent(), () -> name + " is not in feature:list --json");
    return f.get();
  }

  /** @return the feature as feature:list --json shows it, or {@code null} while it is not listed */
  private static JsonObject listed(String name) {
    return features().stream().filter(o -> o.getString("name").equals(name)).findFirst().orElse(null);
  }

  /** The installed features that are not boot features. */
  private static List<JsonObject> installedFeatures() {
    return features().stream().filter(f -> f.getBoolean("installed") && !f.getString("state").equals("BOOT")).toList();
  }

  private static List<JsonObject> plugins() {
    return json("plugin:list --all --json").asJsonArray().getValuesAs(JsonObject.class);
  }

  private static List<JsonObject> testPlugins() {
    return plugins().stream().filter(p -> p.getString("symbolicName").startsWith("io.dockevos.test.")).toList();
  }

  private static Optional<JsonObject> plugin(String symbolicName) {
    return plugins().stream().filter(p -> p.getString("symbolicName").equals(symbolicName)).findFirst();
  }

  private static void assertActive(String symbolicName) {
    Optional<JsonObject> p = plugin(symbolicName);
    assertTrue(p.isPresent(), () -> symbolicName + " is not installed");
    assertEquals("ACTIVE", p.get().getString("state"), () -> symbolicName + ": " + p.get());
  }

  private static void assertNoTestBundles() {
    assertEquals(List.of(), testPlugins(), "plugin:list --all --json shows no test bundle");
    assertEquals(List.of(), dist.bundles().stream().filter(b -> b.symbolicName().startsWith("io.dockevos.test."))
        .toList(), "lb -s shows no test bundle");
  }

  @Test
  void listShowsTheBootFeaturesInstalledAndTheOthersAvailable() {
    Result table = ok("feature:list");
    assertTrue(table.out().lines().anyMatch(l -> l.startsWith("dockevos-core ") && l.contains("BOOT")), table::toString);
    assertTrue(table.out().lines().anyMatch(l -> l.startsWith("test-good ") && l.contains("AVAILABLE")
        && l.contains("system/features/test-good.json")), table::toString);
    assertTrue(table.out().indexOf("dockevos-core") < table.out().indexOf("test-good"), "installed come first\n" + table);
    assertTrue(table.out().contains("Cannot be read:") && table.out().contains("broken.json is not valid JSON: line 5"),
        "a file that cannot be read is named, with its line\n" + table);

    JsonObject core = feature("dockevos-core");
    assertEquals("BOOT", core.getString("state"));
    assertTrue(core.getBoolean("installed"));
    assertEquals("io.dockevos:dockevos-core:0.1.0-SNAPSHOT", core.getString("id"));
    JsonObject good = feature("test-good");
    assertEquals("AVAILABLE", good.getString("state"));
    assertFalse(good.getBoolean("installed"));
    assertEquals("A good test feature", good.getString("title"));
    assertEquals(2, good.getInt("bundles"));
    assertEquals("AVAILABLE", feature("dockevos-console").getString("state"), "the other shell feature is available");
  }

  @Test
  void installsAFeatureWithItsBundlesActiveAndItsConfigurationThenUninstallsIt() {
    Result r = ok("feature:install test-good");
    assertTrue(r.out().contains("installing bundle 1/2: " + GOOD + " 1.0.0 (io.dockevos.test:good:1.0.0)")
        && r.out().contains("installing bundle 2/2: " + REQUIRES_HOST_BSN) && r.out().contains("starting bundle 2/2"),
        "the install shows its progress\n" + r);
    assertTrue(r.out().contains("Installed feature test-good 1.0.0: 2 bundles, INSTALLED"), r::toString);
    assertActive(GOOD);
    assertActive(REQUIRES_HOST_BSN);
    assertEquals(60, BundleRow.find(dist.bundles(), GOOD).orElseThrow().level(), "the start-order is the start level");
    JsonObject installed = feature("test-good");
    assertEquals("INSTALLED", installed.getString("state"));
    assertFalse(installed.isNull("installedAt"));

    Result config = ok("config:get io.dockevos.test.feature.good");
    assertTrue(config.out().contains("greeting = hello from " + dist.home()), "${dockevos.home} is filled in\n" + config);
    assertTrue(config.out().contains("port = 8080"), config::toString);

    JsonObject info = json("feature:info --json test-good").asJsonObject();
    assertEquals("INSTALLED", info.getString("state"));
    assertEquals(List.of("ACTIVE", "ACTIVE"), info.getJsonArray("bundles").getValuesAs(JsonObject.class).stream()
        .map(b -> b.getString("state")).toList());
    assertTrue(info.getJsonArray("problems").isEmpty(), info::toString);
    assertTrue(ok("feature:info test-good").out().contains("io.dockevos.test:good:1.0.0 (start-order 60): " + GOOD));

    Result again = ok("feature:install test-good");
    assertFalse(again.out().contains("installing bundle"), "installed already: nothing to do\n" + again);

    Result gone = ok("feature:uninstall test-good");
    assertTrue(gone.out().contains("Uninstalled feature test-good 1.0.0"), gone::toString);
    assertNoTestBundles();
    assertEquals("AVAILABLE", feature("test-good").getString("state"));
    Result noConfig = dist.client("config:get io.dockevos.test.feature.good");
    assertEquals(1, noConfig.exit(), () -> "the feature's configuration goes with it\n" + noConfig);
  }

  @Test
  void aBundleThatDoesNotResolveFailsTheInstallAndNothingItAddedRemains() {
    Result r = fails("feature:install test-unresolvable");
    assertTrue(r.err().contains("Cannot install feature test-unresolvable 1.0.0"), r::toString);
    assertTrue(r.err().contains("bundle " + NEEDS_MISSING_BSN + " 1.0.0 (io.dockevos.test:needs-missing:1.0.0) does"
        + " not resolve"), "the error names the bundle\n" + r);
    assertTrue(r.err().contains("package io.dockevos.test.missing [1.0.0,2.0.0)"), "and what it misses\n" + r);
    assertTrue(r.err().contains("Nothing was installed."), "the plan failed before anything changed\n" + r);
    assertNoTestBundles();
    assertEquals("AVAILABLE", feature("test-unresolvable").getString("state"));
    assertEquals(1, dist.client("config:get io.dockevos.test.feature.unresolvable").exit(),
        "its configuration was taken back");
    dist.assertBootBundlesActive();
  }

  @Test
  void anActivatorThatThrowsFailsTheInstallAndNothingItAddedRemains() {
    Result r = fails("feature:install test-throws");
    assertTrue(r.err().contains("bundle io.dockevos.test:throws:1.0.0: " + THROWS_BSN + " 1.0.0 failed to start: its"
        + " activator threw java.lang.IllegalStateException: tiny bundle refuses to start"), r::toString);
    assertTrue(r.err().contains("Nothing the install added remains installed."), r::toString);
    assertNoTestBundles();
    assertEquals(1, dist.client("config:get io.dockevos.test.feature.throws").exit(),
        "its configuration was taken back");
  }

  @Test
  void aDryRunPrintsThePlanAndChangesNothing() {
    String features = ok("feature:list").out();
    String plugins = ok("plugin:list --all").out();
    Result r = ok("feature:install --dry-run test-good");
    assertTrue(r.out().contains("Feature test-good 1.0.0 (AVAILABLE): 2 bundles"), r::toString);
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("install ") && l.contains(GOOD + " ")
        && l.contains("system/io/dockevos/test/good/1.0.0/good-1.0.0.jar")), "each bundle is a row\n" + r);
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("install ") && l.contains(REQUIRES_HOST_BSN + " ")), r::toString);
    assertTrue(r.out().contains("Start order: " + GOOD + " 1.0.0, " + REQUIRES_HOST_BSN + " 1.0.0"), r::toString);
    assertTrue(r.out().contains("Configurations: io.dockevos.test.feature.good"), r::toString);
    assertTrue(r.out().contains("The plan: 2 to install; nothing was changed (--dry-run)"), r::toString);
    assertEquals(features, ok("feature:list").out(), "feature:list is as it was");
    assertEquals(plugins, ok("plugin:list --all").out(), "plugin:list is as it was");
    assertEquals(1, dist.client("config:get io.dockevos.test.feature.good").exit(), "no configuration was applied");

    // A bundle that is installed already is used as it is, and is not in the plan.
    ok("feature:install test-good");
    Result shared = ok("feature:install --dry-run test-shared");
    assertTrue(shared.out().contains("Installed already, used as they are: " + GOOD + " 1.0.0"), shared::toString);
    assertTrue(shared.out().contains("The plan: 1 to install"), shared::toString);
    assertFalse(shared.out().lines().anyMatch(l -> l.startsWith("install ") && l.contains(GOOD + " ")), shared::toString);
    assertTrue(plugin(PROVIDES_MISSING_BSN).isEmpty(), "nothing was installed");
  }

  @Test
  void aComponentThatIsNeverSatisfiedFailsTheHealthGateAndTheInstallIsRolledBack() {
    ok("feature:install test-good");
    Result r = fails("feature:install test-unsatisfied");
    assertTrue(r.err().contains("Cannot install feature test-unsatisfied 1.0.0: the health gate failed after"),
        r::toString);
    assertTrue(r.err().contains("the component io.dockevos.test.unsatisfied.NeedsWanted of " + UNSATISFIED_BSN
        + " 1.0.0 waits for a service io.dockevos.test.wanted.Wanted"), "the gate's reason\n" + r);
    assertTrue(r.err().contains("Nothing the install added remains installed."), r::toString);
    assertTrue(plugin(UNSATISFIED_BSN).isEmpty(), "the bundle the install added is gone");
    assertActive(GOOD);
    assertEquals("AVAILABLE", feature("test-unsatisfied").getString("state"));
    assertEquals("INSTALLED", feature("test-good").getString("state"));
    assertEquals(1, dist.client("config:get io.dockevos.test.feature.unsatisfied").exit(),
        "the configuration it created is removed");
    Result good = ok("config:get io.dockevos.test.feature.good");
    assertTrue(good.out().contains("greeting = hello from " + dist.home()), "the one it changed is put back\n" + good);
  }

  /** Issue 12, defect 5: a feature does not take over a configuration that is there (Karaf's rule too). */
  @Test
  void aFeatureKeepsAConfigurationThatIsThereAndCreatesItsOwn() {
    ok("feature:install test-good");
    ok("feature:install test-takeover");
    Result good = ok("config:get io.dockevos.test.feature.good");
    assertTrue(good.out().contains("greeting = hello from " + dist.home()), "kept as it was\n" + good);
    assertTrue(ok("config:get io.dockevos.test.feature.takeover").out().contains("own = yes"));
    assertTrue(dist.logText().contains("Feature test-takeover 1.0.0 keeps the configuration io.dockevos.test.feature.good"),
        "the log says so");
  }

  @Test
  void aFailedInstallLeavesTheBundlesThatWereThereBefore() {
    ok("feature:install test-good");
    fails("feature:install test-throws");
    assertActive(GOOD);
    assertTrue(plugin(THROWS_BSN).isEmpty(), "the bundle the failed install added is gone");
    assertEquals("INSTALLED", feature("test-good").getString("state"));
  }

  @Test
  void bundlesThatNeedEachOtherResolveTogetherInAnyOrder() {
    ok("feature:install test-pair");
    assertActive(NEEDS_MISSING_BSN);
    assertActive(PROVIDES_MISSING_BSN);
    ok("feature:uninstall test-pair");
    assertNoTestBundles();
  }

  @Test
  void aBundleTwoFeaturesNeedStaysUntilTheLastOfThemGoes() {
    ok("feature:install test-good");
    Result shared = ok("feature:install test-shared");
    assertTrue(shared.out().contains("bundle 1/2: " + GOOD + " 1.0.0 (io.dockevos.test:good:1.0.0) is installed"
        + " already"), shared::toString);
    ok("feature:uninstall test-good");
    assertActive(GOOD);
    assertTrue(plugin(REQUIRES_HOST_BSN).isEmpty(), "what only test-good needed is gone");
    ok("feature:uninstall test-shared");
    assertNoTestBundles();
  }

  @Test
  void aBundleThatNoRepositoryHasIsNamedWithWhereItWasLookedFor() {
    Result r = fails("feature:install test-not-there");
    assertTrue(r.err().contains("bundle io.dockevos.test:nowhere:9.9.9 is neither in " + dist.home()
        .resolve("system/io/dockevos/test/nowhere/9.9.9/nowhere-9.9.9.jar")), r::toString);
    assertTrue(r.err().contains("nor ") && r.err().contains("Nothing was installed"), r::toString);
    assertNoTestBundles();
  }

  @Test
  void anUnknownFeatureIsRefusedWithTheAvailableOnes() {
    Result r = fails("feature:install no-such-feature");
    assertTrue(r.err().contains("No feature named no-such-feature. Available: "), r::toString);
    assertTrue(r.err().contains("test-good") && r.err().contains("dockevos-console"), r::toString);
    Result u = fails("feature:uninstall test-good");
    assertTrue(u.err().contains("Feature test-good is not installed"), u::toString);
  }

  @Test
  void anInvalidFeatureFileIsNamedWithItsLineAndField() {
    Result syntax = fails("feature:install broken");
    assertTrue(syntax.err().contains(dist.home().resolve("system/features/broken.json") + " is not valid JSON: line 5,"
        + " column"), syntax::toString);
    assertTrue(syntax.err().contains("found '{' where ',' was expected"), syntax::toString);

    Result field = fails("feature:install wrong-field");
    assertTrue(field.err().contains("wrong-field.json is not valid: line 4, column"), field::toString);
    assertTrue(field.err().contains("field bundles[0].id is \"good-1.0.0.jar\", which is not a Maven ID"),
        field::toString);
    assertNoTestBundles();
  }

  @Test
  void bootFeaturesCannotBeUninstalled() {
    Result r = fails("feature:uninstall dockevos-core");
    assertTrue(r.err().contains("it is a boot feature, part of the runtime itself"), r::toString);
    assertTrue(ok("feature:install dockevos-core").out().contains("is a boot feature"));
    dist.assertBootBundlesActive();
  }

  @Test
  void aRepositoryFileMakesItsFeatureAvailable() throws IOException {
    Path extra = Files.writeString(Files.createDirectories(dist.root().resolve("repo")).resolve("extra.json"), """
        {
          "id": "org.example:extra:2.1.0",
          "name": "From a repository",
          "bundles": [ { "id": "io.dockevos.test:good:1.0.0" } ]
        }
        """);
    fails("feature:install extra");

    Result added = ok("feature:repo-add " + extra);
    assertTrue(added.out().contains("Added repository " + extra.toUri() + ": org.example:extra:2.1.0"), added::toString);
    assertTrue(ok("feature:repo-list").out().contains(extra.toUri() + ": org.example:extra:2.1.0"));
    assertEquals("AVAILABLE", feature("extra").getString("state"));
    assertEquals(extra.toString(), feature("extra").getString("source"));

    ok("feature:install extra/2.1.0");
    assertActive(GOOD);
    assertEquals("INSTALLED", feature("extra").getString("state"));
  }

  @Test
  void aRepositoryThatCannotBeReadIsRefusedWithTheReason() throws IOException {
    Path missing = dist.root().resolve("repo/none.json");
    Result r = fails("feature:repo-add " + missing);
    assertTrue(r.err().contains("Cannot add repository " + missing.toUri() + ": there is no file " + missing),
        r::toString);

    Path invalid = Files.writeString(Files.createDirectories(dist.root().resolve("repo")).resolve("invalid.json"),
        "{\n  \"id\": \"org.example:invalid:1.0\",\n  \"bundles\": 3\n}\n");
    Result bad = fails("feature:repo-add " + invalid);
    assertTrue(bad.err().contains(invalid + " is not valid: line 3, column") && bad.err().contains("field bundles is"
        + " the number 3; it must be an array"), bad::toString);

    // Port 9 on loopback: nothing listens, so the connection is refused at once.
    Result url = fails("feature:repo-add --insecure http://127.0.0.1:9/features/extra.json");
    assertTrue(url.err().contains("http://127.0.0.1:9/features/extra.json: the connection was refused"), url::toString);
    assertTrue(json("feature:repo-list --json").asJsonArray().isEmpty(), "nothing was registered");
  }

  @Test
  void aFeatureFileDroppedIntoDeployIsInstalledAndDeletingItUninstallsIt() throws IOException {
    dropIntoDeploy("my-feature.json", """
        {
          "feature-resource-version": "1.0",
          "id": "org.example:dropped:1.0.0",
          "bundles": [ { "id": "io.dockevos.test:good:1.0.0" }, { "id": "io.dockevos.test:requires-host:1.0.0" } ],
          "configurations": { "io.dockevos.test.feature.dropped": { "from": "deploy" } }
        }
        """);
    // A configuration in JSON beside it stays a configuration.
    dropIntoDeploy("io.dockevos.test.json.pid.json", "{ \"count:Integer\": 3 }");
    Await.until("the dropped feature's bundles are ACTIVE", ACT, () -> plugin(GOOD).map(p -> p.getString("state"))
        .orElse("absent").equals("ACTIVE") && plugin(REQUIRES_HOST_BSN).isPresent());
    JsonObject dropped = Await.until("feature:list shows the dropped feature installed", ACT,
        () -> listed("dropped"), f -> f != null && f.getString("state").equals("INSTALLED"));
    assertEquals(dist.deploy().resolve("my-feature.json").toString(), dropped.getString("source"));
    assertTrue(ok("config:get io.dockevos.test.feature.dropped").out().contains("from = deploy"));
    Await.until("the JSON configuration beside it is applied", ACT,
        () -> dist.client("config:get io.dockevos.test.json.pid").out().contains("count = 3"));
    assertFalse(Files.exists(dist.deploy().resolve("my-feature.json.failed")), "no marker for a good feature");

    Files.delete(dist.deploy().resolve("my-feature.json"));
    Await.until("deleting the file uninstalls the feature and its bundles", ACT, () -> testPlugins().isEmpty());
    Await.until("feature:list no longer shows it installed", ACT,
        () -> features().stream().noneMatch(f -> f.getString("name").equals("dropped")));
  }

  @Test
  void editingAFeatureFileInDeployReplacesItsFeature() {
    dropIntoDeploy("edited.json", """
        { "id": "org.example:edited:1.0.0", "bundles": [ { "id": "io.dockevos.test:good:1.0.0" } ] }
        """);
    Await.until("the first version's bundle is ACTIVE", ACT, () -> plugin(GOOD).isPresent()
        && plugin(GOOD).get().getString("state").equals("ACTIVE"));
    dropIntoDeploy("edited.json", """
        { "id": "org.example:edited:1.1.0",
          "bundles": [ { "id": "io.dockevos.test:good:1.0.0" }, { "id": "io.dockevos.test:requires-host:1.0.0" } ] }
        """);
    // While the feature is replaced, it is briefly not listed at all: poll until 1.1.0 is there.
    JsonObject edited = Await.until("feature:list shows edited 1.1.0 installed", ACT, () -> listed("edited"),
        f -> f != null && f.getString("version").equals("1.1.0") && f.getString("state").equals("INSTALLED"));
    assertEquals(2, edited.getInt("bundles"));
    assertActive(GOOD);
    assertActive(REQUIRES_HOST_BSN);
    assertEquals(1, features().stream().filter(f -> f.getString("name").equals("edited")).count(),
        "1.0.0 was replaced, not kept beside it");
  }

  @Test
  void aFeatureFileInDeployThatFailsGetsAMarkerWithTheCause() throws IOException {
    dropIntoDeploy("throws-feature.json", """
        { "id": "org.example:throwing:1.0.0",
          "bundles": [ { "id": "io.dockevos.test:good:1.0.0" }, { "id": "io.dockevos.test:throws:1.0.0" } ] }
        """);
    String why = awaitMarker("throws-feature.json");
    assertTrue(why.contains("deploy/throws-feature.json") && why.contains("tiny bundle refuses to start")
        && why.contains("Nothing the install added remains installed"), why);
    assertNoTestBundles();

    dropIntoDeploy("invalid-feature.json", "{\n  \"feature-resource-version\": \"1.0\",\n  \"id\": \"org.example:x:1\",\n"
        + "  \"bundles\": [ { \"id\": \"nope\" } ]\n}\n");
    String invalid = awaitMarker("invalid-feature.json");
    assertTrue(invalid.contains("line 4, column") && invalid.contains("field bundles[0].id is \"nope\""), invalid);
  }

  /** Issue 17, row 5: a file that takes the boot feature's id is refused, not taken for the boot feature. */
  @Test
  void aFeatureFileInDeployWithTheBootFeaturesIdIsRefusedNamingIt() throws IOException {
    String boot = Files.readString(dist.home().resolve("system/features/dockevos-core.json"));
    String id = boot.replaceAll("(?s).*?\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    assertTrue(id.startsWith("io.dockevos:dockevos-core:"), id);
    dropIntoDeploy("fake-core.json", "{ \"id\": \"" + id + "\", \"bundles\": [ { \"id\": \"io.dockevos.test:good:1.0.0\" } ] }");
    String why = awaitMarker("fake-core.json");
    assertTrue(why.contains("deploy/fake-core.json") && why.contains("its id " + id + " is the boot feature's")
        && why.contains("Give the feature an id of its own"), why);
    assertNoTestBundles();
  }

  @Test
  void installedFeaturesAndRepositoriesSurviveARestart() throws IOException {
    Path extra = Files.writeString(Files.createDirectories(dist.root().resolve("repo")).resolve("kept.json"),
        "{ \"id\": \"org.example:kept:1.0.0\", \"bundles\": [ { \"id\": \"io.dockevos.test:provides-missing:1.0.0\" } ] }");
    ok("feature:repo-add " + extra);
    ok("feature:install test-good");
    String installedAt = feature("test-good").getString("installedAt");

    dist.stop();
    dist.start();

    JsonObject good = feature("test-good");
    assertEquals("INSTALLED", good.getString("state"), good::toString);
    assertEquals(installedAt, good.getString("installedAt"));
    assertActive(GOOD);
    assertActive(REQUIRES_HOST_BSN);
    assertTrue(ok("config:get io.dockevos.test.feature.good").out().contains("port = 8080"));
    assertEquals("AVAILABLE", feature("kept").getString("state"), "the repository is still registered");
    ok("feature:install kept");
    assertActive(PROVIDES_MISSING_BSN);
  }

  @Test
  void aFeatureWhoseBundleWasRemovedIsIncompleteAndInstallingItAgainRepairsIt() {
    ok("feature:install test-good");
    ok("plugin:uninstall " + REQUIRES_HOST_BSN);
    assertEquals("INCOMPLETE", feature("test-good").getString("state"));
    JsonObject info = json("feature:info --json test-good").asJsonObject();
    assertTrue(info.getJsonArray("problems").toString().contains(REQUIRES_HOST_BSN + " 1.0.0) is not installed"),
        info::toString);

    Result repair = ok("feature:install test-good");
    assertTrue(repair.out().contains("installing bundle 2/2: " + REQUIRES_HOST_BSN), repair::toString);
    assertTrue(repair.out().contains("bundle 1/2: " + GOOD + " 1.0.0 (io.dockevos.test:good:1.0.0) is installed"
        + " already"), repair::toString);
    assertEquals("INSTALLED", feature("test-good").getString("state"));
    ok("feature:uninstall test-good");
    assertNoTestBundles();
  }

  private static void dropIntoDeploy(String name, String json) {
    try {
      Path temp = Files.writeString(dist.root().resolve(name + ".tmp"), json, StandardCharsets.UTF_8);
      Files.move(temp, dist.deploy().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String awaitMarker(String name) {
    Path marker = dist.deploy().resolve(name + ".failed");
    Await.until("deploy/" + name + ".failed appears", ACT, () -> Files.exists(marker));
    try {
      return Files.readString(marker);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
