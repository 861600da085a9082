package io.dockevos.plugin.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real POMs of jackson-databind 2.17.2 and its parents (copied into target/test-poms by the
 * build), laid out as a local repository in a temporary folder, read by the real Maven model
 * builder and Maven Resolver.
 */
class MavenDependencyVersionsTest {
  private static final String DATABIND = "com/fasterxml/jackson/core/jackson-databind/2.17.2/";
  private static final String DATABIND_POM_IN_JAR = "META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.xml";
  /** The parents of jackson-databind 2.17.2, nearest first, and the JUnit BOM that jackson-base imports. */
  private static final String[] PARENTS = {
      "com/fasterxml/jackson/jackson-base/2.17.2/jackson-base-2.17.2.pom",
      "com/fasterxml/jackson/jackson-bom/2.17.2/jackson-bom-2.17.2.pom",
      "com/fasterxml/jackson/jackson-parent/2.17/jackson-parent-2.17.pom",
      "com/fasterxml/oss-parent/58/oss-parent-58.pom",
      "org/junit/junit-bom/5.10.2/junit-bom-5.10.2.pom"};
  private static MavenArtifactResolver resolver;

  @TempDir Path local;
  @TempDir Path elsewhere;
  /** How many reads went to the resolver, that is, were not answered from the cache. */
  private final AtomicInteger reads = new AtomicInteger();

  @BeforeAll
  static void setUp() {
    resolver = new MavenArtifactResolver();
  }

  @AfterAll
  static void tearDown() {
    resolver.close();
  }

  private MavenDependencyVersions versions(boolean offline, String... repositories) {
    MavenSettings settings = MavenSettings.of(local.toString(), repositories, ids(repositories), offline,
        System::getProperty, local);
    return new MavenDependencyVersions(new MavenDependencyVersions.Maven() {
      @Override
      public MavenSettings settings() {
        return settings;
      }

      @Override
      public MavenArtifactResolver resolver() {
        reads.incrementAndGet();
        return resolver;
      }
    });
  }

  /** A file that the build copied into target/test-poms (named artifactId-version.type). */
  private static Path copied(String repositoryPath) {
    String dir = System.getProperty("dockevos.test.poms", "target/test-poms");
    return Path.of(dir, repositoryPath.substring(repositoryPath.lastIndexOf('/') + 1));
  }

  /** Copies the build's file into the temporary local repository, at its Maven layout path. */
  private Path install(String repositoryPath) throws IOException {
    Path target = local.resolve(repositoryPath);
    Files.createDirectories(target.getParent());
    return Files.copy(copied(repositoryPath), target);
  }

  private void installParents() throws IOException {
    for (String p : PARENTS) {
      install(p);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void thePomBesideTheJarGetsItsVersionsFromTheParentsAndTheImportedBom() throws Exception {
    installParents();
    install(DATABIND + "jackson-databind-2.17.2.jar");
    Path pom = install(DATABIND + "jackson-databind-2.17.2.pom");

    Map<String, String> declared = versions(true).declared(pom);

    // ${jackson.version.core} and ${jackson.version.annotations}, set in jackson-bom to ${jackson.version}.
    assertEquals("2.17.2", declared.get("com.fasterxml.jackson.core:jackson-core"), declared::toString);
    assertEquals("2.17.2", declared.get("com.fasterxml.jackson.core:jackson-annotations"), declared::toString);
    // No version in the POM: dependency management, from junit-bom 5.10.2, which jackson-base imports.
    assertEquals("5.10.2", declared.get("org.junit.jupiter:junit-jupiter"), declared::toString);
    // Test scope is included, and a literal version is kept.
    assertEquals("4.11.0", declared.get("org.mockito:mockito-core"), declared::toString);
  }

  @Test
  void thePomInsideTheJarWithNoRepositoryCopyGetsItsParentsFromTheLocalRepository() throws Exception {
    installParents();
    Path pom = elsewhere.resolve("pom.xml");
    try (ZipFile jar = new ZipFile(copied(DATABIND + "jackson-databind-2.17.2.jar").toFile())) {
      ZipEntry entry = jar.getEntry(DATABIND_POM_IN_JAR);
      try (InputStream in = jar.getInputStream(entry)) {
        Files.copy(in, pom);
      }
    }
    assertTrue(Files.notExists(local.resolve(DATABIND)), "no repository copy of jackson-databind");

    Map<String, String> declared = versions(true).declared(pom);

    assertEquals("2.17.2", declared.get("com.fasterxml.jackson.core:jackson-core"), declared::toString);
    assertEquals("2.17.2", declared.get("com.fasterxml.jackson.core:jackson-annotations"), declared::toString);
  }

  @Test
  void aMissingParentOfflineGivesNothingAndDoesNotThrow() throws Exception {
    // jackson-databind without any of its parents; a remote is configured, but offline is set.
    Path pom = install(DATABIND + "jackson-databind-2.17.2.pom");
    String down = "http://127.0.0.1:" + closedPort() + "/maven/";
    Map<String, String> declared = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> versions(true, "down=" + down).declared(pom));
    assertEquals(Map.of(), declared);
  }

  @Test
  void aMissingParentThatNoRemoteHasGivesNothingQuickly() throws Exception {
    Path pom = elsewhere.resolve("pom.xml");
    Files.writeString(pom, """
        <project>
          <modelVersion>4.0.0</modelVersion>
          <parent><groupId>io.dockevos.test</groupId><artifactId>absent-parent</artifactId><version>1</version></parent>
          <artifactId>child</artifactId>
          <dependencies>
            <dependency><groupId>org.example</groupId><artifactId>lib</artifactId><version>${lib.version}</version></dependency>
          </dependencies>
        </project>
        """, StandardCharsets.UTF_8);
    // A remote that refuses connections: the parent is asked for there, and the answer is quick.
    String down = "http://127.0.0.1:" + closedPort() + "/maven/";
    long begin = System.nanoTime();
    Map<String, String> declared = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> versions(false, "down=" + down).declared(pom));
    long millis = (System.nanoTime() - begin) / 1_000_000;
    assertEquals(Map.of(), declared);
    assertTrue(millis < 10_000, "a missing parent fails fast, not after " + millis + " ms");
  }

  @Test
  void aPomThatIsNotThereOrNotAPomGivesNothing() throws Exception {
    MavenDependencyVersions versions = versions(true);
    assertEquals(Map.of(), versions.declared(elsewhere.resolve("absent.pom")));
    Path garbage = Files.writeString(elsewhere.resolve("garbage.pom"), "not xml", StandardCharsets.UTF_8);
    assertEquals(Map.of(), versions.declared(garbage));
  }

  @Test
  void aResultIsKeptUntilThePomChanges() throws Exception {
    Path pom = elsewhere.resolve("pom.xml");
    Files.writeString(pom, project("1.0"), StandardCharsets.UTF_8);
    MavenDependencyVersions versions = versions(true);

    Map<String, String> first = versions.declared(pom);
    assertEquals(Map.of("org.example:lib", "1.0", "org.example:managed", "1.0"), first);
    assertSame(first, versions.declared(pom));
    assertEquals(1, reads.get(), "the second call is answered from the cache");

    Files.writeString(pom, project("2.0"), StandardCharsets.UTF_8);
    Files.setLastModifiedTime(pom, FileTime.fromMillis(Files.getLastModifiedTime(pom).toMillis() + 2_000));
    assertEquals(Map.of("org.example:lib", "2.0", "org.example:managed", "2.0"), versions.declared(pom));
    assertEquals(2, reads.get(), "a changed POM is read again");
  }

  /** A POM with no parent: one version from a property, one from its own dependency management. */
  private static String project(String version) {
    return """
        <project>
          <modelVersion>4.0.0</modelVersion>
          <groupId>org.example</groupId>
          <artifactId>app</artifactId>
          <version>%s</version>
          <properties><lib.version>${project.version}</lib.version></properties>
          <dependencyManagement>
            <dependencies>
              <dependency><groupId>org.example</groupId><artifactId>managed</artifactId><version>${lib.version}</version></dependency>
            </dependencies>
          </dependencyManagement>
          <dependencies>
            <dependency><groupId>org.example</groupId><artifactId>lib</artifactId><version>${lib.version}</version></dependency>
            <dependency><groupId>org.example</groupId><artifactId>managed</artifactId><scope>test</scope></dependency>
          </dependencies>
        </project>
        """.formatted(version);
  }

  /** @return the id of every remote: the test servers speak plain http: on the loopback interface */
  private static String[] ids(String... repositories) {
    return java.util.Arrays.stream(repositories).flatMap(r -> java.util.Arrays.stream(r.split(",")))
        .filter(e -> e.contains("=")).map(e -> e.substring(0, e.indexOf('=')).trim()).toArray(String[]::new);
  }
}
