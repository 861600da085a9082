package io.dockevos.mcp.internal;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>When the client closes its side, the answers on their way still go out: the session ends once
 * no tool call runs and nothing has been written for {@value #QUIET_MILLIS} ms (at most {@value
 * #DRAIN_MILLIS} ms after the end of its input), so that {@code echo REQUEST | bin/dockevos mcp} gets
 * its answer. A tool call still running then goes on to its end, unheard.
 */
@Component(service = Consumer.class, property = StdioSessions.PROPERTY + "=mcp")
public final class StdioSessions implements Consumer<Map<String, Object>> {
  /** The service property that names the stream the launcher's control socket serves with it. */
  static final String PROPERTY = "dockevos.control.stream";
  static final long QUIET_MILLIS = 150;
  static final long DRAIN_MILLIS = 4_000;
  private static final Logger LOG = LoggerFactory.getLogger(StdioSessions.class);
  private final McpTools tools;
  private final Set<CountDownLatch> open = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  @Activate
  public StdioSessions(@Reference McpTools tools) {
    this.tools = tools;
  }

  /** Serves a session on {@code in} and {@code out} (and the {@code user}); returns when it ends. */
  @Override
  public void accept(Map<String, Object> connection) {
    InputStream in = (InputStream) connection.get("in");
    OutputStream raw = (OutputStream) connection.get("out");
    AtomicLong lastWrite = new AtomicLong(System.nanoTime());
    OutputStream out = new FilterOutputStream(raw) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        raw.write(b, off, len);
        lastWrite.set(System.nanoTime());
      }

      @Override
      public void write(int b) throws IOException {
        raw.write(b);
        lastWrite.set(System.nanoTime());
      }
    };
    String user = String.valueOf(connection.getOrDefault("user", "?"));
    CountDownLatch ended = new CountDownLatch(1);
    AtomicReference<McpSyncServer> server = new AtomicReference<>();
    // The SDK ends the session as soon as it reads the end of its input, dropping answers not yet
    // written: the end is handed on once they are out.
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
          drain(server.get(), lastWrite);
          ended.countDown();
        }
        return n;
      }
    };
    open.add(ended);
    server.set(tools.serve(McpServer.sync(new StdioServerTransportProvider(tools.jsonMapper(), watched, out)),
        exchange -> new Caller(user, false, "stdio")));
    LOG.info("MCP stdio session of {} opened", user);
    try {
      ended.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(ended);
      tools.detach(server.get());
      server.get().close();
      LOG.info("MCP stdio session of {} closed", user);
    }
  }

  /** Waits until no tool call of the server runs and nothing was written for a moment, or the runtime stops. */
  private void drain(McpSyncServer server, AtomicLong lastWrite) {
    long eof = System.nanoTime();
    try {
      while (!stopping && System.nanoTime() - eof < TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS)
          && (server != null && tools.running(server) > 0
              || System.nanoTime() - Math.max(lastWrite.get(), eof) < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS))) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Deactivate
  void deactivate() {
    stopping = true;
    open.forEach(CountDownLatch::countDown);
  }
}
