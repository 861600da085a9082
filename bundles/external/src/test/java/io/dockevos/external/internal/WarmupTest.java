package io.dockevos.external.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class WarmupTest {
  @Test
  void theRealClientGoesThroughAWholeSessionWithThePeerInTheJvm() {
    // what the bundle runs as it starts; false when the SDK's client no longer accepts the peer's answers
    assertTrue(Warmup.run(new JacksonMcpJsonMapper(new ObjectMapper()), NOPLogger.NOP_LOGGER));
  }
}
