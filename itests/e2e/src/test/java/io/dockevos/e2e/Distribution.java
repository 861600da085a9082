package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The built distribution archive, unpacked into a fresh temporary directory, and driven only
 * through {@code bin/dockevos}, as a user would.
 *
 * <p>Closing it stops every instance it started (with {@code bin/dockevos stop}, then by the PID
 * it started if that did not work) and deletes the directory.
 */
final class Distribution implements AutoCloseable {
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern STARTED = Pattern.compile("dockevOS started \\(pid (\\d+)\\)");
  /** Every PID that any distribution started in this JVM, killed by number if a test run is cut short. */
  private static final Set<Long> STARTED_PIDS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED_PIDS.forEach(pid ->
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)), "dockevos-e2e-cleanup"));
  }

  private final Path root;
  private final Path home;
  private final List<Process> processes = new ArrayList<>();
  /** Whether closing it deletes {@link #root}: not for a second home inside another distribution's root. */
  private final boolean ownsRoot;
  private int outputs;

  private Distribution(Path root, Path home) {
    this(root, home, true);
  }

  private Distribution(Path root, Path home, boolean ownsRoot) {
    this.root = root;
    this.home = home;
    this.ownsRoot = ownsRoot;
  }

  /**
   * @return the home at {@code otherHome} (a copy or a move of this one, inside {@link #root}), driven
   *     through its own {@code bin/dockevos}; closing it stops it and deletes nothing
   */
  Distribution at(Path otherHome) {
    return new Distribution(root, otherHome, false);
  }

  /** Unpacks the archive that the build made with {@code tar}, as a user would. */
  static Distribution unpack() {
    String archive = System.getProperty("dockevos.archive");
    assertTrue(archive != null && Files.isRegularFile(Path.of(archive)),
        "the system property dockevos.archive must name the built .tar.gz, it is " + archive);
    try {
      Path root = Files.createTempDirectory("dockevos-e2e-");
      Distribution d = new Distribution(root, null);
      Path unpacked = Files.createDirectories(root.resolve("dist"));
      Result tar = d.exec(root, Duration.ofSeconds(60), Map.of(), List.of("tar", "-xzf", archive, "-C", unpacked.toString()));
      assertEquals(0, tar.exit(), () -> "unpacking the archive\n" + tar);
      List<Path> tops;
      try (Stream<Path> s = Files.list(unpacked)) {
        tops = s.toList();
      }
      assertEquals(1, tops.size(), "the archive has one top directory: " + tops);
      // The script names its home by its physical path (pwd -P); so do the tests.
      return new Distribution(root.toRealPath(), tops.get(0).toRealPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the temporary directory that holds the distribution and anything else a test makes */
  Path root() {
    return root;
  }

  /** @return the unpacked distribution: {@code bin/}, {@code etc/}, {@code deploy/}, ... */
  Path home() {
    return home;
  }

  Path script() {
    return home.resolve("bin/dockevos");
  }

  Path data() {
    return home.resolve("data");
  }

  Path deploy() {
    return home.resolve("deploy");
  }

  /** Where {@link #provideTheMissingPackage()} puts the provider, relative to the home. */
  static final String MISSING_PROVIDER = "system/io/dockevos/test/providesmissing/1.0.0/providesmissing-1.0.0.jar";

  /**
   * Puts the tiny bundle that exports {@code io.dockevos.test.missing} into the home's {@code system/}
   * repository, and nowhere else: {@code needs-missing.jar} then fails in {@code deploy/} with an
   * incident whose fix (install the provider from the repository) the assistant finds.
   */
  void provideTheMissingPackage() {
    Path target = home.resolve(MISSING_PROVIDER);
    try {
      Files.createDirectories(target.getParent());
      Files.copy(io.dockevos.test.tiny.TinyBundles.copyTo(io.dockevos.test.tiny.TinyBundles.PROVIDES_MISSING,
          Files.createDirectories(root.resolve("provider"))), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path log() {
    return data().resolve("log/dockevos.log");
  }

  /**
   * Makes a token with {@code bin/dockevos token create --name NAME OPTIONS} (such as {@code --scope admin}).
   *
   * @return its secret, which that command prints on its second line
   */
  String token(String name, String... options) {
    List<String> args = new ArrayList<>(List.of("token", "create", "--name", name));
    args.addAll(List.of(options));
    Result r = dockevos(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("Token "), r::toString);
    String secret = r.out().lines().skip(1).findFirst().orElseThrow().strip();
    assertTrue(secret.matches("dkv_[A-Za-z0-9_-]{43}"), () -> "a secret of 32 random bytes: " + r);
    return secret;
  }

  /** Runs {@code bin/dockevos ARGS} from a directory outside the home. */
  Result dockevos(String... args) {
    return dockevosIn(root, args);
  }

  /** Runs {@code bin/dockevos ARGS} from the working directory {@code cwd}. */
  Result dockevosIn(Path cwd, String... args) {
    return run(cwd, script(), args);
  }

  /** Runs {@code launcher ARGS}, where the launcher is the script or a link to it. */
  Result run(Path cwd, Path launcher, String... args) {
    return run(cwd, Map.of(), launcher, args);
  }

  /** Runs {@code launcher ARGS} with more environment variables. */
  Result run(Path cwd, Map<String, String> env, Path launcher, String... args) {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    Result r = exec(cwd, COMMAND_TIMEOUT, env, command);
    Matcher m = STARTED.matcher(r.out());
    if (m.find()) {
      STARTED_PIDS.add(Long.parseLong(m.group(1)));
    }
    return r;
  }

  /** {@code bin/dockevos client CMD} */
  Result client(String command) {
    return dockevos("client", command);
  }

  /** {@code bin/dockevos client CMD}; asserts that it succeeded. */
  Result ok(String command) {
    Result r = client(command);
    assertEquals(0, r.exit(), () -> command + " must succeed\n" + r);
    return r;
  }

  /** {@code bin/dockevos client CMD}; asserts that the command failed (exit status 1). */
  Result fails(String command) {
    Result r = client(command);
    assertEquals(1, r.exit(), () -> command + " must fail with exit status 1\n" + r);
    assertTrue(r.err().startsWith("Error: "), () -> "the client prints the error\n" + r);
    return r;
  }

  /** {@code bin/dockevos start}; asserts that it started, and returns the PID it printed. */
  long start() {
    Result r = dockevos("start");
    Matcher m = STARTED.matcher(r.out());
    assertTrue(r.exit() == 0 && m.find(), () -> "bin/dockevos start must print 'dockevOS started (pid N)'\n" + r);
    return Long.parseLong(m.group(1));
  }

  /** {@code bin/dockevos start} with more environment variables; asserts that it started. */
  long start(Map<String, String> env) {
    Result r = run(root, env, script(), "start");
    Matcher m = STARTED.matcher(r.out());
    assertTrue(r.exit() == 0 && m.find(), () -> "bin/dockevos start must print 'dockevOS started (pid N)'\n" + r);
    return Long.parseLong(m.group(1));
  }

  /** {@code bin/dockevos stop}; asserts that it succeeded. */
  void stop() {
    Result r = dockevos("stop");
    assertEquals(0, r.exit(), () -> "bin/dockevos stop\n" + r);
  }

  boolean running() {
    return dockevos("status").exit() == 0;
  }

  /** Starts an instance unless one runs; returns its PID. */
  long ensureStarted() {
    if (running()) {
      return pid();
    }
    return start();
  }

  void ensureStopped() {
    if (running()) {
      stop();
    }
  }

  /** @return the PID in {@code data/dockevos.pid} */
  long pid() {
    try {
      return Long.parseLong(Files.readString(data().resolve("dockevos.pid")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the bundles, as {@code bin/dockevos client 'lb -s'} lists them */
  List<BundleRow> bundles() {
    Result r = client("lb -s");
    assertEquals(0, r.exit(), () -> "bin/dockevos client 'lb -s'\n" + r);
    return BundleRow.parse(r.out());
  }

  /** The boot features of an instance in the background (and of run -c). */
  static final List<String> BACKGROUND = List.of("dockevos-core", "dockevos-shell");
  /** The boot features of the console in the foreground. */
  static final List<String> CONSOLE = List.of("dockevos-core", "dockevos-console");

  /** @return the Maven IDs of the bundles of the background instance's boot features */
  List<String> bootBundleIds() {
    return bootBundleIds(BACKGROUND);
  }

  /** @return the Maven IDs (group:artifact:version) of the bundles that the features name */
  List<String> bootBundleIds(List<String> features) {
    List<String> ids = new ArrayList<>();
    for (String feature : features) {
      try {
        String json = Files.readString(home.resolve("system/features/" + feature + ".json"));
        String bundles = json.substring(json.indexOf("\"bundles\""), json.indexOf(']', json.indexOf("\"bundles\"")));
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(bundles);
        while (m.find()) {
          ids.add(m.group(1));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertTrue(ids.size() > 5, "the boot features name their bundles: " + ids);
    return ids;
  }

  Path systemFile(String id) {
    String[] gav = id.split(":");
    return home.resolve("system").resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
        .resolve(gav[1] + "-" + gav[2] + ".jar");
  }

  /**
   * @return the symbolic name of every bundle of the boot feature, read from its jar in
   *     {@code system/}, or from the build's local repository if {@code system/} lacks it (a test
   *     of its own checks that it does not)
   */
  Set<String> bootBundles() {
    return bootBundles(BACKGROUND);
  }

  /** @return the symbolic name of every bundle of the features, as {@link #bootBundles()} */
  Set<String> bootBundles(List<String> features) {
    Set<String> names = new TreeSet<>();
    for (String id : bootBundleIds(features)) {
      Path jar = systemFile(id);
      if (!Files.isRegularFile(jar)) {
        jar = Path.of(System.getProperty("dockevos.localRepository", System.getProperty("user.home") + "/.m2/repository"))
            .resolve(home.resolve("system").relativize(jar));
      }
      try (JarFile j = new JarFile(jar.toFile())) {
        String bsn = j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
        names.add(bsn.split(";")[0].trim());
      } catch (IOException e) {
        throw new UncheckedIOException("reading the boot bundle " + id, e);
      }
    }
    return names;
  }

  /** Asserts that every boot bundle is listed and Active. */
  void assertBootBundlesActive() {
    List<BundleRow> rows = bundles();
    Set<String> boot = bootBundles();
    assertTrue(boot.contains("io.dockevos.core"), "system/ holds io.dockevos.core: " + boot);
    for (String bsn : boot) {
      assertTrue(BundleRow.find(rows, bsn).map(BundleRow::active).orElse(false),
          () -> "boot bundle " + bsn + " must be Active in lb -s:\n" + String.join("\n", rows.stream().map(Object::toString).toList()));
    }
  }

  /** A row of {@code lb -l}: {@code 22|Active     |   80|dockevos:plugin:x/1.0.0|1.0.0}. */
  private static final Pattern LOCATION_ROW = Pattern.compile("^\\s*(\\d+)\\|(\\w+)\\s*\\|\\s*(\\d+)\\|(.*)\\|([^|]*)$");
  /** Where the plugin manager installs a plugin: {@code dockevos:plugin:NAME/VERSION}. */
  static final String PLUGIN_LOCATION = "dockevos:plugin:";

  /** @return the location of every bundle in the framework, as {@code lb -l} prints them */
  List<String> locations() {
    List<String> locations = new ArrayList<>();
    for (String line : ok("lb -l").out().split("\\R")) {
      Matcher m = LOCATION_ROW.matcher(line);
      if (m.matches()) {
        locations.add(m.group(4).trim());
      }
    }
    return locations;
  }

  /**
   * Asserts that {@code data/plugins/registry.json} and the framework agree, location by location:
   * every plugin the framework has is recorded, every record is a bundle the framework has, and no
   * record is still pending (a plan that a kill cut short is completed or undone at the start).
   */
  void assertRegistryAgreesWithFramework() {
    List<String> framework = locations();
    Set<String> installed = new TreeSet<>();
    for (String location : framework) {
      if (location.startsWith(PLUGIN_LOCATION)) {
        installed.add(location);
      }
    }
    Path file = data().resolve("plugins/registry.json");
    Set<String> recorded = new TreeSet<>();
    if (Files.isRegularFile(file)) {
      try (var reader = jakarta.json.Json.createReader(Files.newBufferedReader(file))) {
        reader.readObject().getJsonObject("plugins").forEach((location, entry) -> {
          recorded.add(location);
          assertTrue(!entry.asJsonObject().getBoolean("pending", false), () -> location + " is still pending in data/plugins/registry.json");
          assertTrue(framework.contains(location), () -> "data/plugins/registry.json records " + location
              + ", which the framework does not have: " + framework);
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertEquals(installed, recorded, "every plugin the framework has is in data/plugins/registry.json, and no other");
  }

  /** Kills the running instance with SIGKILL, as {@code kill -9} does, and waits until it is gone. */
  void kill() {
    long pid = pid();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    Await.until("pid " + pid + " is gone after SIGKILL", Duration.ofSeconds(20), () -> !alive(pid));
  }

  /**
   * @return every folder and file under {@code root} (itself first), as {@link Files#walk} lists them, but
   *     for a running runtime: what goes while the folder is read (an atomic write's {@code .tmp},
   *     renamed into place) is left out instead of failing the walk
   */
  static List<Path> tree(Path root) {
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
          found.add(dir);
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
          found.add(file);
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof java.nio.file.NoSuchFileException) {
            return java.nio.file.FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Asserts that every JSON file under data/ parses: each was replaced whole or not at all. */
  void assertJsonFilesParse() {
    for (Path json : tree(data()).stream().filter(f -> f.toString().endsWith(".json") && Files.isRegularFile(f)).toList()) {
      try (var reader = jakarta.json.Json.createReader(Files.newBufferedReader(json))) {
        reader.readValue();
      } catch (java.nio.file.NoSuchFileException gone) {
        // replaced since it was listed: the new one is judged next time
      } catch (jakarta.json.JsonException e) {
        throw new AssertionError("data/" + data().relativize(json) + " does not parse: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }


  /** @return the log file's text, or "" before it exists */
  String logText() {
    try {
      return Files.isRegularFile(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a process that the test drives itself (the console). It is destroyed, with its
   * children, when the distribution closes.
   */
  Process launch(Path cwd, Map<String, String> env, List<String> command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
      environment(pb.environment());
      pb.environment().putAll(env);
      pb.redirectErrorStream(true);
      Process p = pb.start();
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command to its end, or kills it (and its children) at the deadline and fails. */
  Result exec(Path cwd, Duration timeout, List<String> command) {
    return exec(cwd, timeout, Map.of(), command);
  }

  /** Runs a command to its end, with more environment variables, or kills it at the deadline and fails. */
  Result exec(Path cwd, Duration timeout, Map<String, String> env, List<String> command) {
    try {
      int n = ++outputs;
      Path out = Files.createDirectories(root.resolve("io")).resolve(n + ".out");
      Path err = root.resolve("io").resolve(n + ".err");
      ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      environment(pb.environment());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        destroyTree(p.toHandle());
        throw new AssertionError("not finished within " + timeout.toSeconds() + " s, killed: " + String.join(" ", command)
            + "\n" + new Result(command, -1, Files.readString(out), Files.readString(err)));
      }
      Result r = new Result(command, p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The user's environment, without settings that would point the script elsewhere. */
  static void environment(Map<String, String> env) {
    env.remove("DOCKEVOS_HOME");
    env.remove("JAVA_OPTS");
    env.remove("DOCKEVOS_START_TIMEOUT");
    env.remove("DOCKEVOS_STOP_TIMEOUT");
    // The distribution runs on the JDK that runs the tests (JDK 17, or 25 with JAVA_HOME set for Maven).
    env.put("JAVA_HOME", System.getProperty("java.home"));
  }

  /**
   * @return whether the process runs: it exists and is not a zombie. An instance started in the
   *     background is not our child, and where PID 1 does not reap orphans it stays a zombie.
   */
  static boolean alive(long pid) {
    if (ProcessHandle.of(pid).isEmpty()) {
      return false;
    }
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .noneMatch(l -> l.matches("State:\\s*[ZX].*"));
    } catch (IOException gone) {
      return false;
    }
  }

  static void destroyTree(ProcessHandle p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // nothing more to do: it was killed
    }
  }

  /** Stops the instance, kills whatever this distribution started that still runs, deletes the directory. */
  @Override
  public void close() {
    List<Throwable> problems = new ArrayList<>();
    for (Process p : processes) {
      destroyTree(p.toHandle());
    }
    if (home != null && Files.exists(script())) {
      try {
        if (running()) {
          Result r = dockevos("stop");
          if (r.exit() != 0) {
            problems.add(new AssertionError("bin/dockevos stop failed while cleaning up\n" + r));
          }
        }
      } catch (RuntimeException | AssertionError e) {
        problems.add(e);
      }
      // Anything this home started that is still alive, by the PIDs it printed or recorded.
      Set<Long> pids = new TreeSet<>(STARTED_PIDS);
      try {
        pids.add(pid());
      } catch (RuntimeException noPidFile) {
        // not running
      }
      for (long pid : pids) {
        ProcessHandle.of(pid).filter(h -> alive(pid) && h.info().commandLine().orElse("").contains("-Ddockevos.home=" + home))
            .ifPresent(h -> {
              problems.add(new AssertionError("pid " + pid + " was still running after the test; killed it"));
              destroyTree(h);
            });
      }
    }
    if (ownsRoot) {
      deleteTree(root);
    }
    if (!problems.isEmpty()) {
      AssertionError e = new AssertionError("cleaning up " + root);
      problems.forEach(e::addSuppressed);
      throw e;
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the bytes of a file on the class path */
  static byte[] resource(String name) {
    try (InputStream in = Distribution.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
