package io.dockevos.assist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.assist.AppliedFix;
import io.dockevos.assist.Assistant;
import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.Incident;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranking, applying with check and rollback, and the history file. */
class AssistantImplTest {
  @TempDir
  Path dir;

  private final Incident incident = Fakes.incident("log", "io.x", "x failed", Map.of());

  private static ErrorAnalyzer analyzer(String name, Diagnosis... d) {
    return new ErrorAnalyzer() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Diagnosis> analyze(Incident incident) {
        return List.of(d);
      }
    };
  }

  @Test
  void diagnosesAreRankedByConfidenceAndABrokenAnalyzerIsSkipped() {
    AssistantImpl a = new AssistantImpl(dir.resolve("fixes.json"), 10, "NONE");
    a.analyzers = List.of(analyzer("low", new Diagnosis("low", "maybe", 0.2, List.of())),
        new ErrorAnalyzer() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public List<Diagnosis> analyze(Incident incident) {
            throw new IllegalStateException("bug");
          }
        }, analyzer("high", new Diagnosis("high", "surely", 0.9, List.of())));
    assertEquals(List.of("surely", "maybe"), a.analyze(incident).stream().map(Diagnosis::cause).toList());
  }

  @Test
  void aFixThatWorksIsRecordedAndSurvivesARestart() {
    Path file = dir.resolve("assist/fixes.json");
    AssistantImpl a = new AssistantImpl(file, 10, "NONE");
    AppliedFix f = a.apply(incident, new BasicFix("start io.x", Risk.SAFE, false, "plugin:start 3", () -> "started io.x", null,
        () -> Optional.empty()), Assistant.BY_USER);
    assertTrue(f.worked());
    assertEquals("started io.x", f.result());
    assertTrue(Files.isRegularFile(file));

    List<AppliedFix> again = new AssistantImpl(file, 10, "NONE").history();
    assertEquals(1, again.size());
    assertEquals("start io.x", again.get(0).fix());
    assertEquals("user", again.get(0).by());
    assertEquals("E1", again.get(0).incidentId());
    assertTrue(again.get(0).worked());
  }

  @Test
  void aFixThatDidNotWorkIsRolledBackAndReportedAsSuch() {
    List<String> done = new ArrayList<>();
    AssistantImpl a = new AssistantImpl(dir.resolve("fixes.json"), 10, "NONE");
    AppliedFix f = a.apply(incident, new BasicFix("start io.y", Risk.SAFE, false, "plugin:start y", () -> {
      done.add("start");
      return "started io.y";
    }, () -> done.add("stop"), () -> Optional.of("io.x is INSTALLED")), Assistant.BY_POLICY);
    assertFalse(f.worked());
    assertTrue(f.rolledBack());
    assertEquals("started io.y; but it did not work: io.x is INSTALLED; rolled back", f.result());
    assertEquals(List.of("start", "stop"), done);

    AppliedFix thrown = a.apply(incident, new BasicFix("boom", Risk.SAFE, false, "-", () -> {
      throw new IllegalStateException("no such file y.jar");
    }, () -> done.add("undo"), null), Assistant.BY_USER);
    assertEquals("it could not be applied: no such file y.jar; rolled back", thrown.result());
    assertEquals(2, a.history().size());
  }

  @Test
  void aFixThatAddsCodeIsNeverSafeWhateverItsAnalyzerSays() {
    List<String> done = new ArrayList<>();
    Fix install = new BasicFix("install io.y", Risk.SAFE, true, "plugin:install y.jar", () -> {
      done.add("install");
      return "installed io.y";
    }, null, null);
    AssistantImpl a = new AssistantImpl(dir.resolve("fixes.json"), 10, "SAFE");
    a.analyzers = List.of(analyzer("third party", new Diagnosis("third party", "needs io.y", 0.9, List.of(install))));
    Fix shown = a.analyze(incident).get(0).fixes().get(0);
    assertEquals(Risk.MODERATE, shown.risk());
    assertTrue(shown.addsCode());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> a.apply(incident, install, Assistant.BY_POLICY));
    assertEquals("'install io.y' is MODERATE (it adds code): the policy applies by itself only SAFE fixes, which add no"
        + " code; assist:fix applies it once a person has reviewed it", e.getMessage());
    assertTrue(done.isEmpty());
    AppliedFix byUser = a.apply(incident, install, Assistant.BY_USER);
    assertTrue(byUser.worked());
    assertEquals(Risk.MODERATE, byUser.risk(), "recorded with the risk it was applied at");
  }

  @Test
  void aManualFixIsNotApplied() {
    AssistantImpl a = new AssistantImpl(dir.resolve("fixes.json"), 10, "NONE");
    Fix manual = BasicFix.manual("install git", List.of("apt-get install git"));
    assertThrows(IllegalArgumentException.class, () -> a.apply(incident, manual, Assistant.BY_USER));
    assertTrue(a.history().isEmpty());
  }

  @Test
  void theHistoryIsBoundedAndABrokenFileIsSetAside() throws Exception {
    Path file = dir.resolve("fixes.json");
    AssistantImpl a = new AssistantImpl(file, 3, "NONE");
    for (int n = 1; n <= 5; n++) {
      String name = "fix " + n;
      a.apply(incident, new BasicFix(name, Risk.SAFE, false, "-", () -> "ok", null, null), Assistant.BY_USER);
    }
    assertEquals(List.of("fix 3", "fix 4", "fix 5"), new AssistantImpl(file, 3, "NONE").history().stream()
        .map(AppliedFix::fix).toList());

    Files.writeString(file, "{ not json");
    assertTrue(new AssistantImpl(file, 3, "NONE").history().isEmpty());
    assertTrue(Files.isRegularFile(dir.resolve("fixes.json.bad")));
  }

  @Test
  void theSettingOfThePolicyIsCheckedAndNamed() {
    assertEquals("autoApply = 'ALWAYS' in the configuration dockevos.assist is not valid: it must be one of SAFE, NONE;"
        + " no fix applies by itself until it is", new AssistantImpl(dir.resolve("f"), 1, "ALWAYS").policy());
    assertTrue(new AssistantImpl(dir.resolve("f"), 1, "SAFE").policy().startsWith("autoApply = SAFE: fixes marked SAFE"));
  }

  @Test
  void anAnswerIsOneLineAndTheEndOfInputIsNoAnswer() {
    assertEquals("y", AssistCommands.readLine(new ByteArrayInputStream("y\nmore".getBytes(StandardCharsets.UTF_8))));
    assertEquals("", AssistCommands.readLine(new ByteArrayInputStream("\r".getBytes(StandardCharsets.UTF_8))));
    assertEquals(null, AssistCommands.readLine(new ByteArrayInputStream(new byte[0])));
  }
}
