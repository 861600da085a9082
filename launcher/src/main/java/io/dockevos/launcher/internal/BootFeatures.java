package io.dockevos.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureConfiguration;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boot features of a runtime: OSGi Feature JSON files read with the Felix Feature Service,
 * their bundles found in {@code system/} (Maven layout) or the local Maven repository.
 */
public final class BootFeatures {
  private static final Logger LOG = LoggerFactory.getLogger(BootFeatures.class);
  public static final String SYSTEM_LOCATION_PREFIX = "reference:";
  public static final String CLASSPATH_LOCATION_PREFIX = "dockevos:classpath:";
  /** The bundle repository in a home, and on the class path. */
  static final String SYSTEM = "system/";

  /**
   * Where a boot bundle comes from: a file (in {@code system/} or the local Maven repository),
   * installed by reference, or an entry of the class path (an embedding program's dockevos-features
   * jar), installed from a stream under a location that changes with its content.
   */
  public record Source(Path file, URL url, String location) {
    static Source of(Path file) {
      return new Source(file, null, SYSTEM_LOCATION_PREFIX + file.toUri());
    }

    static Source of(URL url, String path) {
      return new Source(null, url, CLASSPATH_LOCATION_PREFIX + path + "#" + contentTag(url));
    }

    @Override
    public String toString() {
      return file != null ? file.toString() : url.toString();
    }
  }

  private record BootBundle(String feature, ID id, Source source, int startOrder) {}

  private final Settings settings;
  private final List<Feature> features;
  private final List<BootBundle> bundles;

  private BootFeatures(Settings settings, List<Feature> features, List<BootBundle> bundles) {
    this.settings = settings;
    this.features = features;
    this.bundles = bundles;
  }

  /** Reads every boot feature and finds each of its bundles; fails with the feature and the bundle named. */
  public static BootFeatures load(Settings settings) throws IOException {
    // The Felix Feature Service, named: a service loader would search every jar of the class path for it.
    FeatureService service = new org.apache.felix.feature.impl.FeatureServiceImpl();
    List<Feature> features = new ArrayList<>();
    List<BootBundle> bundles = new ArrayList<>();
    Map<String, BootBundle> seen = new HashMap<>();
    for (String name : settings.features()) {
      Feature feature = read(service, settings.home(), name);
      features.add(feature);
      for (FeatureBundle fb : feature.getBundles()) {
        ID id = fb.getID();
        Source source = locate(settings.home(), id).orElseThrow(() -> new IOException("feature " + name
            + " names bundle " + id + ", which is neither in " + settings.home().resolve("system")
            + ", nor on the class path, nor in the local Maven repository " + localRepository()));
        BootBundle b = new BootBundle(name, id, source, startOrder(fb, settings));
        if (seen.putIfAbsent(source.location(), b) == null) {
          bundles.add(b);
        }
      }
    }
    return new BootFeatures(settings, features, bundles);
  }

  static Feature read(FeatureService service, Path home, String name) throws IOException {
    Path file = home.resolve(SYSTEM + "features/" + name + ".json");
    URL url;
    if (Files.isRegularFile(file)) {
      url = file.toUri().toURL();
    } else {
      url = BootFeatures.class.getClassLoader().getResource(SYSTEM + "features/" + name + ".json");
      if (url == null) {
        throw new IOException("unknown feature " + name + ": no " + file + " and none on the class path");
      }
    }
    try (InputStream in = url.openStream(); Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return service.readFeature(r);
    } catch (RuntimeException e) {
      throw new IOException("feature file " + url + " is not valid: " + e.getMessage(), e);
    }
  }

  private static int startOrder(FeatureBundle fb, Settings settings) {
    Object order = fb.getMetadata().get("start-order");
    if (order == null) {
      return Integer.parseInt(settings.frameworkProperties().getOrDefault("felix.startlevel.bundle", "80"));
    }
    return Integer.parseInt(order.toString());
  }

  /**
   * Finds a bundle by its Maven ID: in {@code home/system}, then on the class path (the
   * dockevos-features jar), then in the local Maven repository.
   */
  public static java.util.Optional<Source> locate(Path home, ID id) {
    String path = id.getGroupId().replace('.', '/') + "/" + id.getArtifactId() + "/" + id.getVersion() + "/"
        + id.getArtifactId() + "-" + id.getVersion() + id.getClassifier().map(c -> "-" + c).orElse("") + "."
        + id.getType().orElse("jar");
    Path inHome = home.resolve(SYSTEM).resolve(path);
    if (Files.isRegularFile(inHome)) {
      return java.util.Optional.of(Source.of(inHome));
    }
    URL onClassPath = BootFeatures.class.getClassLoader().getResource(SYSTEM + path);
    if (onClassPath != null) {
      return java.util.Optional.of(Source.of(onClassPath, path));
    }
    Path inMaven = localRepository().resolve(path);
    return Files.isRegularFile(inMaven) ? java.util.Optional.of(Source.of(inMaven)) : java.util.Optional.empty();
  }

  /** Tells one content of a class-path entry from another: its CRC in a jar, else its time. */
  static String contentTag(URL url) {
    try {
      java.net.URLConnection c = url.openConnection();
      if (c instanceof java.net.JarURLConnection jar) {
        return Long.toHexString(jar.getJarEntry().getCrc());
      }
      return Long.toHexString(c.getLastModified());
    } catch (IOException e) {
      return "0";
    }
  }

  static Path localRepository() {
    String local = System.getProperty("maven.repo.local");
    return local != null ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /**
   * Installs the boot bundles that are not installed yet, updates the ones whose file changed,
   * sets their start levels and marks them to start with the framework.
   */
  public List<Bundle> install(BundleContext context) throws BundleException {
    Map<String, Bundle> byLocation = new LinkedHashMap<>();
    for (Bundle b : context.getBundles()) {
      byLocation.put(b.getLocation(), b);
    }
    // Boot bundles of an earlier version, or of a feature that is no longer booted, go first, so
    // that a new build of the same version can take their place.
    java.util.Set<String> wanted = new java.util.HashSet<>();
    bundles.forEach(bb -> wanted.add(bb.source().location()));
    for (Bundle stale : List.copyOf(byLocation.values())) {
      String location = stale.getLocation();
      if ((location.startsWith(SYSTEM_LOCATION_PREFIX) || location.startsWith(CLASSPATH_LOCATION_PREFIX))
          && !wanted.contains(location)) {
        LOG.info("Uninstalling {} {}: no boot feature names it any more", stale.getSymbolicName(), stale.getVersion());
        stale.uninstall();
        byLocation.remove(location);
      }
    }
    List<Bundle> result = new ArrayList<>();
    // A new bundle gets its start level as it is installed, instead of a second write to the cache.
    org.osgi.framework.startlevel.FrameworkStartLevel fsl =
        context.getBundle(0).adapt(org.osgi.framework.startlevel.FrameworkStartLevel.class);
    int initial = fsl.getInitialBundleStartLevel();
    try {
      for (BootBundle bb : bundles) {
        result.add(install(context, fsl, bb));
      }
    } finally {
      fsl.setInitialBundleStartLevel(initial);
    }
    return result;
  }

  private static Bundle install(BundleContext context, org.osgi.framework.startlevel.FrameworkStartLevel fsl,
      BootBundle bb) throws BundleException {
    Source source = bb.source();
    Bundle bundle = context.getBundle(source.location());
    try {
      if (bundle == null) {
        if (fsl.getInitialBundleStartLevel() != bb.startOrder()) {
          fsl.setInitialBundleStartLevel(bb.startOrder());
        }
        if (source.file() != null) {
          bundle = context.installBundle(source.location());
        } else {
          try (InputStream in = source.url().openStream()) {
            bundle = context.installBundle(source.location(), in);
          }
        }
      } else if (source.file() != null && lastModified(source.file()) > bundle.getLastModified()) {
        bundle.update();
      }
    } catch (BundleException | IOException e) {
      throw new BundleException("feature " + bb.feature() + ": bundle " + bb.id() + " (" + source + "): "
          + e.getMessage(), e);
    }
    BundleStartLevel sl = bundle.adapt(BundleStartLevel.class);
    if (sl.getStartLevel() != bb.startOrder()) {
      sl.setStartLevel(bb.startOrder());
    }
    // Marked to start once; a warm start finds the mark in the cache and writes nothing.
    if (!isFragment(bundle) && !sl.isPersistentlyStarted()) {
      bundle.start();
    }
    return bundle;
  }

  private static long lastModified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  static boolean isFragment(Bundle b) {
    BundleRevision rev = b.adapt(BundleRevision.class);
    return rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }

  /** @return a line for each boot bundle that is not ACTIVE, with its state */
  public static List<String> notStarted(List<Bundle> bundles) {
    List<String> result = new ArrayList<>();
    for (Bundle b : bundles) {
      if (!isFragment(b) && b.getState() != Bundle.ACTIVE) {
        result.add(b.getSymbolicName() + " " + b.getVersion() + " is " + State.name(b.getState()));
      }
    }
    return result;
  }

  /**
   * Gives the configurations of the boot features to Configuration Admin. The launcher sees
   * Configuration Admin only through reflection: its API lives in a bundle, not on this class path.
   */
  public void applyConfigurations(BundleContext context) {
    List<FeatureConfiguration> configs = new ArrayList<>();
    features.forEach(f -> configs.addAll(f.getConfigurations().values()));
    if (configs.isEmpty()) {
      return;
    }
    ServiceReference<?> ref = Gogo.reference(context, "org.osgi.service.cm.ConfigurationAdmin");
    if (ref == null) {
      LOG.warn("No Configuration Admin: {} boot configuration(s) not applied", configs.size());
      return;
    }
    Object admin = context.getService(ref);
    try {
      Class<?> adminType = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
      Class<?> configType = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
      Method update = configType.getMethod("updateIfDifferent", Dictionary.class);
      for (FeatureConfiguration fc : configs) {
        Object config;
        if (fc.getFactoryPid().isPresent()) {
          String factory = fc.getFactoryPid().get();
          String name = fc.getPid().substring(fc.getPid().indexOf('~') + 1);
          config = adminType.getMethod("getFactoryConfiguration", String.class, String.class, String.class)
              .invoke(admin, factory, name, "?");
        } else {
          config = adminType.getMethod("getConfiguration", String.class, String.class).invoke(admin, fc.getPid(), "?");
        }
        Dictionary<String, Object> values = new Hashtable<>();
        fc.getValues().forEach((k, v) -> values.put(k,
            v instanceof String s ? Settings.expand(settings.frameworkProperties(), s, 0) : v));
        update.invoke(config, values);
      }
    } catch (InvocationTargetException e) {
      LOG.error("Boot configuration not applied: {}", e.getCause().toString(), e.getCause());
    } catch (ReflectiveOperationException e) {
      LOG.error("Boot configuration not applied: {}", e.toString(), e);
    } finally {
      context.ungetService(ref);
    }
  }
}
