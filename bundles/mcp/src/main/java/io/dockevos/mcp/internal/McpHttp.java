package io.dockevos.mcp.internal;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.Servlet;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streamable HTTP transport at {@code /mcp}: the SDK's Jakarta servlet, on the OSGi Servlet
 * Whiteboard in the context {@link McpContext} (which checks the token), with asynchronous requests
 * for its event streams. Each call's caller is the token of the request that carries it.
 */
@Component(service = {})
public final class McpHttp {
  private static final Logger LOG = LoggerFactory.getLogger(McpHttp.class);
  private final McpTools tools;
  private final HttpServletStreamableServerTransportProvider transport;
  private final McpSyncServer server;
  private final ServiceRegistration<Servlet> registration;

  @Activate
  public McpHttp(BundleContext context, @Reference McpTools tools) {
    this.tools = tools;
    this.transport = HttpServletStreamableServerTransportProvider.builder().jsonMapper(tools.jsonMapper())
        .mcpEndpoint(McpContext.PATH)
        .contextExtractor(request -> McpTransportContext.create(Map.of(
            McpContext.USER, String.valueOf(request.getAttribute(McpContext.USER)),
            McpContext.SCOPE, String.valueOf(request.getAttribute(McpContext.SCOPE)))))
        .build();
    this.server = tools.serve(McpServer.sync(transport), exchange -> {
      McpTransportContext c = exchange.transportContext();
      Object user = c == null ? null : c.get(McpContext.USER);
      Object scope = c == null ? null : c.get(McpContext.SCOPE);
      // No token known here is the narrowest caller: one that may only read.
      return new Caller(user == null ? "?" : user.toString(), !"admin".equals(scope), "http");
    });
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/*");
    props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "dockevos-mcp");
    props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED, Boolean.TRUE);
    props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT, McpContext.SELECT);
    this.registration = context.registerService(Servlet.class, transport, props);
    LOG.info("MCP server on the Streamable HTTP transport at {} ({} tools)", McpContext.PATH, tools.toolNames().size());
  }

  @Deactivate
  void deactivate() {
    try {
      registration.unregister();
    } catch (IllegalStateException gone) {
      // the bundle is stopping
    }
    tools.detach(server);
    server.close();
  }
}
