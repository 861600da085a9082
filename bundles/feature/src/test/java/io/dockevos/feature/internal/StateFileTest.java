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
    String own = new String(s.own(), StandardCharsets.UTF_8);
    assertFalse(own.contains("dockevos-features"), own);
    assertTrue(own.contains("org.example:api:1.0.0") && own.contains("blue"), own);
    Descriptor d = FeatureReader.read(s.own(), "own");
    assertEquals("org.example:desired:1.0", d.id());
    assertEquals(1, d.bundles().size());
  }

  @Test
  void theOwnFeatureIsTheSameWhateverFeaturesTheFileNames() throws Exception {
    StateFile a = parse(state("\"dockevos-http\"", "blue"));
    StateFile b = parse(state("", "blue"));
    assertArrayEquals(a.own(), b.own(), "a changed list of features does not replace the state's own feature");
    assertNotEquals(a.digest(), b.digest());
    assertNotEquals(new String(a.own(), StandardCharsets.UTF_8), new String(parse(state("", "red")).own(),
        StandardCharsets.UTF_8));
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
