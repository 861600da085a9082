package io.dockevos.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.ConflictException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void anEngineThatDoesNotAnswerIsToldFromOneThatSaysNo() {
    RuntimeException down = new RuntimeException(new UncheckedIOException(new NoSuchFileException("/run/x.sock")));
    assertTrue(Errors.unreachable(down));
    assertEquals("no such socket /run/x.sock", Errors.cause(down));
    assertTrue(Errors.unreachable(new RuntimeException(new SocketException("Connection refused"))));
    ConflictException no = new ConflictException("Status 409: {\"cause\":\"x\",\"message\":\"container is running: stop it first\",\"response\":409}\n");
    assertFalse(Errors.unreachable(no));
    assertEquals("container is running: stop it first", Errors.engineMessage(no));
    String m = DockerEngineImpl.unreachable(new DockerOptions("unix:///run/x.sock", false, ""), down);
    assertTrue(m.startsWith("The container engine at unix:///run/x.sock cannot be reached (no such socket /run/x.sock). Start it"), m);
  }
}
