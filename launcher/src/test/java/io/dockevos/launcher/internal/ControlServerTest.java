package io.dockevos.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
  @TempDir Path dir;

  @Test
  void theClientsUserComesFromThePeerCredentials() throws Exception {
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s"));
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(address);
      try (SocketChannel client = SocketChannel.open(address); SocketChannel peer = server.accept()) {
        assertEquals(System.getProperty("user.name"), ControlServer.peerUser(peer));
      }
    }
  }

  @Test
  void sessionsNameTheirUserAndOrigin() {
    assertEquals(Map.of(Gogo.USER, "alice", Gogo.ORIGIN, "client"), Gogo.who("alice", "client"));
    assertEquals(System.getProperty("user.name"), Gogo.who(null, "embedded").get(Gogo.USER));
  }
}
