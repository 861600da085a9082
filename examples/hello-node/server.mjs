#!/usr/bin/env node
// hello-node: an external dockevOS plugin in Node.js, written with the official MCP TypeScript SDK
// (@modelcontextprotocol/sdk from npm). Nothing here is dockevOS's own: any MCP server on stdio is a
// plugin. The runtime starts this file (node, by its first line), speaks MCP over its stdin and
// stdout, turns each tool into the shell command hello-node:TOOL, pings it, and closes stdin to stop it.
//
// Its node_modules are installed from package-lock.json by the build (npm ci, see pom.xml).
// Log to stderr (console.error), never to stdout: stdout carries the protocol.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer(
  { name: "hello-node", version: "1.0.0" },
  { capabilities: { logging: {} } },
);

server.registerTool(
  "greet",
  {
    description: "Greets someone by name, from Node.js",
    inputSchema: { name: z.string().describe("Who to greet") },
  },
  async ({ name }) => ({ content: [{ type: "text", text: `Hello, ${name}! (from Node.js ${process.version})` }] }),
);

server.server.oninitialized = () => {
  // MCP logging: the runtime writes it to its log under the plugin's name.
  server.server.sendLoggingMessage({ level: "info", logger: "hello", data: "hello-node is ready" });
};

// The end of stdin is the runtime's way to stop it.
process.stdin.on("end", () => process.exit(0));

await server.connect(new StdioServerTransport());
console.error("hello-node: listening on stdio");
