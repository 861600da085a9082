package io.dockevos.plugin.maven.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Model;
import org.apache.maven.model.Parent;
import org.apache.maven.model.Repository;
import org.apache.maven.model.building.DefaultModelBuilder;
import org.apache.maven.model.building.DefaultModelBuilderFactory;
import org.apache.maven.model.building.DefaultModelBuildingRequest;
import org.apache.maven.model.building.FileModelSource;
import org.apache.maven.model.building.ModelBuildingException;
import org.apache.maven.model.building.ModelBuildingRequest;
import org.apache.maven.model.building.ModelProblem;
import org.apache.maven.model.building.ModelSource;
import org.apache.maven.model.resolution.ModelResolver;
import org.apache.maven.model.resolution.UnresolvableModelException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.VersionRangeRequest;
import org.eclipse.aether.resolution.VersionRangeResolutionException;
import org.eclipse.aether.resolution.VersionRangeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Effective models of POMs, built by Maven's own model builder (the one Maven 3.9 builds projects
 * with): parents, properties, profiles activated by the JDK and the OS, dependency management and
 * imported BOMs. Parents and BOMs are resolved with Maven Resolver, so the local repository comes
 * first and the configured remotes are asked with their usual timeouts. With {@link
 * MavenArtifactResolver}, the only class of this bundle that touches resolver and model types.
 */
final class EffectivePoms {
  private static final Logger LOG = LoggerFactory.getLogger(EffectivePoms.class);

  private final DefaultModelBuilder builder = new DefaultModelBuilderFactory().newInstance();

  /**
   * A POM's dependencies, version by {@code groupId:artifactId}.
   *
   * @param all every one, test and provided scopes included
   * @param runtime those Maven resolves to run the artifact: compile and runtime scope, not optional
   */
  record Dependencies(Map<String, String> all, Map<String, String> runtime) {
    static final Dependencies NONE = new Dependencies(Map.of(), Map.of());
  }

  /** @return the dependencies; none when the POM, a parent or an imported BOM cannot be read. Never throws. */
  Dependencies declared(Path pom, RepositorySystem system, RepositorySystemSession session,
      List<RemoteRepository> remotes) {
    DefaultModelBuildingRequest request = new DefaultModelBuildingRequest()
        // Not setPomFile: the POM is read as a repository POM (a dependency's), not as a project.
        .setModelSource(new FileModelSource(pom.toFile()))
        .setValidationLevel(ModelBuildingRequest.VALIDATION_LEVEL_MINIMAL)
        .setProcessPlugins(false)
        .setTwoPhaseBuilding(false)
        .setLocationTracking(false)
        // java.version, os.name, ... for profile activation, as Maven reads a dependency's POM.
        .setSystemProperties(systemProperties())
        .setModelResolver(new RepositoryModelResolver(system, session, remotes));
    try {
      Model model = builder.build(request).getEffectiveModel();
      Map<String, String> versions = new LinkedHashMap<>();
      Map<String, String> runtime = new LinkedHashMap<>();
      for (Dependency d : model.getDependencies()) {
        if (d.getVersion() != null && !d.getVersion().isBlank()) {
          // A second entry of the same artifact (a test-jar, a classifier) keeps the first version.
          String key = d.getGroupId() + ":" + d.getArtifactId();
          versions.putIfAbsent(key, d.getVersion());
          String scope = d.getScope() == null ? "compile" : d.getScope();
          if ((scope.equals("compile") || scope.equals("runtime")) && !d.isOptional() && d.getClassifier() == null
              && (d.getType() == null || d.getType().equals("jar") || d.getType().equals("bundle"))) {
            runtime.putIfAbsent(key, d.getVersion());
          }
        }
      }
      return new Dependencies(Map.copyOf(versions), Map.copyOf(runtime));
    } catch (ModelBuildingException e) {
      LOG.info("Cannot build the effective model of {}, its dependencies' versions are not known: {}", pom,
          problems(e));
      return Dependencies.NONE;
    } catch (RuntimeException e) {
      LOG.info("Cannot build the effective model of {}, its dependencies' versions are not known", pom, e);
      return Dependencies.NONE;
    }
  }

  private static Properties systemProperties() {
    Properties p = new Properties();
    // A copy, entry by entry: another thread may change the system properties meanwhile.
    for (String name : System.getProperties().stringPropertyNames()) {
      String value = System.getProperty(name);
      if (value != null) {
        p.setProperty(name, value);
      }
    }
    return p;
  }

  private static String problems(ModelBuildingException e) {
    StringBuilder s = new StringBuilder();
    for (ModelProblem p : e.getProblems()) {
      if (p.getSeverity() != ModelProblem.Severity.WARNING) {
        s.append(s.length() == 0 ? "" : "; ").append(p.getMessage());
      }
    }
    return s.length() == 0 ? e.getMessage() : s.toString();
  }

  /**
   * Parents and imported BOMs from the local repository, else from the configured remotes. The
   * repositories that POMs declare are not added: only the repositories that the configuration
   * names are ever contacted (as Maven with a mirror of {@code *}).
   */
  private static final class RepositoryModelResolver implements ModelResolver {
    private final RepositorySystem system;
    private final RepositorySystemSession session;
    private final List<RemoteRepository> remotes;

    RepositoryModelResolver(RepositorySystem system, RepositorySystemSession session,
        List<RemoteRepository> remotes) {
      this.system = system;
      this.session = session;
      this.remotes = remotes;
    }

    @Override
    public ModelSource resolveModel(String groupId, String artifactId, String version)
        throws UnresolvableModelException {
      Artifact pom = new DefaultArtifact(groupId, artifactId, "", "pom", version);
      try {
        Path file = system.resolveArtifact(session, new ArtifactRequest(pom, remotes, null)).getArtifact().getPath();
        return new FileModelSource(file.toFile());
      } catch (ArtifactResolutionException e) {
        throw new UnresolvableModelException(MavenArtifactResolver.describe(e), groupId, artifactId, version, e);
      }
    }

    @Override
    public ModelSource resolveModel(Parent parent) throws UnresolvableModelException {
      String version = highest(parent.getGroupId(), parent.getArtifactId(), parent.getVersion());
      parent.setVersion(version);
      return resolveModel(parent.getGroupId(), parent.getArtifactId(), version);
    }

    @Override
    public ModelSource resolveModel(Dependency dependency) throws UnresolvableModelException {
      String version = highest(dependency.getGroupId(), dependency.getArtifactId(), dependency.getVersion());
      dependency.setVersion(version);
      return resolveModel(dependency.getGroupId(), dependency.getArtifactId(), version);
    }

    /** A version, or the highest version in a range (Maven allows ranges for parents and BOMs). */
    private String highest(String groupId, String artifactId, String version) throws UnresolvableModelException {
      if (version == null || !(version.startsWith("[") || version.startsWith("("))) {
        return version;
      }
      try {
        VersionRangeResult range = system.resolveVersionRange(session,
            new VersionRangeRequest(new DefaultArtifact(groupId, artifactId, "", "pom", version), remotes, null));
        if (range.getHighestVersion() == null) {
          throw new UnresolvableModelException("no version in " + version, groupId, artifactId, version);
        }
        return range.getHighestVersion().toString();
      } catch (VersionRangeResolutionException e) {
        throw new UnresolvableModelException(MavenArtifactResolver.describe(e), groupId, artifactId, version, e);
      }
    }

    @Override
    public void addRepository(Repository repository) {
      // Ignored: see the class comment.
    }

    @Override
    public void addRepository(Repository repository, boolean replace) {
      // Ignored: see the class comment.
    }

    @Override
    public ModelResolver newCopy() {
      return this; // Holds no state that addRepository would change.
    }
  }
}
