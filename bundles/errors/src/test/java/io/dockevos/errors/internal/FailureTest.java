package io.dockevos.errors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.InvocationTargetException;
import java.net.BindException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureTest {
  private static Throwable thrownHere(String message) {
    return new IllegalStateException(message);
  }

  private static Throwable thrownThere(String message) {
    return new IllegalStateException(message);
  }

  @Test
  void theSignatureIsTheRootCauseAndItsTopFrames() {
    Throwable a = new RuntimeException("wrapper", thrownHere("one"));
    Throwable b = new RuntimeException("other wrapper", thrownHere("two"));
    assertEquals(Failure.signature(a), Failure.signature(b), "same type and frames, another message");
    assertNotEquals(Failure.signature(thrownHere("x")), Failure.signature(thrownThere("x")), "other frames");
    assertEquals(16, Failure.hash(Failure.signature(a)).length());
  }

  @Test
  void describeNamesTheRootCauseItsWrapperAPortAndAPid() {
    Map<String, String> p = Failure.describe(new InvocationTargetException(
        new IllegalStateException("cannot bind", new BindException("Address already in use: 127.0.0.1:8080"))));
    assertEquals("java.net.BindException", p.get("exception"));
    assertEquals("Address already in use: 127.0.0.1:8080", p.get("message"));
    assertEquals("8080", p.get("port"));
    assertEquals("java.lang.reflect.InvocationTargetException", p.get("exception.wrapper"));
    assertEquals("io.example.server", Failure.describe(new IllegalArgumentException(
        "bad value for pid io.example.server")).get("config.pid"));
    assertNull(Failure.describe(new IllegalStateException("plain")).get("exception.wrapper"));
  }

  @Test
  void numbersAreTakenOutOfMessagesAndSummariesFitOnOneLine() {
    assertEquals(Failure.normalized("bundle 12 failed after 300 ms"), Failure.normalized("bundle 7 failed after 5 ms"));
    assertEquals("a b c", Failure.oneLine("a\n  b\r\nc "));
    assertEquals(300, Failure.oneLine("x".repeat(1000)).length());
  }
}
