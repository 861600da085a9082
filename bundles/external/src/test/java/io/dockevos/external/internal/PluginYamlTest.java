package io.dockevos.external.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginYamlTest {
  private static final Path FILE = Path.of("/plugins/x/plugin.yaml");

  @Test
  void theExampleReadsWithItsDefaults() throws Exception {
    PluginDescriptor d = PluginYaml.read(Path.of("../../examples/hello-python/plugin.yaml"));
    assertEquals("hello-python", d.name());
    assertEquals("server.py", d.command());
    assertEquals(256L << 20, d.resources().memoryBytes());
    assertEquals(Duration.ofSeconds(10), d.health().startTimeout());
    assertEquals(5, d.restart().maxFailures());
    assertEquals("on-failure", d.restart().policy());
  }

  @Test
  void everyErrorNamesTheFileTheFieldAndTheLine() {
    InvalidPluginException e = assertThrows(InvalidPluginException.class, () -> PluginYaml.parse(FILE,
        "name: x\nversion: \"1\"\ncommand: run\nargs: run\nrestart:\n  policy: sometimes\n  maxFailures: 0\nextra: 1\n"));
    String m = e.getMessage();
    assertTrue(m.startsWith(FILE + " is not a valid plugin.yaml:"), m);
    assertTrue(m.contains("line 4: field 'args': expected a list, got the string run"), m);
    assertTrue(m.contains("line 6: field 'restart.policy': expected one of always, on-failure, never, got the string sometimes"), m);
    assertTrue(m.contains("line 7: field 'restart.maxFailures': 0 is less than 1"), m);
    assertTrue(m.contains("line 8: unknown field 'extra'"), m);
  }

  @Test
  void yamlThatIsNotYamlSaysWhere() {
    InvalidPluginException e = assertThrows(InvalidPluginException.class,
        () -> PluginYaml.parse(FILE, "name: x\n  version: [\n"));
    assertTrue(e.getMessage().startsWith(FILE + " line 2: it is not valid YAML"), e.getMessage());
  }

  @Test
  void aNameOrDurationOfTheWrongShapeIsRefused() {
    String m = assertThrows(InvalidPluginException.class, () -> PluginYaml.parse(FILE,
        "name: Bad Name\nversion: \"1\"\ncommand: run\nhealth:\n  interval: soon\n")).getMessage();
    assertTrue(m.contains("line 1: field 'name': 'Bad Name' does not match"), m);
    assertTrue(m.contains("line 5: field 'health.interval': 'soon' does not match ^[0-9]+(ms|s|m)$ (How often it is pinged)"), m);
  }

  @Test
  void aToolOfRequiresTakesAVersionAndABadOneNamesTheFieldAndTheLine() throws Exception {
    PluginDescriptor d = PluginYaml.parse(FILE, "name: x\nversion: \"1\"\ncommand: run\n"
        + "requires: [python3, \"python3>=3.8\", \"node > 18\", \"git=2.39.5\", /usr/bin/env]\n");
    assertEquals(List.of("python3", "python3>=3.8", "node > 18", "git=2.39.5", "/usr/bin/env"), d.requires());
    String m = assertThrows(InvalidPluginException.class, () -> PluginYaml.parse(FILE,
        "name: x\nversion: \"1\"\ncommand: run\nrequires:\n  - python3\n  - python3>>3\n  - \"node>=v18\"\n")).getMessage();
    assertTrue(m.contains("line 6: field 'requires[1]': 'python3>>3' does not match"), m);
    assertTrue(m.contains("line 7: field 'requires[2]': 'node>=v18' does not match"), m);
    assertTrue(m.contains("(a tool on the PATH (python3), with the version it needs (python3>=3.8; also >, =, <, <=), or"
        + " a path)"), m);
  }

  @Test
  void theDocsPublishTheSchemaTheBundleValidatesWith() throws Exception {
    assertEquals(Files.readString(Path.of("../../docs/plugin.schema.json")),
        new String(PluginYaml.class.getResourceAsStream(PluginYaml.SCHEMA).readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void aLineLongerThanTheLimitIsSkippedNotBuffered() throws Exception {
    byte[] input = ("{\"a\":1}\n" + "x".repeat(100_000) + "\nshort\nend").getBytes(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    List<Long> skipped = new ArrayList<>();
    BoundedLines.read(new ByteArrayInputStream(input), 1000, lines::add, skipped::add);
    assertEquals(List.of("{\"a\":1}", "short", "end"), lines);
    assertEquals(List.of(100_000L), skipped);
  }
}
