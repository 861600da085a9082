package io.dockevos.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The resolved settings of one runtime: its directories and its framework properties.
 *
 * <p>Framework properties come from the built-in defaults, then {@code etc/config.properties} of the
 * home, then the builder; {@code ${name}} refers to another property or to a system property.
 */
public record Settings(
    Path home,
    Path data,
    Path deploy,
    List<String> features,
    Map<String, String> frameworkProperties,
    Path controlSocket,
    Duration stopTimeout) {

  public static final String CONFIG_FILE = "etc/config.properties";
  private static final String EXTRA = "org.osgi.framework.system.packages.extra";
  /** The property that names the shell feature, booted after {@code dockevos.features.boot}. */
  public static final String SHELL_FEATURE = "dockevos.features.shell";

  public static Settings resolve(Path home, Path storage, Path deploy, List<String> features,
      Map<String, String> overrides, Path controlSocket, Duration stopTimeout) throws IOException {
    return resolve(home, storage, deploy, features, Map.of(), overrides, controlSocket, stopTimeout);
  }

  /** The environment variables of the script itself, and those that name configurations: no framework property. */
  private static final java.util.Set<String> SCRIPT_VARIABLES = java.util.Set.of("DOCKEVOS_HOME", "DOCKEVOS_UMASK",
      "DOCKEVOS_STOP_TIMEOUT");
  /** The prefix of the environment variables that become framework properties. */
  public static final String ENV_PREFIX = "DOCKEVOS_";
  /** The prefix of those that become configuration values (the core applies them). */
  public static final String ENV_CONFIG_PREFIX = "DOCKEVOS_CONFIG_";
  /** The framework property that tells the core to apply {@code DOCKEVOS_CONFIG_*} of the process's environment. */
  public static final String ENV_CONFIGS = "dockevos.environment.configs";

  /**
   * @param environment the environment whose {@code DOCKEVOS_*} variables become framework properties
   *     ({@code DOCKEVOS_FEATURES_BOOT} is {@code dockevos.features.boot}), over {@code etc/config.properties}
   *     and under {@code overrides}
   */
  public static Settings resolve(Path home, Path storage, Path deploy, List<String> features,
      Map<String, String> environment, Map<String, String> overrides, Path controlSocket, Duration stopTimeout)
      throws IOException {
    Path h = home.toAbsolutePath().normalize();
    Map<String, String> raw = new LinkedHashMap<>();
    try (InputStream in = Settings.class.getResourceAsStream("/io/dockevos/launcher/defaults.properties")) {
      load(raw, in);
    }
    Path config = h.resolve(CONFIG_FILE);
    if (Files.isRegularFile(config)) {
      try (InputStream in = Files.newInputStream(config)) {
        load(raw, in);
      } catch (IllegalArgumentException e) {
        throw new IOException(config + ": " + e.getMessage(), e);
      }
    }
    raw.putAll(fromEnvironment(environment, raw.keySet()));
    raw.putAll(overrides);
    Path data = h.resolve(raw.getOrDefault("dockevos.data", "data"));
    Path dep = deploy != null ? deploy.toAbsolutePath().normalize() : h.resolve(raw.getOrDefault("dockevos.deploy", "deploy"));
    raw.put("dockevos.home", h.toString());
    raw.put("dockevos.data", data.toString());
    raw.put("dockevos.deploy", dep.toString());
    raw.putIfAbsent("dockevos.log.dir", data.resolve("log").toString());
    raw.put("dockevos.version.osgi", osgiVersion(raw.get("dockevos.version")));
    raw.putIfAbsent("dockevos.hardware.cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    raw.putIfAbsent("dockevos.hardware.memory.mb", String.valueOf(memoryMb()));
    if (storage != null) {
      raw.put("org.osgi.framework.storage", storage.toAbsolutePath().normalize().toString());
    }
    Map<String, String> props = new LinkedHashMap<>();
    for (String key : raw.keySet()) {
      props.put(key, expand(raw, raw.get(key), 0));
    }
    props.put(EXTRA, HostApi.extra(props.get(EXTRA), Settings.class.getClassLoader()));
    List<String> boot = new ArrayList<>(features);
    if (boot.isEmpty()) {
      String names = props.getOrDefault("dockevos.features.boot", "") + "," + props.getOrDefault(SHELL_FEATURE, "");
      for (String f : names.split(",")) {
        if (!f.isBlank()) {
          boot.add(f.trim());
        }
      }
    }
    ownerOnly(Files.createDirectories(data));
    Files.createDirectories(dep);
    String etc = props.get("felix.fileinstall.dir");
    if (etc != null && !etc.isBlank()) {
      Files.createDirectories(Path.of(etc)); // a new home has none yet: FileInstall watches it without a warning
    }
    ownerOnly(Files.createDirectories(Path.of(props.get("dockevos.log.dir"))));
    return new Settings(h, data, dep, List.copyOf(boot), Map.copyOf(props), controlSocket, stopTimeout);
  }

  /**
   * @param known the framework properties there are: a variable that names one of them, ignoring case,
   *     takes its spelling ({@code DOCKEVOS_DOWNLOAD_MAXMIB} is {@code dockevos.download.maxMiB})
   * @return the framework properties that the {@code DOCKEVOS_*} variables give: the name in lower
   *     case, {@code _} as {@code .}; not the script's own variables, nor {@code DOCKEVOS_CONFIG_*}
   */
  static Map<String, String> fromEnvironment(Map<String, String> environment, java.util.Collection<String> known) {
    Map<String, String> byLowerCase = new java.util.HashMap<>();
    known.forEach(k -> byLowerCase.put(k.toLowerCase(java.util.Locale.ROOT), k));
    Map<String, String> props = new java.util.TreeMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && !name.startsWith(ENV_CONFIG_PREFIX) && !SCRIPT_VARIABLES.contains(name)
          && name.length() > ENV_PREFIX.length()) {
        String key = name.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
        props.put(byLowerCase.getOrDefault(key, key), value);
      }
    });
    return props;
  }

  /**
   * Makes a folder its owner's only (rwx------), where the file system has POSIX permissions: the
   * data folder holds configurations with their secrets, the command history and the incidents, and
   * the log folder the log. bin/dockevos also runs with umask 077, so that what is written there is
   * 0600; a program that embeds dockevOS keeps its own umask, and this folder still shuts others out.
   */
  static void ownerOnly(Path dir) {
    try {
      if (Files.getFileStore(dir).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException | UnsupportedOperationException e) {
      org.slf4j.LoggerFactory.getLogger(Settings.class).warn("Cannot make {} its owner's only (rwx------): {}", dir,
          e.toString());
    }
  }

  /** Expands {@code ${name}} in a value, from the given properties and then the system properties. */
  public static String expand(Map<String, String> props, String value, int depth) {
    if (value == null || depth > 10 || value.indexOf("${") < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      int start = value.indexOf("${", i);
      int end = start < 0 ? -1 : value.indexOf('}', start);
      if (start < 0 || end < 0) {
        out.append(value, i, value.length());
        break;
      }
      out.append(value, i, start);
      String name = value.substring(start + 2, end);
      String v = props.containsKey(name) ? props.get(name) : System.getProperty(name);
      out.append(v == null ? "" : expand(props, v, depth + 1));
      i = end + 1;
    }
    return out.toString();
  }

  private static void load(Map<String, String> into, InputStream in) throws IOException {
    Properties p = new Properties();
    try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    for (String name : p.stringPropertyNames()) {
      into.put(name, p.getProperty(name).trim());
    }
  }

  /**
   * The physical memory in MiB for the {@code dockevos.hardware} capability: {@code MemTotal} of
   * {@code /proc/meminfo} on Linux (a file read, no management beans loaded at boot), else the
   * operating system bean; 0 when neither tells.
   */
  static long memoryMb() {
    try (java.io.BufferedReader r = Files.newBufferedReader(Path.of("/proc/meminfo"))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: ask the JVM below
    }
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / (1024 * 1024);
    }
    return 0;
  }

  /** 0.1.0-SNAPSHOT becomes 0.1.0.SNAPSHOT. */
  static String osgiVersion(String mavenVersion) {
    if (mavenVersion == null) {
      return "0.0.0";
    }
    String[] parts = mavenVersion.split("[-.]", 4);
    StringBuilder v = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      String p = i < parts.length && parts[i].chars().allMatch(Character::isDigit) && !parts[i].isEmpty() ? parts[i] : "0";
      v.append(i == 0 ? "" : ".").append(p);
    }
    int dash = mavenVersion.indexOf('-');
    if (dash > 0) {
      v.append('.').append(mavenVersion.substring(dash + 1).replaceAll("[^A-Za-z0-9_-]", "_"));
    }
    return v.toString();
  }
}
