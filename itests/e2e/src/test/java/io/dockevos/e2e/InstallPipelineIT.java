package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dockevos.test.tiny.TinyBundles;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The install pipeline (issue 11) through {@code bin/dockevos}, with real third-party bundles: every
 * install is planned by the Felix resolver over {@code system/}, the local Maven repository and the
 * registered R5 indexes, and applied as one transaction behind a health gate.
 *
 * <p>The fixtures come from the build (itests/e2e/pom.xml): {@code dockevos.e2e.repo} is a Maven
 * repository layout with jackson-databind 2.17.2, jackson-core and jackson-annotations 2.16.2, 2.17.2
 * and 2.18.2, jackson-dataformat-yaml 2.17.2, snakeyaml 2.2 and every parent POM their effective
 * models need; {@code dockevos.e2e.dozen} holds twelve interdependent bundles to drop into {@code
 * deploy/}. Each test gets a freshly unpacked distribution whose local Maven repository is a copy of
 * the former, set both ways a user sets it: {@code localRepository} in {@code etc/dockevos.maven.cfg}
 * (with {@code offline = true}) and {@code -Dmaven.repo.local} in {@code JAVA_OPTS}.
 */
class InstallPipelineIT {

  private static final String DATABIND = "com.fasterxml.jackson.core.jackson-databind";
  private static final String CORE = "com.fasterxml.jackson.core.jackson-core";
  private static final String ANNOTATIONS = "com.fasterxml.jackson.core.jackson-annotations";
  private static final String YAML = "com.fasterxml.jackson.dataformat.jackson-dataformat-yaml";
  private static final String SNAKEYAML = "org.yaml.snakeyaml";
  /** What installing jackson-dataformat-yaml 2.17.2 from the repository brings: five bundles. */
  private static final Set<String> YAML_CLOSURE = Set.of(YAML, DATABIND, CORE, ANNOTATIONS, SNAKEYAML);
  private static final String DATABIND_JAR = "com/fasterxml/jackson/core/jackson-databind/2.17.2/jackson-databind-2.17.2.jar";
  private static final String ANNOTATIONS_JAR =
      "com/fasterxml/jackson/core/jackson-annotations/2.17.2/jackson-annotations-2.17.2.jar";
  private static final String YAML_JAR =
      "com/fasterxml/jackson/dataformat/jackson-dataformat-yaml/2.17.2/jackson-dataformat-yaml-2.17.2.jar";
  /** The location prefix of the bundles the plugin manager installs, the keys of {@code registry.json}. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private Distribution dist;
  /** The runtime's local Maven repository: a copy of dockevos.e2e.repo (the runtime may write an index into it). */
  private Path repo;
  /** Environment of every start: {@code JAVA_OPTS=-Dmaven.repo.local=<repo>}. */
  private Map<String, String> env;

  @BeforeEach
  void unpack() throws IOException {
    dist = Distribution.unpack();
    // The distribution's system/ holds Jackson 2.22 and SnakeYAML for the feature dockevos-mcp, which the
    // planner would take before the fixtures' Jackson 2.16 to 2.18: these tests are about what their own
    // repositories offer, so those copies go.
    for (String dir : List.of("system/com/fasterxml", "system/org/yaml")) {
      Path copies = dist.home().resolve(dir);
      if (Files.isDirectory(copies)) {
        try (java.util.stream.Stream<Path> all = Files.walk(copies)) {
          for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }

  @AfterEach
  void cleanUp() {
    if (dist != null) {
      dist.close();
    }
  }

  // ---- 1. deploy/ alone fails; one fix installs the versions databind's POM declares ----------------

  @Test
  void aLoneDeployedJarFailsAndOneFixInstallsTheVersionsItsPomDeclares() throws IOException {
    startWithRepository(fixtureRepository());
    drop(repo.resolve(DATABIND_JAR), "jackson-databind-2.17.2.jar");

    Path marker = dist.deploy().resolve("jackson-databind-2.17.2.jar.failed");
    Await.until("deploy/jackson-databind-2.17.2.jar.failed appears", WAIT, () -> Files.isRegularFile(marker));
    String why = Await.until("the marker holds the cause", Duration.ofSeconds(5), () -> read(marker), s -> !s.isBlank());
    assertTrue(why.contains("com.fasterxml.jackson.core"), () -> "the marker names what is missing:\n" + why);

    // The deploy folder's incident, analysed: one diagnosis for the bundle, not one per missing package.
    Result analyze = Await.until("assist:analyze has the incident of jackson-databind", WAIT,
        () -> dist.ok("assist:analyze"), r -> incidents(r.out()).stream().anyMatch(i -> i.header().contains(DATABIND)));
    List<Incident> about = incidents(analyze.out()).stream().filter(i -> i.header().contains(DATABIND)).toList();
    assertEquals(1, about.size(), () -> "one incident about " + DATABIND + "\n" + analyze);
    Incident incident = about.get(0);
    assertEquals(1, incident.diagnoses().size(), () -> "exactly one diagnosis about " + DATABIND + "\n" + analyze);
    String diagnosis = incident.diagnoses().get(0);
    assertTrue(diagnosis.contains("jackson-core") && diagnosis.contains("jackson-annotations"),
        () -> "the diagnosis names both providers, jackson-core and jackson-annotations:\n" + diagnosis);
    // The plan's providers, in the versions the plan takes; its one fix applies that plan.
    assertTrue(diagnosis.contains(CORE + " 2.17.2") && diagnosis.contains(ANNOTATIONS + " 2.17.2")
        && !diagnosis.contains("2.18.2"), () -> "the plan takes 2.17.2 of both:\n" + diagnosis);
    assertEquals(1, diagnosis.lines().filter(l -> l.startsWith("fix ")).count(), () -> "one fix:\n" + diagnosis);

    Result fix = dist.ok("assist:fix --yes " + incident.id());
    assertTrue(fix.out().contains(incident.id() + " is FIXED."), fix::toString);
    assertFalse(dist.ok("assist:analyze " + incident.id()).out().contains("crash loop"),
        "the fix's own start attempts are not a crash loop");
    Await.until(DATABIND + " is ACTIVE after the fix", WAIT, () -> state(DATABIND), s -> s.equals(Optional.of("ACTIVE")));
    for (String provider : List.of(CORE, ANNOTATIONS)) {
      List<JsonObject> installed = plugins(provider);
      assertEquals(1, installed.size(), () -> "one " + provider + " is installed: " + installed);
      assertEquals("2.17.2", installed.get(0).getString("version"),
          () -> provider + " in the version databind's POM declares, not the highest (2.18.2)");
      assertEquals("ACTIVE", installed.get(0).getString("state"));
    }
    Await.until("the marker is removed once the file works", WAIT, () -> !Files.exists(marker));
  }

  // ---- 2. a dozen dropped at once ------------------------------------------------------------------

  @Test
  void aDozenInterdependentBundlesDroppedAtOnceAllStartWithoutAnError() throws IOException {
    startWithRepository(fixtureRepository());
    List<Path> dozen = dozen();
    Map<String, String> versions = new TreeMap<>();
    for (Path jar : dozen) {
      versions.put(symbolicName(jar), bundleVersion(jar));
    }
    assertEquals(12, versions.size(), () -> "twelve bundles of distinct names: " + versions);

    // As a careful tool drops a batch: every file written under a temporary name first, then each renamed.
    for (Path jar : dozen) {
      Files.copy(jar, dist.deploy().resolve("." + jar.getFileName() + ".part"));
    }
    for (Path jar : dozen) {
      Files.move(dist.deploy().resolve("." + jar.getFileName() + ".part"), dist.deploy().resolve(jar.getFileName()),
          StandardCopyOption.ATOMIC_MOVE);
    }

    Await.until("all twelve are ACTIVE", WAIT, () -> {
      Map<String, String> states = new TreeMap<>();
      for (JsonObject p : plugins()) {
        states.put(p.getString("symbolicName"), p.getString("state"));
      }
      return versions.keySet().stream().allMatch(bsn -> "ACTIVE".equals(states.get(bsn)));
    });
    for (JsonObject p : plugins()) {
      String expected = versions.get(p.getString("symbolicName"));
      if (expected != null) {
        assertEquals(expected, p.getString("version"), () -> "the dropped version of " + p);
      }
    }
    assertEquals(List.of(), dist.logText().lines().filter(l -> l.contains("ERROR")).toList(),
        "no ERROR line in " + dist.log() + ": a batch is planned as one, so no file fails for a provider dropped beside it");
    assertEquals(List.of(), markers(), "no deploy/*.failed marker");
  }

  // ---- 3. --dry-run ---------------------------------------------------------------------------------

  @Test
  void dryRunNamesTheClosureAndChangesNothing() throws IOException {
    startWithRepository(fixtureRepository());
    Path databind = userCopy(DATABIND_JAR);
    List<String> before = listing();
    Set<String> storeBefore = files(dist.data().resolve("plugins/store"));
    String registryBefore = read(registry());

    Result r = dist.ok("plugin:install --dry-run " + databind);
    assertTrue(r.out().contains("jackson-databind"), r::toString);
    assertTrue(hasLine(r.out(), "jackson-core", "2.17.2"), () -> "names jackson-core 2.17.2\n" + r);
    assertTrue(hasLine(r.out(), "jackson-annotations", "2.17.2"), () -> "names jackson-annotations 2.17.2\n" + r);
    assertFalse(r.out().contains("2.18.2"), () -> "not the highest versions, the declared ones\n" + r);

    assertEquals(before, listing(), "plugin:list --all --json is the same after a dry run");
    assertEquals(storeBefore, files(dist.data().resolve("plugins/store")), "no file added under data/plugins/store");
    assertEquals(registryBefore, read(registry()), "data/plugins/registry.json is untouched");
  }

  // ---- 4. install with and without dependencies ---------------------------------------------------

  @Test
  void installAddsTheClosureAndSaysWhatItAdded() throws IOException {
    startWithRepository(fixtureRepository());
    Path databind = userCopy(DATABIND_JAR);

    Result r = dist.ok("plugin:install " + databind);
    assertTrue(r.out().contains("jackson-databind"), r::toString);
    assertTrue(hasLine(r.out(), "jackson-core", "2.17.2"), () -> "says it added jackson-core 2.17.2\n" + r);
    assertTrue(hasLine(r.out(), "jackson-annotations", "2.17.2"), () -> "says it added jackson-annotations 2.17.2\n" + r);
    for (String bsn : List.of(DATABIND, CORE, ANNOTATIONS)) {
      List<JsonObject> p = plugins(bsn);
      assertEquals(1, p.size(), () -> bsn + " installed once: " + p);
      assertEquals("2.17.2", p.get(0).getString("version"), bsn);
      assertEquals("ACTIVE", p.get(0).getString("state"), bsn);
    }
    assertTrue(plugin(DATABIND).getString("source").equals(databind.toString()), "databind keeps the source the user named");
  }

  @Test
  void noDepsIsRefusedNamingEachMissingProviderOnce() throws IOException {
    startWithRepository(fixtureRepository());
    Path databind = userCopy(DATABIND_JAR);
    List<String> before = listing();

    Result r = dist.fails("plugin:install --no-deps " + databind);
    String all = r.all();
    assertTrue(all.contains("jackson-core"), () -> "names the provider jackson-core\n" + r);
    assertTrue(all.contains("jackson-annotations"), () -> "names the provider jackson-annotations\n" + r);
    // databind imports ten packages of jackson-core: grouped by provider, not one line each.
    long packageLines = all.lines().filter(l -> l.matches(".*\\bcom\\.fasterxml\\.jackson\\.core\\.[a-z]+\\b(?![/-]).*")).count();
    assertTrue(packageLines <= 2, () -> packageLines + " lines name packages of jackson-core; one per provider is enough\n" + r);
    assertEquals(before, listing(), "nothing was installed");
  }

  // ---- 4a. remote Maven repositories ---------------------------------------------------------------------

  /**
   * The local repository has nothing of jackson; a remote (served on the loopback interface) has it
   * all. The plan fetches what databind's POM declares, then installs it.
   */
  @Test
  void whatThePomDeclaresIsFetchedFromTheRemoteRepositoryWhenTheLocalOneLacksIt() throws Exception {
    Path remote = fixtureRepository();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    server.createContext("/maven2/", exchange -> {
      String path = exchange.getRequestURI().getPath().substring("/maven2/".length());
      asked.add(path);
      // As a Maven repository serves them: each file, and its SHA-1 (the runtime refuses what has none).
      boolean sha1 = path.endsWith(".sha1");
      Path file = remote.resolve(sha1 ? path.substring(0, path.length() - ".sha1".length()) : path).normalize();
      boolean found = file.startsWith(remote) && Files.isRegularFile(file) && !path.endsWith(".md5");
      byte[] body = null;
      if (found) {
        try {
          body = sha1 ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(file)))
              .getBytes(StandardCharsets.US_ASCII) : Files.readAllBytes(file);
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(found ? 200 : 404, found && !head ? body.length : -1);
      try (java.io.OutputStream out = exchange.getResponseBody()) {
        if (found && !head) {
          out.write(body);
        }
      }
    });
    server.start();
    try {
      Path local = Files.createDirectories(dist.root().resolve("empty-local-repository"));
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/";
      Files.writeString(dist.home().resolve("etc/dockevos.maven.cfg"), "# written by InstallPipelineIT\n"
          + "localRepository = " + local + "\n"
          + "repositories = fixture=" + url + "\n"
          + "# plain http: on the loopback interface, for this test only\n"
          + "insecure = fixture\n");
      repo = remote;
      env = Map.of("JAVA_OPTS", "-Dmaven.repo.local=" + local);
      dist.start(env);
      Await.until("the mvn: resolver has etc/dockevos.maven.cfg", WAIT,
          () -> dist.client("scr:info io.dockevos.plugin.maven.internal.MavenSourceResolver").out(),
          out -> out.contains(url));
      Path databind = userCopy(DATABIND_JAR);

      Result r = dist.ok("plugin:install " + databind);
      assertTrue(hasLine(r.out(), "jackson-core", "2.17.2"), () -> "says it added jackson-core 2.17.2\n" + r);
      assertTrue(hasLine(r.out(), "jackson-annotations", "2.17.2"), () -> "and jackson-annotations 2.17.2\n" + r);
      for (String bsn : List.of(DATABIND, CORE, ANNOTATIONS)) {
        assertEquals("ACTIVE", plugin(bsn).getString("state"), bsn);
        assertEquals("2.17.2", plugin(bsn).getString("version"), bsn);
      }
      assertTrue(Files.isRegularFile(local.resolve("com/fasterxml/jackson/core/jackson-core/2.17.2/jackson-core-2.17.2.jar")),
          "fetched into the local repository");
      assertTrue(asked.contains("com/fasterxml/jackson/core/jackson-core/2.17.2/jackson-core-2.17.2.jar"), asked::toString);
      // A BOM a parent imports is read; the jars of test dependencies are not fetched.
      assertFalse(asked.stream().anyMatch(p -> p.contains("junit") && p.endsWith(".jar")),
          () -> "test dependencies are not fetched: " + asked);
    } finally {
      server.stop(0);
    }
  }

  // ---- 4b. updates and uninstalls are plans too -------------------------------------------------------

  @Test
  void anUninstallThatAnotherPluginNeedsIsRefusedUnlessForcedAndItsDryRunChangesNothing() throws IOException {
    startWithRepository(fixtureRepository());
    dist.ok("plugin:install " + userCopy(DATABIND_JAR));
    List<String> before = listing();

    Result dry = dist.ok("plugin:uninstall --dry-run --force " + CORE);
    assertTrue(hasLine(dry.out(), "uninstall", CORE), () -> "the plan's row\n" + dry);
    assertTrue(dry.out().contains("Stops resolving: " + DATABIND + " 2.17.2, which needs package com.fasterxml.jackson.core"),
        dry::toString);
    assertTrue(dry.out().contains("nothing was changed (--dry-run)"), dry::toString);
    Result refused = dist.fails("plugin:uninstall " + CORE);
    assertTrue(refused.all().contains("Cannot uninstall " + CORE), refused::toString);
    assertTrue(refused.all().contains(DATABIND + " 2.17.2 requires package com.fasterxml.jackson.core"),
        () -> "names the plugin that needs it\n" + refused);
    assertTrue(refused.all().contains("--force"), refused::toString);
    assertEquals(before, listing(), "neither the dry run nor the refused uninstall changed anything");

    Result both = dist.ok("plugin:uninstall " + DATABIND + " " + ANNOTATIONS + " " + CORE);
    assertTrue(both.out().contains("Uninstalled " + CORE + " 2.17.2"), both::toString);
    assertEquals(List.of(), plugins(CORE), "named together, they go together");
    assertEquals(List.of(), plugins(DATABIND));
  }

  @Test
  void anUpdateIsPlannedWithWhatIsWiredToItAndADryRunChangesNothing() throws IOException {
    startWithRepository(fixtureRepository());
    dist.ok("plugin:install " + userCopy(DATABIND_JAR));
    Path newer = repo.resolve("com/fasterxml/jackson/core/jackson-core/2.18.2/jackson-core-2.18.2.jar");
    List<String> before = listing();

    Result dry = dist.ok("plugin:update --dry-run " + CORE + " " + newer);
    assertTrue(hasLine(dry.out(), "update", CORE, "2.18.2"), () -> "the plan's row\n" + dry);
    assertTrue(dry.out().contains("Refreshed (they restart): " + DATABIND + " 2.17.2"), dry::toString);
    assertEquals(before, listing(), "a dry run changes nothing");

    Result r = dist.ok("plugin:update " + CORE + " " + newer);
    assertTrue(r.out().contains("Updated " + CORE + " to 2.18.2: ACTIVE"), r::toString);
    assertEquals("ACTIVE", plugin(DATABIND).getString("state"), "databind, refreshed onto it, runs");
    assertEquals(newer.toString(), plugin(CORE).getString("source"));
  }

  // ---- 5. R5 indexes ---------------------------------------------------------------------------------

  @Test
  void anR5IndexIsAddedListedSearchedAndRemoved() throws IOException {
    // An empty local repository: whatever plugin:search finds comes from the index.
    startWithRepository(Files.createDirectories(dist.root().resolve("empty-repository")));
    Path jar = Files.createDirectories(dist.root().resolve("index")).resolve("jackson-annotations-2.17.2.jar");
    Files.copy(Path.of(property("dockevos.e2e.repo")).resolve(ANNOTATIONS_JAR), jar);
    Path index = dist.root().resolve("index/e2e-index.xml");
    Files.writeString(index, r5Index("e2e-index", jar, ANNOTATIONS, "2.17.2", "com.fasterxml.jackson.annotation"));

    assertFalse(searchFinds(ANNOTATIONS), "before repo:add, nothing offers " + ANNOTATIONS);
    dist.ok("repo:add " + index);
    Result list = dist.ok("repo:list");
    assertTrue(list.out().contains("e2e-index"), () -> "repo:list shows the index\n" + list);
    assertTrue(list.out().contains("system") && list.out().contains("maven-local"), () -> "and the built-in ones\n" + list);
    Result search = dist.ok("plugin:search jackson-annotations");
    assertTrue(hasLine(search.out(), ANNOTATIONS, "2.17.2"), () -> "plugin:search lists the index's bundle\n" + search);

    dist.stop();
    dist.start(env);
    assertTrue(dist.ok("repo:list").out().contains("e2e-index"), "the registration survives a restart");

    dist.ok("repo:remove e2e-index");
    Result after = dist.ok("repo:list");
    assertFalse(after.out().contains("e2e-index"), () -> "repo:remove removes it\n" + after);
    assertFalse(searchFinds(ANNOTATIONS), "and its bundles are no longer offered");
  }

  // ---- 6. the health gate ------------------------------------------------------------------------

  @Test
  void aPluginThatFailsTheHealthGateIsRefusedAndLeavesNothingBehind() throws IOException {
    startWithRepository(Files.createDirectories(dist.root().resolve("empty-repository")));
    // The tiny bundle "unsatisfied": a DS component whose mandatory reference nobody provides, with a
    // configuration beside it in a plugin archive, so that the install applies one.
    Path archive = dist.root().resolve("unsatisfied.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive));
        InputStream in = TinyBundles.open(TinyBundles.UNSATISFIED)) {
      zip.putNextEntry(new ZipEntry("unsatisfied.jar"));
      in.transferTo(zip);
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("io.dockevos.test.unsatisfied.gate.cfg"));
      zip.write("colour = red\n".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    List<String> before = listing();
    String registryBefore = read(registry());

    long begin = System.nanoTime();
    Result r = dist.fails("plugin:install " + archive);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin);
    assertTrue(r.err().contains("io.dockevos.test.unsatisfied"), () -> "names the plugin\n" + r);
    assertTrue(r.err().contains("NeedsWanted") || r.err().contains("io.dockevos.test.wanted.Wanted"),
        () -> "names the component or the service it waits for\n" + r);
    assertTrue(seconds >= 8 && seconds < 60, "refused once the gate's 10 s ran out, not at once and not never: " + seconds + " s");

    assertEquals(before, listing(), "nothing is left installed");
    assertTrue(BundleRow.find(dist.bundles(), "io.dockevos.test.unsatisfied").isEmpty(), "not even in lb -s");
    Result config = dist.client("config:get io.dockevos.test.unsatisfied.gate");
    assertTrue(config.exit() == 1 && config.err().contains("no configuration with PID io.dockevos.test.unsatisfied.gate"),
        () -> "the configuration the install applied is removed\n" + config);
    assertEquals(registryBefore, read(registry()), "data/plugins/registry.json is as it was");
  }

  // ---- 7. kill -9 while a plan is applied ----------------------------------------------------------

  /**
   * The client's own JVM takes about 0.4 s to start here, so the first delays mostly kill the
   * runtime before or while it plans; the later ones land in the apply (install, resolve, start,
   * registry write, health gate) of the five bundles. Each prints which way the plan went.
   */
  @ParameterizedTest(name = "kill -9 {0} ms after the command")
  @ValueSource(longs = {0, 50, 150, 400, 700, 1000, 1500})
  void aKillDuringApplyLeavesThePlanWhollyThereOrWhollyAbsent(long delayMillis) throws Exception {
    startWithRepository(fixtureRepository());
    Path yaml = userCopy(YAML_JAR);
    Process install = dist.launch(dist.root(), Map.of(), List.of(dist.script().toString(), "client", "plugin:install " + yaml));
    Await.sleep(delayMillis);
    dist.kill();
    install.waitFor(20, TimeUnit.SECONDS);

    dist.start(env);
    dist.assertBootBundlesActive();

    dist.assertRegistryAgreesWithFramework();
    dist.assertJsonFilesParse();

    // The plan: all five or none, and if there, every one ACTIVE.
    List<JsonObject> present = plugins().stream().filter(p -> YAML_CLOSURE.contains(p.getString("symbolicName"))).toList();
    assertTrue(present.isEmpty() || present.size() == YAML_CLOSURE.size(),
        () -> "the plan is either fully there or fully absent: " + present);
    for (JsonObject p : present) {
      assertEquals("ACTIVE", p.getString("state"), p::toString);
    }
    System.out.println("kill -9 " + delayMillis + " ms after the command: the plan is wholly "
        + (present.isEmpty() ? "absent" : "there"));
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private static String property(String name) {
    String value = System.getProperty(name);
    assertTrue(value != null && Files.isDirectory(Path.of(value)),
        "the system property " + name + " must name the fixture folder that itests/e2e/pom.xml fills, it is " + value);
    return value;
  }

  /** @return a copy of dockevos.e2e.repo in the test's folder */
  private Path fixtureRepository() throws IOException {
    Path source = Path.of(property("dockevos.e2e.repo"));
    Path target = dist.root().resolve("maven-repository");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.toList()) {
        Path to = target.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    return target;
  }

  /** @return the dozen, sorted by file name */
  private static List<Path> dozen() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(property("dockevos.e2e.dozen")))) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    }
  }

  /**
   * Points the runtime at {@code repository} as its local Maven repository, both ways a user does,
   * offline, then starts it and waits until the mvn: resolver has the configuration.
   */
  private void startWithRepository(Path repository) throws IOException {
    repo = repository;
    Files.writeString(dist.home().resolve("etc/dockevos.maven.cfg"), "# written by InstallPipelineIT\n"
        + "localRepository = " + repository + "\n"
        + "offline = true\n");
    env = Map.of("JAVA_OPTS", "-Dmaven.repo.local=" + repository);
    dist.start(env);
    Await.until("the mvn: resolver has etc/dockevos.maven.cfg", WAIT,
        () -> dist.client("scr:info io.dockevos.plugin.maven.internal.MavenSourceResolver").out(),
        out -> out.contains(repository.toString()));
  }

  /** @return a copy of a jar of the repository outside it, where a user keeps a download */
  private Path userCopy(String repositoryPath) throws IOException {
    Path jar = repo.resolve(repositoryPath);
    Path copy = Files.createDirectories(dist.root().resolve("downloads")).resolve(jar.getFileName());
    Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  /** Drops a file as a careful tool does: written under a temporary name in deploy/, then renamed. */
  private void drop(Path file, String as) throws IOException {
    Path temp = dist.deploy().resolve("." + as + ".part");
    Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(temp, dist.deploy().resolve(as), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private List<Path> markers() throws IOException {
    try (Stream<Path> files = Files.list(dist.deploy())) {
      return files.filter(f -> f.toString().endsWith(".failed")).toList();
    }
  }

  private Path registry() {
    return dist.data().resolve("plugins/registry.json");
  }

  /** @return every bundle, the runtime's own included, as {@code plugin:list --all --json} prints them */
  private List<JsonObject> plugins() {
    Result r = dist.ok("plugin:list --all --json");
    return Json.createReader(new StringReader(r.out())).readArray().getValuesAs(JsonObject.class);
  }

  private List<JsonObject> plugins(String symbolicName) {
    return plugins().stream().filter(p -> p.getString("symbolicName").equals(symbolicName)).toList();
  }

  private JsonObject plugin(String symbolicName) {
    List<JsonObject> p = plugins(symbolicName);
    assertEquals(1, p.size(), () -> symbolicName + " in plugin:list --all --json: " + p);
    return p.get(0);
  }

  private Optional<String> state(String symbolicName) {
    return plugins(symbolicName).stream().map(p -> p.getString("state")).findFirst();
  }

  /** @return each bundle as {@code name version state}, sorted: what a dry run must leave as it was */
  private List<String> listing() {
    return plugins().stream().map(p -> p.getString("symbolicName") + " " + p.getString("version") + " " + p.getString("state"))
        .sorted().toList();
  }

  /** @return the location of every bundle, from {@code lb -l} */
  private boolean searchFinds(String symbolicName) {
    Result r = dist.client("plugin:search jackson-annotations");
    return r.exit() == 0 && r.out().contains(symbolicName);
  }

  /** @return whether one line holds every one of {@code words} */
  private static boolean hasLine(String text, String... words) {
    return text.lines().anyMatch(l -> Stream.of(words).allMatch(l::contains));
  }

  /** One incident of {@code assist:analyze}: its header line and its numbered diagnoses, each with its fix lines. */
  record Incident(String header, List<String> diagnoses) {
    String id() {
      return header.split(" ", 2)[0];
    }
  }

  /**
   * Reads {@code assist:analyze}: an unindented line opens an incident ({@code E1 [ERROR, deploy, ...]
   * summary}), {@code "  1. cause"} opens a diagnosis, deeper lines ({@code "     fix 1 ..."}) belong to it.
   */
  static List<Incident> incidents(String analyze) {
    List<Incident> incidents = new ArrayList<>();
    List<String> diagnoses = null;
    for (String line : analyze.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        diagnoses = new ArrayList<>();
        incidents.add(new Incident(line, diagnoses));
      } else if (diagnoses != null && line.matches("^ {1,3}\\d+\\. .*")) {
        diagnoses.add(line.strip());
      } else if (diagnoses != null && !diagnoses.isEmpty()) {
        int last = diagnoses.size() - 1;
        diagnoses.set(last, diagnoses.get(last) + "\n" + line.strip());
      }
    }
    return incidents;
  }

  /**
   * An OSGi R5 repository index (namespace {@code http://www.osgi.org/xmlns/repository/v1.0.0}) of
   * one bundle, written by hand: its identity, its content ({@code file:} URL, SHA-256, size), the
   * bundle and host capabilities, the packages it exports, and its execution environment.
   */
  static String r5Index(String name, Path jar, String symbolicName, String version, String... packages) throws IOException {
    byte[] bytes = Files.readAllBytes(jar);
    String sha256;
    try {
      sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return r5Index(name, jar.toUri().toString(), bytes, sha256, symbolicName, version, packages);
  }

  /** An R5 index of one bundle, {@code bytes}, offered at {@code url} with the SHA-256 {@code sha256} (right or wrong). */
  static String r5Index(String name, String url, byte[] bytes, String sha256, String symbolicName, String version,
      String... packages) {
    StringBuilder x = new StringBuilder();
    x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.append("<repository xmlns=\"http://www.osgi.org/xmlns/repository/v1.0.0\" name=\"").append(name)
        .append("\" increment=\"").append(System.currentTimeMillis()).append("\">\n");
    x.append("  <resource>\n");
    x.append("    <capability namespace=\"osgi.identity\">\n");
    x.append("      <attribute name=\"osgi.identity\" value=\"").append(symbolicName).append("\"/>\n");
    x.append("      <attribute name=\"type\" value=\"osgi.bundle\"/>\n");
    x.append("      <attribute name=\"version\" type=\"Version\" value=\"").append(version).append("\"/>\n");
    x.append("    </capability>\n");
    x.append("    <capability namespace=\"osgi.content\">\n");
    x.append("      <attribute name=\"osgi.content\" value=\"").append(sha256).append("\"/>\n");
    x.append("      <attribute name=\"url\" value=\"").append(url).append("\"/>\n");
    x.append("      <attribute name=\"size\" type=\"Long\" value=\"").append(bytes.length).append("\"/>\n");
    x.append("      <attribute name=\"mime\" value=\"application/vnd.osgi.bundle\"/>\n");
    x.append("    </capability>\n");
    x.append("    <capability namespace=\"osgi.wiring.bundle\">\n");
    x.append("      <attribute name=\"osgi.wiring.bundle\" value=\"").append(symbolicName).append("\"/>\n");
    x.append("      <attribute name=\"bundle-version\" type=\"Version\" value=\"").append(version).append("\"/>\n");
    x.append("    </capability>\n");
    x.append("    <capability namespace=\"osgi.wiring.host\">\n");
    x.append("      <attribute name=\"osgi.wiring.host\" value=\"").append(symbolicName).append("\"/>\n");
    x.append("      <attribute name=\"bundle-version\" type=\"Version\" value=\"").append(version).append("\"/>\n");
    x.append("    </capability>\n");
    for (String p : packages) {
      x.append("    <capability namespace=\"osgi.wiring.package\">\n");
      x.append("      <attribute name=\"osgi.wiring.package\" value=\"").append(p).append("\"/>\n");
      x.append("      <attribute name=\"version\" type=\"Version\" value=\"").append(version).append("\"/>\n");
      x.append("      <attribute name=\"bundle-symbolic-name\" value=\"").append(symbolicName).append("\"/>\n");
      x.append("      <attribute name=\"bundle-version\" type=\"Version\" value=\"").append(version).append("\"/>\n");
      x.append("    </capability>\n");
    }
    x.append("    <requirement namespace=\"osgi.ee\">\n");
    x.append("      <directive name=\"filter\" value=\"(&amp;(osgi.ee=JavaSE)(version=1.6))\"/>\n");
    x.append("    </requirement>\n");
    x.append("  </resource>\n");
    x.append("</repository>\n");
    return x.toString();
  }

  private static String symbolicName(Path jar) throws IOException {
    return manifest(jar, "Bundle-SymbolicName").split(";")[0].trim();
  }

  private static String bundleVersion(Path jar) throws IOException {
    // plugin:list prints the OSGi version: snakeyaml's "2.2" is 2.2.0.
    String[] parts = manifest(jar, "Bundle-Version").trim().split("\\.", 4);
    return parts[0] + "." + (parts.length > 1 ? parts[1] : "0") + "." + (parts.length > 2 ? parts[2] : "0")
        + (parts.length > 3 ? "." + parts[3] : "");
  }

  private static String manifest(Path jar, String header) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      String value = j.getManifest().getMainAttributes().getValue(header);
      assertTrue(value != null, () -> jar + " has no " + header);
      return value;
    }
  }

  /** @return the files under {@code dir}, relative to it, with their sizes; empty when it does not exist */
  private static Set<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      Set<String> names = new TreeSet<>();
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        names.add(dir.relativize(f) + " " + Files.size(f));
      }
      return names;
    }
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
