package io.dockevos.plugin.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.plugin.PluginException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MavenCoordinatesTest {
  private static final String FORM = "mvn:groupId/artifactId/version[/type[/classifier]]";

  @Test
  void threePartsAreAJar() throws PluginException {
    MavenCoordinates c = MavenCoordinates.parse("mvn:io.dockevos.test/good/1.0.0");
    assertEquals(new MavenCoordinates("io.dockevos.test", "good", "1.0.0", "jar", ""), c);
    assertEquals("io.dockevos.test:good:jar:1.0.0", c.gav());
    assertEquals("mvn:io.dockevos.test/good/1.0.0", c.toString());
  }

  @Test
  void typeAndClassifier() throws PluginException {
    MavenCoordinates c = MavenCoordinates.parse("mvn:org.example/feature/2.1.0-SNAPSHOT/xml/features");
    assertEquals(new MavenCoordinates("org.example", "feature", "2.1.0-SNAPSHOT", "xml", "features"), c);
    assertEquals("org.example:feature:xml:features:2.1.0-SNAPSHOT", c.gav());
    assertEquals("mvn:org.example/feature/2.1.0-SNAPSHOT/xml/features", c.toString());
    assertEquals("zip", MavenCoordinates.parse("mvn:g/a/1/zip").type());
  }

  @Test
  void anEmptyTypeBeforeAClassifierIsAJar() throws PluginException {
    MavenCoordinates c = MavenCoordinates.parse("mvn:g/a/1.0//tests");
    assertEquals("jar", c.type());
    assertEquals("tests", c.classifier());
    assertEquals("mvn:g/a/1.0/jar/tests", c.toString());
  }

  @Test
  void theSchemeIsCaseInsensitiveAndSpacesAroundAreIgnored() throws PluginException {
    assertEquals("good", MavenCoordinates.parse("  MVN:io.dockevos.test/good/1.0.0 ").artifactId());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "mvn:io.dockevos.test/good                  | it has 2 parts separated by '/', where 3 to 5 are expected",
      "mvn:                                       | it has 1 part separated by '/', where 3 to 5 are expected",
      "mvn:g/a/1/jar/c/extra                      | it has 6 parts",
      "mvn:io.dockevos.test:good:1.0.0            | the parts are separated by '/', not ':'",
      "mvn:/good/1.0.0                            | the groupId is empty",
      "mvn:g//1.0.0                               | the artifactId is empty",
      "mvn:g/a/                                   | the version is empty",
      "mvn:g/a/1.0/                               | the type is empty",
      "mvn:g/a/1.0/jar/                           | the classifier is empty",
      "mvn:g/a b/1.0                              | 'a b' is not a valid artifactId",
      "mvn:g/a/[1.0,2.0)                          | '[1.0,2.0)' is a version range; name one version",
      "mvn:https://repo.example.org/r!g/a/1.0     | a repository URL before '!' is not supported",
      "file:/tmp/x.jar                            | it does not start with mvn:",
  })
  void malformedCoordinatesNameTheSourceTheFaultAndTheExpectedForm(String source, String fault) {
    PluginException e = assertThrows(PluginException.class, () -> MavenCoordinates.parse(source));
    String m = e.getMessage();
    assertTrue(m.startsWith("Cannot resolve " + source + ": these are not Maven coordinates, "), m);
    assertTrue(m.contains(fault), m);
    assertTrue(m.contains("Expected " + FORM + " (type defaults to jar), for example "
        + "mvn:org.example/hello-plugin/1.0.0"), m);
  }
}
