package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;

/**
 * The example plugin (examples/greeter), installed into the real distribution as a plugin author
 * would: its actions as commands, their schema, streamed output, timeout and cancel, its Metatype
 * configuration, and its state across an update.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplePluginIT extends UnpackedDistribution {
  private static final String GREETER = "io.dockevos.example.greeter";
  private static Path jar;

  @BeforeAll
  static void installTheExample() {
    jar = Path.of(System.getProperty("dockevos.example.greeter"));
    assertTrue(Files.isRegularFile(jar), "the build made the example plugin: " + jar);
    dist.start();
    Result r = ok("plugin:install " + jar);
    assertTrue(r.out().contains("Installed " + GREETER), r::toString);
  }

  private static Result ok(String command) {
    return dist.ok(command);
  }

  private static Result fails(String command) {
    return dist.fails(command);
  }

  private static long count() {
    String out = ok("greeter:count").out();
    return Json.createReader(new StringReader(out)).readObject().getJsonNumber("greetings").longValue();
  }

  @Test
  @Order(1)
  void anActionIsACommandThatStreamsItsOutputAndPrintsItsResult() {
    Result r = ok("greeter:greet name=World times=3");
    List<String> lines = r.out().lines().toList();
    assertEquals("Hello, World! (1/3)", lines.get(0), r::toString);
    assertTrue(lines.contains("[33%] greeted 1 of 3") && lines.contains("Hello, World! (3/3)"), r::toString);
    JsonObject result = Json.createReader(new StringReader(r.out().substring(r.out().indexOf('{')))).readObject();
    assertEquals("World", result.getString("greeted"));
    assertEquals(3, result.getInt("times"));
  }

  @Test
  @Order(2)
  void helpComesFromTheSchema() {
    Result r = ok("greeter:greet --help");
    assertTrue(r.out().contains("greeter:greet - Greets someone, one line per greeting"), r::toString);
    assertTrue(r.out().contains("name (string, required)  who to greet"), r::toString);
    assertTrue(r.out().contains("times (integer)  how many lines [default: 1] [1..10]"), r::toString);
  }

  @Test
  @Order(3)
  void inputThatBreaksTheSchemaIsRefusedNamingTheField() {
    Result tooMany = fails("greeter:greet name=World times=11");
    assertTrue(tooMany.err().contains("field 'times'") && tooMany.err().contains("11 is greater than 10"),
        tooMany::toString);
    Result noName = fails("greeter:greet times=2");
    assertTrue(noName.err().contains("field 'name'"), noName::toString);
    Result notANumber = fails("greeter:greet name=World times=three");
    assertTrue(notANumber.err().contains("field 'times'"), notANumber::toString);
    Result unknown = fails("greeter:greet name=World colour=blue");
    assertTrue(unknown.err().contains("Invalid input for greeter:greet"), unknown::toString);
  }

  @Test
  @Order(4)
  void pluginExecuteTakesJsonOrKeyValueInput() {
    Result json = ok("plugin:execute " + GREETER + " greet '{\"name\":\"JSON\",\"times\":2}'");
    assertTrue(json.out().contains("Hello, JSON! (2/2)"), json::toString);
    Result words = ok("plugin:execute " + GREETER + " greet name=Words");
    assertTrue(words.out().contains("Hello, Words! (1/1)"), words::toString);
    Result missing = fails("plugin:execute " + GREETER + " wave");
    assertTrue(missing.err().contains("has no action wave") && missing.err().contains("greet"), missing::toString);
    // Issue 17, row 11: the advice names a command that exists.
    Result unknown = fails("plugin:execute no.such.plugin greet");
    assertTrue(unknown.err().contains("No plugin no.such.plugin with actions; plugin:actions shows them all"),
        unknown::toString);
  }

  @Test
  @Order(5)
  void anActionPastItsTimeoutIsCancelledAndTheRuntimeCarriesOn() {
    Result r = fails("greeter:greet name=Slow times=10 pauseMs=1000 --timeout=1.5");
    assertTrue(r.out().contains("Hello, Slow! (1/10)"), "the output streamed before the timeout\n" + r);
    assertTrue(r.err().contains("did not finish within 1500 ms; it was cancelled"), r::toString);
    long after = count();
    Await.sleep(2500);
    assertEquals(after, count(), "a cancelled action stops: no greeting after the timeout");
  }

  @Test
  @Order(6)
  void endingTheClientCancelsTheAction() throws Exception {
    Process client = dist.launch(dist.root(), Map.of(),
        List.of(dist.script().toString(), "client", "greeter:greet name=Gone times=10 pauseMs=1000"));
    InputStream in = client.getInputStream();
    StringBuilder seen = new StringBuilder();
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!seen.toString().contains("Hello, Gone! (1/10)") && System.nanoTime() < end) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      seen.append((char) b);
    }
    assertTrue(seen.toString().contains("Hello, Gone! (1/10)"), "the first line streamed: " + seen);
    client.destroy(); // what Ctrl-C does to the client: it ends, and the runtime interrupts the command
    assertTrue(client.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
    Await.sleep(1500);
    long after = count();
    Await.sleep(2500);
    assertEquals(after, count(), "the cancelled action greets no more");
    JsonObject greet = Json.createReader(new StringReader(ok("plugin:actions --json").out())).readArray()
        .getValuesAs(JsonObject.class).stream().filter(a -> a.getString("command").equals("greeter:greet"))
        .findFirst().orElseThrow();
    assertTrue(greet.getJsonObject("stats").getInt("failures") >= 1, greet::toString);
  }

  @Test
  @Order(7)
  void invocationsAreCountedAndTimed() {
    JsonObject greet = Json.createReader(new StringReader(ok("plugin:actions --json").out())).readArray()
        .getValuesAs(JsonObject.class).stream().filter(a -> a.getString("command").equals("greeter:greet"))
        .findFirst().orElseThrow();
    JsonObject stats = greet.getJsonObject("stats");
    assertTrue(stats.getInt("invocations") >= 8, stats::toString);
    assertTrue(stats.getInt("failures") >= 5, stats::toString);
    long histogram = stats.getJsonObject("histogram").values().stream()
        .mapToLong(v -> ((jakarta.json.JsonNumber) v).longValue()).sum();
    assertEquals(stats.getInt("invocations"), histogram, "every invocation is in the histogram");
    assertEquals(GREETER, greet.getString("plugin"));
    assertTrue(greet.getJsonObject("schema").containsKey("properties"), greet::toString);
  }

  @Test
  @Order(8)
  void itsMetatypeConfigurationChangesTheGreeting() throws IOException {
    Path cfg = dist.deploy().resolve(GREETER + ".cfg");
    Files.writeString(cfg, "greeting = Howdy\n", StandardCharsets.UTF_8);
    try {
      Await.until("the greeting follows the configuration", Duration.ofSeconds(10),
          () -> dist.client("greeter:greet name=Config").out(), out -> out.contains("Howdy, Config! (1/1)"));
      JsonObject info = Json.createReader(new StringReader(ok("plugin:info --json " + GREETER).out())).readObject();
      assertTrue(info.getJsonArray("configurations").toString().contains(GREETER), info::toString);
      assertTrue(info.getJsonArray("actions").toString().contains("greet"), info::toString);
    } finally {
      Files.delete(cfg);
    }
    Await.until("the default greeting is back", Duration.ofSeconds(10),
        () -> dist.client("greeter:greet name=Default").out(), out -> out.contains("Hello, Default! (1/1)"));
  }

  @Test
  @Order(9)
  void itsStateSurvivesAnUpdate() {
    long before = count();
    assertTrue(before > 0, "greetings were counted");
    Result r = ok("plugin:update " + GREETER + " " + jar);
    assertTrue(r.out().contains("Updated " + GREETER), r::toString);
    assertEquals(before, count(), "the count is carried across the update by StatefulPlugin");
  }
}
