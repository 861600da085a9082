package io.dockevos.mcp.internal;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stdio sessions of {@code bin/dockevos mcp}: the launcher's control socket hands over a
 * connection's streams (a {@code Consumer} of the stream {@code mcp}, with only java.* types, which
 * the launcher sees too) and this serves one MCP session on them, JSON-RPC messages one a line, until
 * the other end closes. The caller is the OS user of the bridge, who owns the runtime: every tool is
 * allowed.
 */
@Component(service = Consumer.class, property = StdioSessions.PROPERTY + "=mcp")
public final class StdioSessions implements Consumer<Map<String, Object>> {
  /** The service property that names the stream the launcher's control socket serves with it. */
  static final String PROPERTY = "dockevos.control.stream";
  private static final Logger LOG = LoggerFactory.getLogger(StdioSessions.class);
  private final McpTools tools;
  private final Set<CountDownLatch> open = ConcurrentHashMap.newKeySet();

  @Activate
  public StdioSessions(@Reference McpTools tools) {
    this.tools = tools;
  }

  /** Serves a session on {@code in} and {@code out} (and the {@code user}); returns when it ends. */
  @Override
  public void accept(Map<String, Object> connection) {
    InputStream in = (InputStream) connection.get("in");
    OutputStream out = (OutputStream) connection.get("out");
    String user = String.valueOf(connection.getOrDefault("user", "?"));
    CountDownLatch ended = new CountDownLatch(1);
    InputStream watched = new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        return ended(super.read());
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return ended(super.read(b, off, len));
        } catch (IOException e) {
          ended.countDown();
          throw e;
        }
      }

      private int ended(int n) {
        if (n < 0) {
          ended.countDown();
        }
        return n;
      }
    };
    open.add(ended);
    McpSyncServer server = tools.serve(McpServer.sync(new StdioServerTransportProvider(tools.jsonMapper(), watched,
        out)), exchange -> new Caller(user, false, "stdio"));
    LOG.info("MCP stdio session of {} opened", user);
    try {
      ended.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(ended);
      tools.detach(server);
      server.close();
      LOG.info("MCP stdio session of {} closed", user);
    }
  }

  @Deactivate
  void deactivate() {
    open.forEach(CountDownLatch::countDown);
  }
}
