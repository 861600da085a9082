package io.dockevos.external.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/**
 * A plugin may send its first request of the dockevos capability right after
 * {@code notifications/initialized}, on the thread that reads its stdout, before the host's thread
 * that ran initialize has looked at its answer: the request waits for that look, it is not refused.
 */
class DockevosExtensionTest {
  private static DockevosExtension extension() throws InvalidPluginException {
    PluginDescriptor d = PluginYaml.read(Path.of("../../examples/hello-python/plugin.yaml"));
    return new DockevosExtension(d, new StdioTransport(new JacksonMcpJsonMapper(new ObjectMapper()), NOPLogger.NOP_LOGGER),
        null, () -> null, Runnable::run, NOPLogger.NOP_LOGGER);
  }

  private static final Map<String, Object> TOPICS = Map.of("topics", List.of("dockevos/hello/*"));

  @Test
  void aRequestBeforeTheHostLookedAtTheAnswerToInitializeWaitsForIt() throws Exception {
    DockevosExtension ext = extension();
    CompletableFuture<Object> early = CompletableFuture.supplyAsync(() -> {
      try {
        return ext.request(DockevosExtension.UNSUBSCRIBE, TOPICS);
      } catch (StdioTransport.RequestError e) {
        return e;
      }
    });
    Thread.sleep(200); // the request is read first
    assertFalse(early.isDone(), "it waits for the answer to initialize");
    ext.negotiated(Map.of(DockevosExtension.CAPABILITY, Map.of("version", 1)));
    assertEquals(Map.of("topics", List.of()), early.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aPluginThatDidNotDeclareTheCapabilityIsRefusedSayingSo() throws Exception {
    DockevosExtension ext = extension();
    ext.negotiated(Map.of());
    StdioTransport.RequestError e = assertThrows(StdioTransport.RequestError.class,
        () -> ext.request(DockevosExtension.UNSUBSCRIBE, TOPICS));
    assertEquals(-32601, e.code);
    assertTrue(e.getMessage().contains("did not declare in its answer to initialize"), e.getMessage());
  }
}
