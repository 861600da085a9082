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
}
