package io.dockevos.plugin.maven.internal;

import io.dockevos.install.DependencyVersions;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.SourceResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versions that a POM declares for its dependencies, from the effective model that Maven's own
 * model builder makes of it (see {@link EffectivePoms}), with the local repository, remotes and
 * offline setting of the configuration {@code dockevos.maven}.
 *
 * <p>A delayed component that does nothing when it is activated: Maven Resolver and the model
 * builder are set up at the first POM read, so the boot does not pay for them. Results are kept by
 * POM path, modification time and size, for the {@value #CACHE_SIZE} POMs read last.
 */
@Component(service = DependencyVersions.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class MavenDependencyVersions implements DependencyVersions {
  private static final Logger LOG = LoggerFactory.getLogger(MavenDependencyVersions.class);
  static final int CACHE_SIZE = 512;
  /**
   * How long a POM that gave nothing is not read again. Such a result is often a parent that a
   * remote did not have or did not answer for, and that the next read may find.
   */
  static final long EMPTY_RESULT_TTL_NANOS = 5L * 60 * 1_000_000_000;

  /** Where the resolver and its settings come from: the {@code mvn:} source of this bundle. */
  interface Maven {
    MavenSettings settings();

    /** @throws PluginException when the resolver is stopping */
    MavenArtifactResolver resolver() throws PluginException;
  }

  private record Entry(FileTime modified, long size, long readAt, EffectivePoms.Dependencies dependencies) {}

  private final Maven maven;
  /** Least recently used first; guarded by itself. */
  private final Map<Path, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Entry> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  /**
   * @param mvn the {@code mvn:} source of this bundle, which owns the resolver and the configuration;
   *     the same object in the same bundle, so the cast cannot fail
   */
  @Activate
  public MavenDependencyVersions(
      @Reference(target = "(component.name=io.dockevos.plugin.maven.internal.MavenSourceResolver)")
      SourceResolver mvn) {
    this((Maven) mvn);
  }

  MavenDependencyVersions(Maven maven) {
    this.maven = maven;
  }

  @Override
  public Map<String, String> declared(Path pom) {
    return dependencies(pom).all();
  }

  @Override
  public Map<String, String> runtime(Path pom) {
    return dependencies(pom).runtime();
  }

  @Override
  public boolean fetch(String groupIdArtifactId, String version) {
    int colon = groupIdArtifactId.indexOf(':');
    if (colon <= 0 || version == null || version.isBlank()) {
      return false;
    }
    try {
      return maven.resolver().fetch(groupIdArtifactId.substring(0, colon), groupIdArtifactId.substring(colon + 1),
          version, maven.settings());
    } catch (PluginException stopping) {
      return false;
    }
  }

  private EffectivePoms.Dependencies dependencies(Path pom) {
    Objects.requireNonNull(pom, "pom");
    Path key = pom.toAbsolutePath().normalize();
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(key, BasicFileAttributes.class);
    } catch (IOException e) {
      LOG.info("Cannot read the POM {}: {}", key, e.toString());
      return EffectivePoms.Dependencies.NONE;
    }
    long now = System.nanoTime();
    synchronized (cache) {
      Entry e = cache.get(key);
      if (e != null && e.modified().equals(attributes.lastModifiedTime()) && e.size() == attributes.size()
          && (!e.dependencies().all().isEmpty() || now - e.readAt() < EMPTY_RESULT_TTL_NANOS)) {
        return e.dependencies();
      }
    }
    EffectivePoms.Dependencies dependencies;
    try {
      // Read outside the lock: a POM whose parent is remote must not hold up the others.
      dependencies = maven.resolver().declared(key, maven.settings());
    } catch (PluginException e) {
      LOG.info("Cannot read the POM {}: {}", key, e.getMessage());
      return EffectivePoms.Dependencies.NONE;
    }
    synchronized (cache) {
      cache.put(key, new Entry(attributes.lastModifiedTime(), attributes.size(), now, dependencies));
    }
    return dependencies;
  }
}
