package io.dockevos.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonConfigInstallerTest {
  @TempDir Path dir;

  @Test
  void typedValuesAreRead() throws Exception {
    Path file = dir.resolve("my.pid.json");
    Files.writeString(file, """
        // comments are allowed
        { "greeting": "hi", "count:Integer": 3, "tags": ["a", "b"] }""");
    Hashtable<String, Object> values = JsonConfigInstaller.read(file);
    assertEquals("hi", values.get("greeting"));
    assertEquals(3, values.get("count"));
    assertArrayEquals(new String[] {"a", "b"}, (String[]) values.get("tags"));
    assertNull(JsonConfigInstaller.problem(file));
  }

  @Test
  void aBrokenFileNamesWhereItBreaks() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\n  \"greeting\": \n");
    String problem = JsonConfigInstaller.problem(file);
    assertTrue(problem.startsWith("is not a valid configuration"), problem);
    // Parsson puts the end of this text at line 3, which the file does not have (issue 17, row 4).
    assertTrue(problem.contains("not valid JSON: it ends early, after line 2"), problem);
  }

  @Test
  void anErrorInsideTheFileNamesItsLineAndAColumnOfThatLine() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\n  \"greeting\": \"hi\",\n  \"count\": ]\n}\n");
    String problem = JsonConfigInstaller.problem(file);
    assertTrue(problem.contains("not valid JSON: line 3, column"), problem);
  }

  /** Issue 15: the parser's "Unexpected char 98" is the character itself, and its position is said once. */
  @Test
  void aStrayCharacterIsNamedAsItIsWritten() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"a\": 1, b}\n");
    String problem = JsonConfigInstaller.problem(file);
    assertTrue(problem.endsWith("not valid JSON: line 1, column 10: unexpected character 'b'"), problem);
  }

  @Test
  void fileNamesGivePidsAndFactoryPids() {
    assertArrayEquals(new String[] {"my.pid", null}, JsonConfigInstaller.pid("my.pid.json"));
    assertArrayEquals(new String[] {"my.factory", "one"}, JsonConfigInstaller.pid("my.factory-one.json"));
  }
}
