package io.dockevos.alternative.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.fallback.Procedure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlternativeUnitTest {
  @Test
  void runOptionsAreParsedUpToTheCommand() {
    FallbackCommands.RunRequest r = FallbackCommands.parse(List.of("--runner", "process", "--timeout", "2.5", "--env", "A=b=c",
        "--workdir", "/tmp", "--memory", "64m", "--pids", "9", "sh", "-c", "echo --not-an-option"));
    assertEquals("process", r.runner());
    assertEquals(Duration.ofMillis(2500), r.job().timeout());
    assertEquals(Map.of("A", "b=c"), r.job().env());
    assertEquals("/tmp", r.job().workDir());
    assertEquals(64L << 20, r.job().limits().memoryBytes());
    assertEquals(9, r.job().limits().pids());
    assertEquals(List.of("sh", "-c", "echo --not-an-option"), r.job().command());
    assertEquals(List.of("--weird"), FallbackCommands.parse(List.of("--", "--weird")).job().command());
  }

  @Test
  void sizesTakeUnits() {
    assertEquals(512L << 10, FallbackCommands.bytes("512k"));
    assertEquals(1L << 30, FallbackCommands.bytes("1G"));
    assertEquals(1000, FallbackCommands.bytes("1000"));
    assertThrows(IllegalArgumentException.class, () -> FallbackCommands.bytes("-1m"));
  }

  @Test
  void theBuiltInProceduresAreRead() {
    List<Procedure> all = ProcedureCatalogImpl.read(ProcedureCatalogImpl.class.getResource("procedures.json"), "built-in");
    Procedure engine = all.stream().filter(p -> p.problem().equals(Procedure.CONTAINER_ENGINE_MISSING)).findFirst().orElseThrow();
    assertTrue(engine.steps().stream().anyMatch(s -> s.contains("apt-get install -y podman")), engine.toString());
    assertTrue(engine.steps().stream().anyMatch(s -> s.contains("DOCKER_HOST")), engine.toString());
    assertTrue(all.stream().anyMatch(p -> p.problem().equals("tool-missing/git")));
  }

  @Test
  void outputIsBounded() {
    ProcessRunner.Output o = new ProcessRunner.Output(10);
    o.add("12345");
    o.add("67890");
    assertEquals("12345\n[output cut: 6 more characters were not kept]\n", o.text());
  }
}
