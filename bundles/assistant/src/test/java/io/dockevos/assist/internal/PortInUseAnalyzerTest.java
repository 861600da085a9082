package io.dockevos.assist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.Risk;
import io.dockevos.error.Incident;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An address in use: the port is named, and the process that holds it. */
class PortInUseAnalyzerTest {
  @TempDir
  Path dir;

  @Test
  void thePortAndTheProcessHoldingItAreNamedFromProc() throws Exception {
    Path proc = Files.createDirectories(dir.resolve("proc"));
    Files.createDirectories(proc.resolve("net"));
    // 0100007F:1F90 is 127.0.0.1:8080, state 0A is LISTEN, inode 777.
    Files.writeString(proc.resolve("net/tcp"), "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0 100 0 0 10 0\n");
    Path fd = Files.createDirectories(proc.resolve("4242/fd"));
    Files.createSymbolicLink(fd.resolve("5"), Path.of("socket:[777]"));
    Files.write(proc.resolve("4242/cmdline"), "python3\0-m\0http.server\08080\0".getBytes());

    Incident i = Fakes.incident("log", "io.web", "Cannot start the web server",
        Map.of("exception", "java.net.BindException", "message", "Address already in use", "port", "8080"));
    List<Diagnosis> d = new PortInUseAnalyzer(new ProcNet(proc)).analyze(i);
    assertEquals("io.web cannot listen on port 8080: the port is already in use by process 4242 (python3 -m http.server 8080)",
        d.get(0).cause());
    assertEquals(Risk.MANUAL, d.get(0).fixes().get(0).risk());
    assertTrue(d.get(0).fixes().get(0).dryRun().contains("stop process 4242 if it should not run (kill 4242)"),
        d.get(0).fixes().get(0).dryRun());
  }

  @Test
  void aPortHeldByThisVeryProcessIsFoundInTheRealProc() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Incident i = Fakes.incident("log", null, "bind failed", Map.of("exception", "java.net.BindException",
          "message", "Failed to bind to /127.0.0.1:" + port + ": Address already in use"));
      String cause = new PortInUseAnalyzer().analyze(i).get(0).cause();
      assertTrue(cause.contains("port " + port + ": the port is already in use by this dockevOS process itself (pid "
          + ProcessHandle.current().pid()), cause);
    }
  }

  @Test
  void otherIncidentsAreNotItsConcern() {
    assertTrue(new PortInUseAnalyzer().analyze(Fakes.incident("log", null, "x", Map.of("exception", "java.io.IOException")))
        .isEmpty());
  }
}
