package io.dockevos.feature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.feature.FeatureException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Feature files as users write them, and the message each mistake gets. */
class FeatureReaderTest {
  private static final String SOURCE = "/home/system/features/example.json";

  private static Descriptor read(String json) throws FeatureException {
    return FeatureReader.read(json.getBytes(StandardCharsets.UTF_8), SOURCE);
  }

  private static String error(String json) {
    return assertThrows(FeatureException.class, () -> read(json)).getMessage();
  }

  @Test
  void readsBundlesConfigurationsAndVariablesInTheOrderOfTheFile() throws Exception {
    Descriptor d = read("""
        {
          // comments are allowed, as the Feature Service allows them
          "feature-resource-version": "1.0",
          "id": "org.example:example-feature:1.2.0",
          "name": "An example",
          "description": "Two bundles and a configuration",
          "vendor": "Example",
          "variables": { "greeting": "hello" },
          "bundles": [
            { "id": "org.example:api:1.0.0", "start-order": 10 },
            { "id": "org.example:impl:jar:linux:1.0.0", "start-order": "12" },
            { "id": "org.example:extra:2.0" }
          ],
          "configurations": {
            "org.example.b": { "port:Integer": 8080, "text": "${greeting} world" },
            "org.example.factory~one": { "enabled": true }
          }
        }
        """);
    assertEquals("org.example:example-feature:1.2.0", d.id());
    assertEquals("example-feature", d.name());
    assertEquals("1.2.0", d.version());
    assertEquals("An example", d.title());
    assertEquals("Example", d.metadata().get("vendor"));
    assertEquals(List.of("org.example:api:1.0.0", "org.example:impl:jar:linux:1.0.0", "org.example:extra:2.0"),
        d.bundles().stream().map(Descriptor.BundleSpec::id).toList());
    assertEquals(List.of(10, 12, 0), d.bundles().stream().map(Descriptor.BundleSpec::startOrder).toList());
    assertEquals("org/example/impl/1.0.0/impl-1.0.0-linux.jar", d.bundles().get(1).repositoryPath());
    assertEquals("org/example/api/1.0.0/api-1.0.0.jar", d.bundles().get(0).repositoryPath());
    assertEquals(List.of("org.example.b", "org.example.factory~one"),
        d.configurations().stream().map(Descriptor.ConfigSpec::pid).toList());
    assertEquals(8080, d.configurations().get(0).values().get("port"), "typed as the file says");
    assertEquals("org.example.factory", d.configurations().get(1).factoryPid());
    assertEquals("one", d.configurations().get(1).name());
    assertEquals("hello", d.variables().get("greeting"));
    assertEquals(SOURCE, d.source());
    assertEquals(64, d.digest().length());
  }

  @Test
  void theDigestTellsAChangedFileFromTheSameOne() throws Exception {
    String a = "{ \"id\": \"g:a:1\" }";
    assertEquals(read(a).digest(), read(a).digest());
    assertNotEquals(read(a).digest(), read(a + "\n").digest());
  }

  @Test
  void aSyntaxErrorNamesTheFileLineAndColumn() {
    String m = error("""
        {
          "id": "org.example:f:1.0",
          "bundles": [
            { "id": "org.example:api:1.0.0" }
            { "id": "org.example:impl:1.0.0" }
          ]
        }
        """);
    assertTrue(m.startsWith("Feature file " + SOURCE + " is not valid JSON: line 5, column"), m);
    assertFalse(m.contains("line no="), "Parsson's own location is not repeated: " + m);
  }

  @Test
  void anUnexpectedCharacterIsShownAsTheCharacter() {
    String m = error("{ \"id\": \"g:a:1\", }");
    assertTrue(m.contains("line 1, column"), m);
    assertTrue(m.contains("'}'") || m.contains("CURLYCLOSE"), m);
  }

  @Test
  void commentsKeepLineNumbers() {
    String m = error("""
        {
          /* a comment
             over three
             lines */
          "id": "org.example:f:1.0",
          "bundles": [ { "id": "not-a-maven-id" } ]
        }
        """);
    assertTrue(m.contains("line 6"), m);
    assertTrue(m.contains("field bundles[0].id is \"not-a-maven-id\", which is not a Maven ID"), m);
  }

  @Test
  void aBundleThatIsNotAnObjectIsNamedWithItsLine() {
    String m = error("""
        {
          "id": "org.example:f:1.0",
          "bundles": [
            { "id": "org.example:api:1.0.0" },
            "org.example:impl:1.0.0"
          ]
        }
        """);
    assertTrue(m.contains("line 5") && m.contains("field bundles[1] is the string \"org.example:impl:1.0.0\""), m);
  }

  @Test
  void aMissingIdIsNamed() {
    assertTrue(error("{ \"bundles\": [] }").contains("it has no field id"));
    String m = error("{ \"id\": \"g:f:1\", \"bundles\": [ { \"start-order\": 3 } ] }");
    assertTrue(m.contains("field bundles[0] has no \"id\""), m);
  }

  @Test
  void aWrongTypeIsNamedWithWhatWasFound() {
    String m = error("{\n \"id\": \"g:f:1\",\n \"name\": 42\n}");
    assertTrue(m.contains("line 3") && m.contains("field name is the number 42; it must be a string"), m);
    m = error("{ \"id\": 7 }");
    assertTrue(m.contains("field id is the number 7"), m);
    m = error("{ \"id\": \"g:f:1\", \"bundles\": {} }");
    assertTrue(m.contains("field bundles is an object; it must be an array"), m);
  }

  @Test
  void anUnknownFieldIsRefusedRatherThanIgnored() {
    String m = error("{\n  \"id\": \"g:f:1\",\n  \"bundle\": []\n}");
    assertTrue(m.contains("line 3") && m.contains("field bundle is not a field of a feature"), m);
    assertTrue(m.contains("bundles"), "it lists the fields there are: " + m);
  }

  @Test
  void aStartOrderIsAWholeNumberFromOne() {
    for (String bad : List.of("0", "-2", "1.5", "\"soon\"", "true")) {
      String m = error("{ \"id\": \"g:f:1\", \"bundles\": [ { \"id\": \"g:a:1\", \"start-order\": " + bad + " } ] }");
      assertTrue(m.contains("field bundles[0].start-order") && m.contains("whole number from 1"), m);
    }
  }

  @Test
  void aConfigurationWithAValueOfTheWrongTypeIsNamed() {
    String m = error("""
        {
          "id": "g:f:1",
          "configurations": {
            "org.example.pid": { "port:Integer": "eighty" }
          }
        }
        """);
    assertTrue(m.contains("line 4") && m.contains("field configurations.\"org.example.pid\""), m);
    String notObject = error("{ \"id\": \"g:f:1\", \"configurations\": { \"p\": 3 } }");
    assertTrue(notObject.contains("field configurations.p is the number 3"), notObject);
  }

  @Test
  void aFeatureFileHoldsOneObject() {
    assertTrue(error("[ 1, 2 ]").contains("holds one JSON object"));
    assertTrue(error("   ").contains("empty"));
  }

  @Test
  void aMandatoryExtensionIsKeptSoThatAnInstallCanRefuseIt() throws Exception {
    Descriptor d = read("""
        { "id": "g:f:1",
          "extensions": {
            "launch": { "kind": "mandatory", "text": ["x"] },
            "notes": { "kind": "optional", "json": { "a": 1 } } } }
        """);
    assertEquals(List.of("launch"), d.mandatoryExtensions());
    String m = error("{ \"id\": \"g:f:1\", \"extensions\": { \"x\": { \"kind\": \"required\", \"text\": [] } } }");
    assertTrue(m.contains("field extensions.x.kind is \"required\""), m);
  }

  @Test
  void mavenIds() {
    assertTrue(FeatureReader.isMavenId("g:a:1"));
    assertTrue(FeatureReader.isMavenId("g:a:jar:1"));
    assertTrue(FeatureReader.isMavenId("g:a:jar:tests:1"));
    assertFalse(FeatureReader.isMavenId("g:a"));
    assertFalse(FeatureReader.isMavenId("g::1"));
    assertFalse(FeatureReader.isMavenId("g:a:b:c:d:1"));
    assertFalse(FeatureReader.isMavenId("g:a: 1"));
    assertFalse(FeatureReader.isMavenId("/tmp/x.jar:a:1"));
  }

  @Test
  void strippingCommentsKeepsStringsAndPositions() {
    String text = "{ \"a\": \"// not a comment\", /* x\n y */ \"b\": 1 } // end";
    String stripped = FeatureReader.stripComments(text);
    assertEquals(text.length(), stripped.length());
    assertTrue(stripped.contains("\"// not a comment\""));
    assertEquals(text.indexOf('\n'), stripped.indexOf('\n'));
    assertFalse(stripped.contains("end"));
  }
}
