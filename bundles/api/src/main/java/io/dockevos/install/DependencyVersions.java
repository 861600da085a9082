package io.dockevos.install;

import java.nio.file.Path;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The versions a Maven POM declares for its dependencies, read with Maven's own model builder
 * (parents, properties and imported BOMs included): the planner prefers them when several versions
 * of a provider fit.
 *
 * @since 0.1
 */
@ConsumerType
public interface DependencyVersions {
  /**
   * @param pom a POM file: the one beside a jar in a Maven repository, or the one a jar carries
   *     under {@code META-INF/maven/}, copied out
   * @return each dependency's version by {@code groupId:artifactId} (the effective model, test and
   *     provided scopes included); empty when the POM or one of its parents cannot be read
   */
  Map<String, String> declared(Path pom);

  /**
   * @param pom as for {@link #declared}
   * @return the dependencies Maven resolves to run the POM's artifact (compile and runtime scope, not
   *     optional), version by {@code groupId:artifactId}; empty when the POM cannot be read
   * @since 0.1
   */
  default Map<String, String> runtime(Path pom) {
    return Map.of();
  }

  /**
   * Downloads an artifact (its jar and POM) from the configured remote Maven repositories into the
   * local repository, where the planner's repository finds it at its next look.
   *
   * @param groupIdArtifactId {@code groupId:artifactId}
   * @return whether it was downloaded now: false when the local repository has it already, when
   *     working offline, or when no remote has it
   * @since 0.1
   */
  default boolean fetch(String groupIdArtifactId, String version) {
    return false;
  }
}
