package io.dockevos.feature.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.feature.FeatureException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The desired-state file: its features, its own feature, and the message a mistake gets. */
class StateFileTest {
  private static final Path FILE = Path.of("/opt/dockevos/etc/state.json");

  private static String state(String features, String colour) {
    return """
        {
          // a comment, as in any feature file
          "feature-resource-version": "1.0",
          "id": "org.example:desired:1.0",
          "bundles": [ { "id": "org.example:api:1.0.0" } ],
          "configurations": { "org.example.pid": { "colour": "%s" } },
          "extensions": { "dockevos-features": { "kind": "optional", "text": [%s] } }
        }
        """.formatted(colour, features);
  }

  private static StateFile parse(String text) throws FeatureException {
    return StateFile.parse(FILE, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void namesTheFeaturesOnceInTheOrderOfTheFileAndKeepsTheRestAsItsOwnFeature() throws Exception {
    StateFile s = parse(state("\"dockevos-http\", \" dockevos-hardware \", \"\", \"# a comment\", \"dockevos-http\"",
        "blue"));
    assertEquals(List.of("dockevos-http", "dockevos-hardware"), s.features());
    Descriptor plugins = FeatureReader.read(s.plugins(), "plugins");
    assertEquals("org.example:desired-plugins:1.0", plugins.id());
    assertEquals(1, plugins.bundles().size());
    assertEquals(List.of(), plugins.configurations());
    assertTrue(plugins.mandatoryExtensions().isEmpty());
    Descriptor configurations = FeatureReader.read(s.configurations(), "configurations");
    assertEquals("org.example:desired-configurations:1.0", configurations.id());
    assertEquals(List.of(), configurations.bundles());
    assertEquals("blue", configurations.configurations().get(0).values().get("colour"));
    assertFalse(new String(s.plugins(), StandardCharsets.UTF_8).contains("dockevos-features"));
  }

  @Test
  void theOwnFeaturesAreTheSameWhateverElseTheFileNames() throws Exception {
    StateFile a = parse(state("\"dockevos-http\"", "blue"));
    StateFile b = parse(state("", "blue"));
    assertArrayEquals(a.plugins(), b.plugins(), "a changed list of features replaces none of the state's own");
    assertArrayEquals(a.configurations(), b.configurations());
    assertNotEquals(a.digest(), b.digest());
    StateFile red = parse(state("", "red"));
    assertArrayEquals(a.plugins(), red.plugins(), "a changed configuration leaves the plugins alone");
    assertNotEquals(new String(a.configurations(), StandardCharsets.UTF_8),
        new String(red.configurations(), StandardCharsets.UTF_8));
  }

  @Test
  void aBrokenFileIsNamedWithItsCause() {
    String corrupt = assertThrows(FeatureException.class, () -> parse("{ \"id\": \"org.example:desired:1.0\", "))
        .getMessage();
    assertTrue(corrupt.startsWith("The state file " + FILE + " is not a valid feature file: "), corrupt);
    assertTrue(corrupt.contains("line 1"), corrupt);
    String wrongKind = assertThrows(FeatureException.class, () -> parse(state("", "blue")
        .replace("\"text\": []", "\"json\": {}"))).getMessage();
    assertTrue(wrongKind.contains(FILE.toString()) && wrongKind.contains("extensions.dockevos-features is a text"
        + " extension"), wrongKind);
  }
}
