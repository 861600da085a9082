package io.dockevos.plugin.internal.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.install.Repositories.Offer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchCommandTest {
  @Test
  void parsesARequirementInManifestSyntax() {
    assertArrayEquals(new String[] {"osgi.wiring.package", "(osgi.wiring.package=x)"},
        SearchCommand.requirement("osgi.wiring.package;filter:=\"(osgi.wiring.package=x)\""));
    assertArrayEquals(new String[] {"osgi.extender", "(&(osgi.extender=osgi.component)(version>=1.5))"},
        SearchCommand.requirement("osgi.extender; filter:='(&(osgi.extender=osgi.component)(version>=1.5))'"));
    assertArrayEquals(new String[] {"osgi.service", ""}, SearchCommand.requirement("osgi.service"));
  }

  @Test
  void printsATableWithTheCapabilitiesAbbreviated() {
    Offer o = new Offer("org.example.a", "1.0.0", List.of("package a 1.0.0", "package a.b 1.0.0", "package a.c 1.0.0"),
        "maven-local", "/m2/a.jar");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SearchCommand.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), List.of(o), false);
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    String provides = "package a 1.0.0, package a.b 1.0.0 (+1)";
    assertEquals(String.format("%-13s | %-7s | %-" + provides.length() + "s | %-11s | %s", "Name", "Version",
        "Provides", "Repository", "Source"), lines[0]);
    assertEquals("org.example.a | 1.0.0   | " + provides + " | maven-local | /m2/a.jar", lines[1]);

    bytes.reset();
    SearchCommand.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), List.of(o), true);
    String json = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(json.contains("\"symbolicName\": \"org.example.a\""), json);
    assertTrue(json.contains("\"package a.c 1.0.0\""), json);
  }
}
