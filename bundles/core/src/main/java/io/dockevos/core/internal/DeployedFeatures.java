package io.dockevos.core.internal;

import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureException;
import io.dockevos.feature.FeatureManager;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feature files in the deploy folder. A {@code .json} file there is a configuration, unless it is
 * an OSGi Feature: then it goes to the {@link FeatureManager} instead of FileInstall, and deleting
 * it uninstalls the feature. Installs run on a thread of their own, so that a long one does not
 * hold up the jars and configurations dropped meanwhile.
 */
final class DeployedFeatures {
  private static final Logger LOG = LoggerFactory.getLogger(DeployedFeatures.class);
  private static final Pattern MAVEN_ID = Pattern.compile("[^:\\s/]+:[^:\\s/]+(:[^:\\s/]+){1,3}");
  /** How long a feature file waits for a feature manager before that is reported as its failure. */
  static final long MANAGER_GRACE_MILLIS = 10_000;

  /** A file's size and time when it was last handed on. */
  private record Stamp(long size, long modified) {}

  private final Path deploy;
  private final Supplier<FeatureManager> manager;
  private final BiConsumer<String, String> fail;
  private final Consumer<String> clear;
  private final ExecutorService installer;
  private final Map<String, Stamp> handed = new ConcurrentHashMap<>();
  /** The files in deploy/ whose feature is installed. */
  private final Set<String> installed = ConcurrentHashMap.newKeySet();
  private volatile boolean synced;

  /**
   * @param fail records that a file failed, with the reason (deploy/NAME.failed)
   * @param clear records that a file works
   */
  DeployedFeatures(Path deploy, Supplier<FeatureManager> manager, BiConsumer<String, String> fail,
      Consumer<String> clear) {
    this.deploy = deploy;
    this.manager = manager;
    this.fail = fail;
    this.clear = clear;
    this.installer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "dockevos-deploy-features");
      t.setDaemon(true);
      return t;
    });
  }

  void close() {
    installer.shutdownNow();
  }

  /**
   * Whether a file is a feature: a JSON object with {@code feature-resource-version}, or with a
   * {@code bundles} array whose entries have Maven IDs. A file that does not parse counts as a
   * feature when its text has either field, so that the feature manager names the line.
   */
  static boolean isFeature(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return false;
    }
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    // jakarta.json finds its provider (Parsson) through the context class loader.
    t.setContextClassLoader(JsonProvider.class.getClassLoader());
    try (JsonReader reader = JsonProvider.provider().createReader(new StringReader(text))) {
      JsonValue root = reader.readValue();
      if (root.getValueType() != JsonValue.ValueType.OBJECT) {
        return false;
      }
      JsonObject o = root.asJsonObject();
      if (o.containsKey("feature-resource-version")) {
        return true;
      }
      JsonValue bundles = o.get("bundles");
      return bundles != null && bundles.getValueType() == JsonValue.ValueType.ARRAY && bundles.asJsonArray().stream()
          .anyMatch(b -> b.getValueType() == JsonValue.ValueType.OBJECT && b.asJsonObject().get("id") instanceof JsonString
              id && MAVEN_ID.matcher(id.getString()).matches());
    } catch (JsonException | IllegalStateException e) {
      return text.contains("\"feature-resource-version\"") || text.matches("(?s).*\"bundles\"\\s*:\\s*\\[.*");
    } finally {
      t.setContextClassLoader(before);
    }
  }

  /** @return whether this content of the file was handed to the feature manager already */
  boolean handed(String name, long size, long modified) {
    return new Stamp(size, modified).equals(handed.get(name));
  }

  /**
   * Installs the feature of a complete file in deploy/, unless this content was handed on already.
   *
   * @param unchanged how long the file has not changed, in ms
   */
  void offer(String name, Path file, long size, long modified, long unchanged) {
    Stamp stamp = new Stamp(size, modified);
    if (stamp.equals(handed.get(name))) {
      return;
    }
    FeatureManager features = manager.get();
    if (features == null) {
      if (unchanged >= MANAGER_GRACE_MILLIS) {
        fail.accept(name, "is a feature file, and no feature manager runs to install it (the bundle"
            + " io.dockevos.feature.manager of the dockevos-core feature is not active)");
      }
      return;
    }
    handed.put(name, stamp);
    installer.execute(() -> install(features, name, file));
  }

  private void install(FeatureManager features, String name, Path file) {
    try {
      Feature f = features.install(file.toString(), (step, steps, message) -> LOG.debug("deploy/{}: {}", name,
          message));
      installed.add(name);
      LOG.info("Installed feature {} {} from deploy/{}", f.name(), f.version(), name);
      clear.accept(name);
    } catch (FeatureException | RuntimeException e) {
      fail.accept(name, "failed: " + e.getMessage());
    }
  }

  /**
   * Uninstalls the features whose files left deploy/. The first call also learns which installed
   * features came from deploy/, so that a file deleted while the runtime was down is noticed too.
   */
  void retainPresent(Set<String> present) {
    handed.keySet().retainAll(present);
    FeatureManager features = manager.get();
    if (features == null) {
      return;
    }
    if (!synced) {
      synced = true;
      for (Feature f : features.installed()) {
        Path source = source(f);
        if (source != null && deploy.equals(source.getParent())) {
          installed.add(source.getFileName().toString());
        }
      }
    }
    for (String name : Set.copyOf(installed)) {
      if (!present.contains(name)) {
        installed.remove(name);
        installer.execute(() -> uninstall(features, name));
      }
    }
  }

  /** The file a feature was installed from, or null when it came from a URL. */
  private static Path source(Feature f) {
    try {
      Path p = f.source() == null ? null : Path.of(f.source());
      return p != null && p.isAbsolute() ? p : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void uninstall(FeatureManager features, String name) {
    try {
      features.uninstall(deploy.resolve(name).toString());
      LOG.info("deploy/{} was removed; its feature is uninstalled", name);
    } catch (FeatureException | RuntimeException e) {
      LOG.error("deploy/{} was removed, but its feature cannot be uninstalled: {}", name, e.getMessage());
    }
  }
}
